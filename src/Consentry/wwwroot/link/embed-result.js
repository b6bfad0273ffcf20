// Consentry Link SDK: built from sdk/link (npm run build). Do not edit.

// src/protocol.ts
var POPUP = "consentry-popup";

// src/popup-result.ts
var result = document.getElementById("consentry-result");
var opener = result?.dataset.opener ?? "";
if (result && opener && window.opener) {
  const message = { source: POPUP, type: "oauthResult", connectionId: result.dataset.connectionId ?? "", status: Number(result.dataset.status) };
  window.opener.postMessage(message, opener);
  window.close();
}
