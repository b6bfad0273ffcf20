// The hosted "manage my connections" page (/link/company/{companyId}/manage): the Connections component on
// Consentry's own origin. The app sends the customer here with the company access token in the fragment
// (#accessToken=…), which never reaches a server log; the page keeps it for this tab only (sessionStorage) and removes
// it from the address bar.

// The component comes from the SDK module the host already serves (/sdk/link.js), not a second bundle of the same
// source: a non-literal import is left to the browser by the bundler. Only its type is taken from the source here.
const sdkModule = "/sdk/link.js";
type Sdk = typeof import("./connections");

const root = document.getElementById("consentry-manage") as HTMLElement;
const companyId = root.dataset.companyId ?? "";
const fragment = new URLSearchParams(location.hash.slice(1));
const key = `consentry-manage:${companyId}`;
const fromFragment = fragment.get("accessToken");
if (fromFragment) {
  sessionStorage.setItem(key, fromFragment);
  fragment.delete("accessToken");
  history.replaceState(history.state, "", `${location.pathname}${location.search}${fragment.size > 0 ? `#${fragment}` : ""}`);
}

const accessToken = sessionStorage.getItem(key);
if (!accessToken) {
  const p = document.createElement("p");
  p.className = "error";
  p.setAttribute("role", "alert");
  p.textContent = root.dataset.noToken ?? ""; // in the customer's language, from the page
  root.append(p);
} else {
  void (import(sdkModule) as Promise<Sdk>).then(({ CodatConnections }) =>
    new CodatConnections({ target: root, props: { companyId, accessToken, locale: document.documentElement.lang }, baseUrl: location.origin }));
}
