// The hosted "manage my connections" page (/link/company/{companyId}/manage): the Connections component on
// Consentry's own origin. The app sends the customer here with the company access token in the fragment
// (#accessToken=…), which never reaches a server log; the page keeps it for this tab only (sessionStorage) and removes
// it from the address bar.

import { CodatConnections } from "./connections";
import { setLocale, t } from "./i18n";

const root = document.getElementById("consentry-manage") as HTMLElement;
setLocale(document.documentElement.lang);
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
  p.textContent = t("This page needs a link from the app (it carries a short-lived access token). Go back to the app and open it again.");
  root.append(p);
} else {
  new CodatConnections({ target: root, props: { companyId, accessToken }, baseUrl: location.origin });
}
