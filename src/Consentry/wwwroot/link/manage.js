// Consentry Link SDK: built from sdk/link (npm run build). Do not edit.

// src/protocol.ts
var POPUP = "consentry-popup";
var RESULT_FRAGMENT = "consentry-result";
function trusted(event, origin, source, envelope) {
  if (event.origin !== origin || source == null || event.source !== source) return false;
  const data = event.data;
  return typeof data === "object" && data !== null && data.source === envelope && typeof data.type === "string";
}
function readResume(hash) {
  const match = new RegExp(`(?:^#|&)${RESULT_FRAGMENT}=([0-9a-fA-F-]{36}):(\\d{3})(?:&|$)`).exec(hash);
  return match ? { connectionId: match[1].toLowerCase(), status: Number(match[2]) } : void 0;
}
function withoutResume(url) {
  const [base, hash = ""] = url.split("#", 2);
  const rest = hash.split("&").filter((p) => p && !p.startsWith(`${RESULT_FRAGMENT}=`)).join("&");
  return rest ? `${base}#${rest}` : base;
}
function isAuthorizeUrl(url, origin) {
  try {
    const parsed = new URL(url);
    return parsed.origin === origin && parsed.pathname === "/link/embed/authorize" && parsed.searchParams.has("ticket");
  } catch {
    return false;
  }
}
var GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
function isGuid(value) {
  return typeof value === "string" && GUID.test(value);
}

