// Consentry Link SDK: built from sdk/link (npm run build). Do not edit.
import {
  EMBED,
  POPUP,
  SDK,
  dataTypeList,
  isAuthorizeUrl,
  isGuid,
  locale,
  readResume,
  setLocale,
  t,
  trusted,
  withoutResume
} from "./chunks/shared-DI46SLO3.js";

// src/layout.ts
var SMALL_SCREEN = "(max-width: 599.98px)";
function frameStyle(fullScreen, bordered) {
  return fullScreen ? { position: "fixed", inset: "0", zIndex: "2147483000", width: "100%", height: "100%", minHeight: "0", border: "0", borderRadius: "0", margin: "0" } : { position: "", inset: "", zIndex: "", width: "100%", height: "100%", minHeight: "600px", border: bordered ? "1px solid #D1D5DB" : "0", borderRadius: bordered ? "12px" : "0", margin: "" };
}
function isFullScreen(smallScreen, nonModal) {
  return smallScreen && nonModal !== true;
}

// src/connections.ts
function formatDate(iso, locale2 = locale() === "en" ? void 0 : locale()) {
  return new Intl.DateTimeFormat(locale2, { day: "numeric", month: "short", year: "numeric" }).format(new Date(iso));
}
function revokeText(c, consent, appName = t("the app")) {
  const product = consent.productIdentifier ?? appName;
  const stops = consent.stopsIfRevoked.length > 0 ? t(" {0} stops sharing {1}.", c.platformName, dataTypeList(consent.stopsIfRevoked)) : t(" Every data type it uses is still used by another product, so nothing stops being read.");
  return `${t("You will no longer share {0} data for {1}.", c.platformName, product)}${stops}${t(" You stay connected for your other products.")}`;
}
function toArgs(c) {
  return { connectionId: c.id, integrationId: c.integrationId, integrationKey: c.integrationKey, platformName: c.platformName, sourceId: c.sourceId, sourceType: c.sourceType };
}
function impactText(c, appName = t("The app")) {
  const products = c.impact.products.length > 0 ? t(" It is used for: {0}.", c.impact.products.join(", ")) : "";
  const data = c.impact.dataTypes.length > 0 ? t(" {0} will stop receiving new data from {1}: {2}.", appName, c.platformName, dataTypeList(c.impact.dataTypes)) : "";
  return `${t("Disconnecting {0} stops all further syncs; data already shared is kept.", c.platformName)}${data}${products}`;
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
    if (props.locale) setLocale(props.locale);
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
      this.#message = t("{0} is connected.", connection.platformName);
      this.#props.onConnection?.(toArgs(connection));
    } else {
      this.#message = status === 403 || status === 0 ? t("Not connected: nothing changed.") : t("The connection could not be completed. Please try again.");
    }
    this.#render();
  }
  async #api(method, path, body) {
    let response;
    try {
      response = await fetch(`${this.#origin}/link/api/companies/${this.#props.companyId}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.#props.accessToken}`, ...this.#props.locale ? { "Accept-Language": locale() } : {}, ...body === void 0 ? {} : { "Content-Type": "application/json" } },
        body: body === void 0 ? void 0 : JSON.stringify(body),
        credentials: "omit",
        cache: "no-store"
      });
    } catch {
      throw Object.assign(new Error(t("This page's origin ({0}) is not allowed to manage connections, or Consentry is unreachable.", location.origin)), { status: 0 });
    }
    if (!response.ok) {
      const error = await response.json().catch(() => ({}));
      throw Object.assign(new Error(error.error ?? t("Consentry answered {0}.", response.status)), { status: response.status });
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
        this.#el("span", { className: "status" }, `${t(c.sourceType)} · ${t(STATUS_TEXT[c.status] ?? c.status)}`)
      );
      li.setAttribute("aria-label", c.platformName);
      if (c.consentExpiresAt && c.status === "Linked") {
        li.append(this.#el("p", { className: "impact" }, t("Your consent at {0} ends on {1}.", c.platformName, formatDate(c.consentExpiresAt))));
      }
      if (c.status === "Linked") {
        for (const consent of (c.consents ?? []).filter((s) => s.status === "Active")) {
          const key = `${c.id}:${consent.productIdentifier ?? "general"}`;
          const row = this.#el("p", { className: "impact" }, `${consent.productIdentifier ?? t("Shared with {0}", app)}: ${dataTypeList(consent.dataTypes)} `);
          if (confirming === key) {
            row.append(
              this.#el("span", {}, revokeText(c, consent, app)),
              " ",
              this.#button(t("Keep sharing"), () => this.#render(), "primary"),
              this.#button(t("Stop sharing for {0}", consent.productIdentifier ?? app), () => void this.#revoke(c, consent), "danger")
            );
          } else {
            row.append(this.#button(t("Stop sharing for {0}", consent.productIdentifier ?? app), () => this.#render(key)));
          }
          li.append(row);
        }
      }
      if (c.status === "Linked" && confirming === c.id) {
        li.append(
          this.#el("p", { className: "impact" }, impactText(c, this.#appName || t("The app"))),
          this.#button(t("Keep connected"), () => this.#render(), "primary"),
          this.#button(t("Disconnect {0}", c.platformName), () => void this.#disconnect(c), "danger")
        );
      } else if (c.status === "Linked") {
        li.append(this.#button(t("Disconnect"), () => this.#render(c.id)));
      } else {
        li.append(this.#button(t("Reconnect"), () => void this.#authorize(`/connections/${c.id}/authorize`, {}, this.#openPopup())));
      }
      return li;
    });
    const children = [this.#el("style", {}, STYLE), this.#el("h2", {}, t("Your connections"))];
    if (this.#message) children.push(this.#el("p", { role: "status" }, this.#message));
    children.push(items.length > 0 ? this.#el("ul", {}, ...items) : this.#el("p", {}, t("No connections yet.")));
    children.push(this.#button(t("Add a connection"), () => void this.#showAdd(), "primary"));
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
          this.#button(t("Connect {0}", i.name), () => void this.#authorize("/connections", { platformKey: i.key }, this.#openPopup()))
        )))
      ));
      this.#root.replaceChildren(this.#el("style", {}, STYLE), this.#el("h2", {}, t("Add a connection")), ...lists, this.#button(t("Back"), () => this.#render()));
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
      this.#message = t("You no longer share {0} data for {1}.", c.platformName, consent.productIdentifier ?? (this.#appName || t("the app")));
    } catch (e) {
      this.#error(e);
    }
    await this.refresh();
  }
  async #disconnect(c) {
    try {
      await this.#api("PATCH", `/connections/${c.id}`, { status: "Unlinked" });
      this.#message = t("{0} is disconnected.", c.platformName);
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
      this.#message = t("Finish signing in to {0} in the window that opened.", started.connection.platformName);
      this.#render();
    } catch (e) {
      popup?.close();
      this.#error(e);
      this.#render();
    }
  }
};

