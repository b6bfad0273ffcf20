// The end of a sign-in in the SDK's popup: report the result to the window that opened it, on its checked origin, and close.
import { POPUP } from "./protocol";

const result = document.getElementById("consentry-result") as HTMLElement | null;
const opener = result?.dataset.opener ?? "";
if (result && opener && window.opener) {
  const message = { source: POPUP, type: "oauthResult", connectionId: result.dataset.connectionId ?? "", status: Number(result.dataset.status) };
  (window.opener as Window).postMessage(message, opener);
  window.close();
}
