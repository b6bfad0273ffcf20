// Consentry Link SDK: built from sdk/link (npm run build). Do not edit.

// src/manage.ts
var sdkModule = "/sdk/link.js";
var root = document.getElementById("consentry-manage");
var companyId = root.dataset.companyId ?? "";
var fragment = new URLSearchParams(location.hash.slice(1));
var key = `consentry-manage:${companyId}`;
var fromFragment = fragment.get("accessToken");
if (fromFragment) {
  sessionStorage.setItem(key, fromFragment);
  fragment.delete("accessToken");
  history.replaceState(history.state, "", `${location.pathname}${location.search}${fragment.size > 0 ? `#${fragment}` : ""}`);
}
var accessToken = sessionStorage.getItem(key);
if (!accessToken) {
  const p = document.createElement("p");
  p.className = "error";
  p.setAttribute("role", "alert");
  p.textContent = root.dataset.noToken ?? "";
  root.append(p);
} else {
  void import(sdkModule).then(({ CodatConnections }) => new CodatConnections({ target: root, props: { companyId, accessToken, locale: document.documentElement.lang }, baseUrl: location.origin }));
}