// src/link.ts
function moduleOrigin() {
  return new URL(import.meta.url).origin;
}
async function preflight(origin, companyId, accessToken) {
  let response;
  try {
    response = await fetch(`${origin}/link/api/companies/${companyId}/journey`, {
      headers: { Authorization: `Bearer ${accessToken}` },
      credentials: "omit",
      cache: "no-store"
    });
  } catch {
    return { message: `This page's origin (${location.origin}) is not allowed to embed Link for this company, or Consentry is unreachable. Add the origin with POST /corsSettings.`, userRecoverable: false };
  }
  if (response.ok) return void 0;
  const body = await response.json().catch(() => ({}));
  return { message: body.error ?? `Consentry answered ${response.status}.`, errorCode: response.status, correlationId: body.correlationId, userRecoverable: false };
}
var CodatLink = class {
  #origin;
  #props;
  #target;
  #frame;
  #onMessage;
  #unlayout;
  #destroyed = false;
  constructor({ target, props, baseUrl }) {
    if (!(target instanceof HTMLElement)) throw new TypeError("CodatLink: target must be an HTMLElement.");
    if (!props || !isGuid(props.companyId)) throw new TypeError("CodatLink: props.companyId must be the company's id (a GUID).");
    for (const name of ["onConnection", "onFinish", "onError"]) {
      if (typeof props[name] !== "function") throw new TypeError(`CodatLink: props.${name} is required.`);
    }
    this.#target = target;
    this.#props = props;
    this.#origin = new URL(baseUrl ?? import.meta.url).origin;
    void this.#mount();
  }
  /** Removes the journey from the page (call it in onFinish, onClose, or after a non-recoverable error). */
  destroy() {
    this.#destroyed = true;
    if (this.#onMessage) window.removeEventListener("message", this.#onMessage);
    this.#unlayout?.();
    this.#unlayout = void 0;
    this.#frame?.remove();
    this.#frame = void 0;
  }
  async #mount() {
    const props = this.#props;
    const accessToken = props.accessToken ?? "";
    const resume = readResume(location.hash);
    if (resume) history.replaceState(history.state, "", withoutResume(location.href));
    const refused = accessToken ? await preflight(this.#origin, props.companyId, accessToken) : { message: "props.accessToken is required: get it with GET /companies/{companyId}/accessToken.", userRecoverable: false };
    if (this.#destroyed) return;
    if (refused) {
      this.#call(() => props.onError(refused));
      return;
    }
    const options = props.options ?? {};
    const frame = document.createElement("iframe");
    const locale2 = options.locale;
    frame.src = `${this.#origin}/link/embed/${props.companyId}${locale2 ? `?locale=${encodeURIComponent(locale2)}` : ""}`;
    setLocale(locale2 ?? navigator.language);
    frame.title = t("Connect your business");
    frame.referrerPolicy = "no-referrer";
    frame.setAttribute("data-consentry-link", "");
    Object.assign(frame.style, { display: "block", boxSizing: "border-box", colorScheme: "normal", background: "#fff" });
    this.#unlayout = this.#layout(frame, options.hideBorder !== true && options.nonModal !== true, options.nonModal);
    this.#onMessage = (event) => {
      if (!trusted(event, this.#origin, frame.contentWindow, EMBED)) return;
      this.#handle(event.data);
    };
    window.addEventListener("message", this.#onMessage);
    frame.addEventListener("load", () => {
      const init = {
        source: SDK,
        type: "init",
        accessToken,
        hasClose: typeof props.onClose === "function",
        returnUrl: withoutResume(location.href),
        resume,
        options: JSON.parse(JSON.stringify({ ...options, nonModal: void 0 }))
      };
      frame.contentWindow?.postMessage(init, this.#origin);
    });
    this.#frame = frame;
    this.#target.append(frame);
  }
  /**
   * Keeps the frame full-screen while the viewport is small (a phone, or a narrow window), in place otherwise; the
   * page behind does not scroll while the journey covers it. Answers how to undo it.
   */
  #layout(frame, bordered, nonModal) {
    const small = typeof window.matchMedia === "function" ? window.matchMedia(SMALL_SCREEN) : void 0;
    const root = document.documentElement;
    const overflow = root.style.overflow;
    const apply = () => {
      const full = isFullScreen(small?.matches === true, nonModal);
      Object.assign(frame.style, frameStyle(full, bordered));
      root.style.overflow = full ? "hidden" : overflow;
      frame.toggleAttribute("data-full-screen", full);
    };
    apply();
    small?.addEventListener("change", apply);
    return () => {
      small?.removeEventListener("change", apply);
      root.style.overflow = overflow;
    };
  }
  #handle(message) {
    const props = this.#props;
    switch (message.type) {
      case "connectionStarted":
        if (props.onConnectionStarted) this.#call(() => props.onConnectionStarted(message.connection));
        break;
      case "connection":
        this.#call(() => props.onConnection(message.connection));
        break;
      case "consent":
        if (props.onConsent) this.#call(() => props.onConsent({ text: message.text }));
        break;
      case "finish":
        this.#call(() => props.onFinish());
        break;
      case "close":
        if (props.onClose) this.#call(() => props.onClose());
        break;
      case "error":
        this.#call(() => props.onError(message.error));
        break;
      case "navigate":
        if (isAuthorizeUrl(message.url, this.#origin)) window.location.assign(message.url);
        break;
      default:
        break;
    }
  }
  /** An app callback that throws must not break the journey. */
  #call(callback) {
    try {
      callback();
    } catch (e) {
      console.error("CodatLink: a callback threw", e);
    }
  }
};
async function initializeCodatLink(target, props) {
  new CodatLink({ target, props });
}
export {
  CodatConnections,
  CodatLink,
  initializeCodatLink,
  moduleOrigin,
  preflight
};