// src/connections.ts
var DATA_TYPE_LABELS = {
  company: "Company details",
  profitAndLoss: "Profit and loss",
  "banking-accountBalances": "Bank account balances",
  "commerce-companyInfo": "Store details"
};
function dataTypeLabel(dataType) {
  const known = DATA_TYPE_LABELS[dataType];
  if (known) return known;
  const [area, name] = dataType.includes("-") ? dataType.split("-", 2) : ["", dataType];
  const prefix = area === "banking" ? "bank " : area === "commerce" ? "store " : "";
  const words = (prefix + name.replace(/([a-z])([A-Z])/g, "$1 $2")).toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
function dataTypeList(dataTypes) {
  return dataTypes.map(dataTypeLabel).join(", ");
}
function formatDate(iso, locale) {
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" }).format(new Date(iso));
}
function revokeText(c, consent, appName = "the app") {
  const product = consent.productIdentifier ?? appName;
  const stops = consent.stopsIfRevoked.length > 0 ? ` ${c.platformName} stops sharing ${dataTypeList(consent.stopsIfRevoked)}.` : ` Every data type it uses is still used by another product, so nothing stops being read.`;
  return `You will no longer share ${c.platformName} data for ${product}.${stops} You stay connected for your other products.`;
}
function toArgs(c) {
  return { connectionId: c.id, integrationId: c.integrationId, integrationKey: c.integrationKey, platformName: c.platformName, sourceId: c.sourceId, sourceType: c.sourceType };
}
function impactText(c, appName = "The app") {
  const products = c.impact.products.length > 0 ? ` It is used for: ${c.impact.products.join(", ")}.` : "";
  const data = c.impact.dataTypes.length > 0 ? ` ${appName} will stop receiving new data from ${c.platformName}: ${dataTypeList(c.impact.dataTypes)}.` : "";
  return `Disconnecting ${c.platformName} stops all further syncs; data already shared is kept.${data}${products}`;
}
var STATUS_TEXT = {
  Linked: "Connected",
  Unlinked: "Disconnected",
  Deauthorized: "Consent expired",
  PendingAuth: "Not finished"
};
var STYLE = `
:host { display: block; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111827; }
ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
li { border: 1px solid #D1D5DB; border-radius: 10px; padding: 12px; display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
img { width: 32px; height: 32px; }
.name { font-weight: 600; flex: 1; }
.status { color: #4B5563; }
.impact { flex-basis: 100%; margin: 0; color: #4B5563; }
button { font: inherit; font-weight: 600; border-radius: 8px; padding: 8px 12px; min-height: 40px; cursor: pointer; border: 2px solid var(--consentry-primary, #4F46E5); background: #fff; color: var(--consentry-primary, #4F46E5); }
button.primary { background: var(--consentry-primary, #4F46E5); color: #fff; }
button.danger { background: #B91C1C; border-color: #B91C1C; color: #fff; }
button:focus-visible { outline: 3px solid #F59E0B; outline-offset: 2px; }
.error { color: #B91C1C; }
h2 { font-size: 1.1rem; }`;
var CodatConnections = class {
  #origin;
  #props;
  #root;
  #host;
  #connections = [];
  /** The app's name (its Link branding), read once; "the app" until then or when it cannot be read. */
  #appName;
  #message = "";
  #onMessage;
  #watch;
  constructor({ target, props, baseUrl }) {
    if (!(target instanceof HTMLElement)) throw new TypeError("CodatConnections: target must be an HTMLElement.");
    if (!props || !isGuid(props.companyId) || typeof props.accessToken !== "string") {
      throw new TypeError("CodatConnections: props.companyId (a GUID) and props.accessToken are required.");
    }
    this.#props = props;
    this.#origin = new URL(baseUrl ?? import.meta.url).origin;
    this.#host = document.createElement("div");
    this.#host.setAttribute("data-consentry-connections", "");
    this.#root = this.#host.attachShadow({ mode: "open" });
    target.append(this.#host);
    void this.#start();
  }
  destroy() {
    this.#stopWaiting();
    this.#host.remove();
  }
  #stopWaiting() {
    if (this.#onMessage) window.removeEventListener("message", this.#onMessage);
    if (this.#watch !== void 0) window.clearInterval(this.#watch);
    this.#onMessage = void 0;
    this.#watch = void 0;
  }
  /** Reads the list again (e.g. after the app connected something elsewhere). */
  async refresh() {
    try {
      if (this.#appName === void 0) {
        this.#appName = await this.#api("GET", "/journey").then((j) => j.brandName || "", () => "");
      }
      this.#connections = await this.#api("GET", "/connections");
    } catch (e) {
      this.#error(e);
    }
    this.#render();
  }
  async #start() {
    const resume = readResume(location.hash);
    if (resume) history.replaceState(history.state, "", withoutResume(location.href));
    await this.refresh();
    if (resume) this.#announce(resume.connectionId, resume.status);
  }
  #announce(connectionId, status) {
    const connection = this.#connections.find((c) => c.id === connectionId);
    if (connection?.status === "Linked") {
      this.#message = `${connection.platformName} is connected.`;
      this.#props.onConnection?.(toArgs(connection));
    } else {
      this.#message = status === 403 || status === 0 ? "Not connected: nothing changed." : "The connection could not be completed. Please try again.";
    }
    this.#render();
  }
  async #api(method, path, body) {
    let response;
    try {
      response = await fetch(`${this.#origin}/link/api/companies/${this.#props.companyId}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.#props.accessToken}`, ...body === void 0 ? {} : { "Content-Type": "application/json" } },
        body: body === void 0 ? void 0 : JSON.stringify(body),
        credentials: "omit",
        cache: "no-store"
      });
    } catch {
      throw Object.assign(new Error(`This page's origin (${location.origin}) is not allowed to manage connections, or Consentry is unreachable.`), { status: 0 });
    }
    if (!response.ok) {
      const error = await response.json().catch(() => ({}));
      throw Object.assign(new Error(error.error ?? `Consentry answered ${response.status}.`), { status: response.status });
    }
    return await response.json();
  }
  #error(e) {
    const status = e.status;
    this.#message = e instanceof Error ? e.message : String(e);
    this.#props.onError?.({ message: this.#message, errorCode: status || void 0, userRecoverable: status !== 0 && status !== 401 && status !== 403 });
  }
  #el(tag, props = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }
  #button(label, onClick, kind = "") {
    const b = this.#el("button", { type: "button", className: kind }, label);
    b.addEventListener("click", onClick);
    return b;
  }
  #render(confirming) {
    const app = this.#appName || "the app";
    const items = this.#connections.map((c) => {
      const li = this.#el(
        "li",
        {},
        this.#el("img", { src: `${this.#origin}${c.logoUrl}`, alt: "" }),
        this.#el("span", { className: "name" }, c.platformName),
        this.#el("span", { className: "status" }, `${c.sourceType} · ${STATUS_TEXT[c.status] ?? c.status}`)
      );
      li.setAttribute("aria-label", c.platformName);
      if (c.consentExpiresAt && c.status === "Linked") {
        li.append(this.#el("p", { className: "impact" }, `Your consent at ${c.platformName} ends on ${formatDate(c.consentExpiresAt)}.`));
      }
      if (c.status === "Linked") {
        for (const consent of (c.consents ?? []).filter((s) => s.status === "Active")) {
          const key2 = `${c.id}:${consent.productIdentifier ?? "general"}`;
          const row = this.#el("p", { className: "impact" }, `${consent.productIdentifier ?? `Shared with ${app}`}: ${dataTypeList(consent.dataTypes)} `);
          if (confirming === key2) {
            row.append(
              this.#el("span", {}, revokeText(c, consent, app)),
              " ",
              this.#button("Keep sharing", () => this.#render(), "primary"),
              this.#button(`Stop sharing for ${consent.productIdentifier ?? app}`, () => void this.#revoke(c, consent), "danger")
            );
          } else {
            row.append(this.#button(`Stop sharing for ${consent.productIdentifier ?? app}`, () => this.#render(key2)));
          }
          li.append(row);
        }
      }
      if (c.status === "Linked" && confirming === c.id) {
        li.append(
          this.#el("p", { className: "impact" }, impactText(c, this.#appName || "The app")),
          this.#button("Keep connected", () => this.#render(), "primary"),
          this.#button(`Disconnect ${c.platformName}`, () => void this.#disconnect(c), "danger")
        );
      } else if (c.status === "Linked") {
        li.append(this.#button("Disconnect", () => this.#render(c.id)));
      } else {
        li.append(this.#button("Reconnect", () => void this.#authorize(`/connections/${c.id}/authorize`, {}, this.#openPopup())));
      }
      return li;
    });
    const children = [this.#el("style", {}, STYLE), this.#el("h2", {}, "Your connections")];
    if (this.#message) children.push(this.#el("p", { role: "status" }, this.#message));
    children.push(items.length > 0 ? this.#el("ul", {}, ...items) : this.#el("p", {}, "No connections yet."));
    children.push(this.#button("Add a connection", () => void this.#showAdd(), "primary"));
    this.#root.replaceChildren(...children);
  }
  async #showAdd() {
    try {
      const journey = await this.#api("GET", "/journey");
      const lists = journey.categories.filter((c) => c.enabled).map((c) => this.#el(
        "section",
        {},
        this.#el("h3", {}, c.title),
        this.#el("ul", {}, ...c.integrations.map((i) => this.#el(
          "li",
          {},
          this.#el("img", { src: `${this.#origin}${i.logoUrl}`, alt: "" }),
          this.#button(`Connect ${i.name}`, () => void this.#authorize("/connections", { platformKey: i.key }, this.#openPopup()))
        )))
      ));
      this.#root.replaceChildren(this.#el("style", {}, STYLE), this.#el("h2", {}, "Add a connection"), ...lists, this.#button("Back", () => this.#render()));
    } catch (e) {
      this.#error(e);
      this.#render();
    }
  }
  #openPopup() {
    try {
      return window.open("about:blank", "consentry-signin", "popup=yes,width=520,height=720");
    } catch {
      return null;
    }
  }
  async #revoke(c, consent) {
    try {
      await this.#api("DELETE", `/connections/${c.id}/consents/${encodeURIComponent(consent.productIdentifier ?? "general")}`);
      this.#message = `You no longer share ${c.platformName} data for ${consent.productIdentifier ?? (this.#appName || "the app")}.`;
    } catch (e) {
      this.#error(e);
    }
    await this.refresh();
  }
  async #disconnect(c) {
    try {
      await this.#api("PATCH", `/connections/${c.id}`, { status: "Unlinked" });
      this.#message = `${c.platformName} is disconnected.`;
      this.#props.onDisconnect?.(toArgs(c));
    } catch (e) {
      this.#error(e);
    }
    await this.refresh();
  }
  /** Starts a sign-in: in the popup opened by the click, or (blocked) by sending the page there and back. */
  async #authorize(path, body, popup) {
    try {
      const started = await this.#api(
        "POST",
        path,
        popup ? { ...body, mode: "Popup" } : { ...body, mode: "Redirect", returnUrl: withoutResume(location.href) }
      );
      const url = new URL(started.authorizeUrl, this.#origin).href;
      if (!popup) {
        if (isAuthorizeUrl(url, this.#origin)) window.location.assign(url);
        return;
      }
      popup.location.href = url;
      this.#stopWaiting();
      const done = (connectionId, status) => {
        this.#stopWaiting();
        void this.refresh().then(() => this.#announce(connectionId, status));
      };
      this.#onMessage = (event) => {
        if (!trusted(event, this.#origin, popup, POPUP)) return;
        const data = event.data;
        done(data.connectionId, data.status);
      };
      window.addEventListener("message", this.#onMessage);
      this.#watch = window.setInterval(() => {
        if (popup.closed) done(started.connection.connectionId, 0);
      }, 1e3);
      this.#message = `Finish signing in to ${started.connection.platformName} in the window that opened.`;
      this.#render();
    } catch (e) {
      popup?.close();
      this.#error(e);
      this.#render();
    }
  }
};

// src/manage.ts
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
  p.textContent = "This page needs a link from the app (it carries a short-lived access token). Go back to the app and open it again.";
  root.append(p);
} else {
  new CodatConnections({ target: root, props: { companyId, accessToken }, baseUrl: location.origin });
}
