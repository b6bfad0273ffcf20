// The Connections component: the customer's "manage my connections" screen in the app's page. It lists the company's
// connections with the company access token, shows what disconnecting affects before doing it, disconnects, reconnects
// and adds connections (sign-in in a popup, or a top-level redirect when the popup is blocked).

import type { ConnectionCallbackArgs, ErrorCallbackArgs } from "@codat/sdk-link-types";
import { locale as currentLocale, setLocale, t } from "./i18n";
import { dataTypeList } from "./labels";
import { type FromPopup, POPUP, isAuthorizeUrl, isGuid, readResume, trusted, withoutResume } from "./protocol";

export { dataTypeLabel, dataTypeList } from "./labels";

export interface ConnectionImpact {
  dataTypes: string[];
  products: string[];
}

export interface ManagedConnection {
  id: string;
  integrationId: string;
  integrationKey: string;
  platformName: string;
  sourceId: string;
  sourceType: ConnectionCallbackArgs["sourceType"];
  status: "PendingAuth" | "Linked" | "Unlinked" | "Deauthorized";
  created: string;
  lastSync?: string;
  logoUrl: string;
  impact: ConnectionImpact;
  /** When the customer's consent at the platform ends (Open Banking style platforms). */
  consentExpiresAt?: string;
  /** Each product's consent (productIdentifier absent: the consent given without products). */
  consents?: ConsentState[];
  /** Products of the company this connection could serve, awaiting the customer's additional consent. */
  pending?: { productIdentifier: string; dataTypes: string[] }[];
}

export interface ConsentState {
  productIdentifier?: string;
  status: "Active" | "Revoked" | "Expired";
  dataTypes: string[];
  stopsIfRevoked: string[];
}

/** A date with the month's name in the reader's locale (the browser's unless given): "4 Mar 2027" in en-GB. */
export function formatDate(iso: string, locale: string | undefined = currentLocale() === "en" ? undefined : currentLocale()): string {
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" }).format(new Date(iso));
}

/** What the customer reads before they stop sharing data for one product. */
export function revokeText(c: ManagedConnection, consent: ConsentState, appName = t("the app")): string {
  const product = consent.productIdentifier ?? appName;
  const stops = consent.stopsIfRevoked.length > 0
    ? t(" {0} stops sharing {1}.", c.platformName, dataTypeList(consent.stopsIfRevoked))
    : t(" Every data type it uses is still used by another product, so nothing stops being read.");
  return `${t("You will no longer share {0} data for {1}.", c.platformName, product)}${stops}${t(" You stay connected for your other products.")}`;
}

/** One line per active consent: the product and the data it reads. */
export function consentLines(c: ManagedConnection, appName = t("the app")): string[] {
  return (c.consents ?? []).filter((s) => s.status === "Active").map((s) => `${s.productIdentifier ?? t("Shared with {0}", appName)}: ${dataTypeList(s.dataTypes)}`);
}

export interface CodatConnectionsProps {
  companyId: string;
  accessToken: string;
  onError?: (args: ErrorCallbackArgs) => void;
  /** A connection was (re)authorized. */
  onConnection?: (args: ConnectionCallbackArgs) => void;
  onDisconnect?: (args: ConnectionCallbackArgs) => void;
  /** The language of the component: en, fr, de, es or nl ("fr-FR"…); English by default. */
  locale?: string;
}

export function toArgs(c: ManagedConnection): ConnectionCallbackArgs {
  return { connectionId: c.id, integrationId: c.integrationId, integrationKey: c.integrationKey, platformName: c.platformName, sourceId: c.sourceId, sourceType: c.sourceType };
}

/** What the customer reads before disconnecting. */
export function impactText(c: ManagedConnection, appName = t("The app")): string {
  const products = c.impact.products.length > 0 ? t(" It is used for: {0}.", c.impact.products.join(", ")) : "";
  const data = c.impact.dataTypes.length > 0 ? t(" {0} will stop receiving new data from {1}: {2}.", appName, c.platformName, dataTypeList(c.impact.dataTypes)) : "";
  return `${t("Disconnecting {0} stops all further syncs; data already shared is kept.", c.platformName)}${data}${products}`;
}

const STATUS_TEXT: Record<ManagedConnection["status"], string> = {
  Linked: "Connected",
  Unlinked: "Disconnected",
  Deauthorized: "Consent expired",
  PendingAuth: "Not finished",
};

const STYLE = `
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

export class CodatConnections {
  readonly #origin: string;
  readonly #props: CodatConnectionsProps;
  readonly #root: ShadowRoot;
  readonly #host: HTMLElement;
  #connections: ManagedConnection[] = [];
  /** The app's name (its Link branding), read once; "the app" until then or when it cannot be read. */
  #appName: string | undefined;
  #message = "";
  #onMessage: ((event: MessageEvent) => void) | undefined;
  #watch: number | undefined;

  constructor({ target, props, baseUrl }: { target: HTMLElement; props: CodatConnectionsProps; baseUrl?: string }) {
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

  destroy(): void {
    this.#stopWaiting();
    this.#host.remove();
  }

  #stopWaiting(): void {
    if (this.#onMessage) window.removeEventListener("message", this.#onMessage);
    if (this.#watch !== undefined) window.clearInterval(this.#watch);
    this.#onMessage = undefined;
    this.#watch = undefined;
  }

  /** Reads the list again (e.g. after the app connected something elsewhere). */
  async refresh(): Promise<void> {
    try {
      if (this.#appName === undefined) {
        this.#appName = await this.#api<{ brandName?: string }>("GET", "/journey").then((j) => j.brandName || "", () => "");
      }
      this.#connections = await this.#api<ManagedConnection[]>("GET", "/connections");
    } catch (e) {
      this.#error(e);
    }
    this.#render();
  }

  async #start(): Promise<void> {
    const resume = readResume(location.hash);
    if (resume) history.replaceState(history.state, "", withoutResume(location.href));
    await this.refresh();
    if (resume) this.#announce(resume.connectionId, resume.status);
  }

  #announce(connectionId: string, status: number): void {
    const connection = this.#connections.find((c) => c.id === connectionId);
    if (connection?.status === "Linked") {
      this.#message = t("{0} is connected.", connection.platformName);
      this.#props.onConnection?.(toArgs(connection));
    } else {
      this.#message = status === 403 || status === 0 ? t("Not connected: nothing changed.") : t("The connection could not be completed. Please try again.");
    }
    this.#render();
  }

  async #api<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.#origin}/link/api/companies/${this.#props.companyId}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.#props.accessToken}`, ...(this.#props.locale ? { "Accept-Language": currentLocale() } : {}), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
        cache: "no-store",
      });
    } catch {
      throw Object.assign(new Error(t("This page's origin ({0}) is not allowed to manage connections, or Consentry is unreachable.", location.origin)), { status: 0 });
    }
    if (!response.ok) {
      const error = (await response.json().catch(() => ({}))) as { error?: string };
      throw Object.assign(new Error(error.error ?? t("Consentry answered {0}.", response.status)), { status: response.status });
    }
    return (await response.json()) as T;
  }

  #error(e: unknown): void {
    const status = (e as { status?: number }).status;
    this.#message = e instanceof Error ? e.message : String(e);
    this.#props.onError?.({ message: this.#message, errorCode: status || undefined, userRecoverable: status !== 0 && status !== 401 && status !== 403 });
  }

  #el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  #button(label: string, onClick: () => void, kind: "" | "primary" | "danger" = ""): HTMLButtonElement {
    const b = this.#el("button", { type: "button", className: kind }, label);
    b.addEventListener("click", onClick);
    return b;
  }

  #render(confirming?: string): void {
    const app = this.#appName || "the app";
    const items = this.#connections.map((c) => {
      const li = this.#el("li", {}, this.#el("img", { src: `${this.#origin}${c.logoUrl}`, alt: "" }), this.#el("span", { className: "name" }, c.platformName),
        this.#el("span", { className: "status" }, `${t(c.sourceType)} · ${t(STATUS_TEXT[c.status] ?? c.status)}`));
      li.setAttribute("aria-label", c.platformName);
      if (c.consentExpiresAt && c.status === "Linked") {
        li.append(this.#el("p", { className: "impact" }, t("Your consent at {0} ends on {1}.", c.platformName, formatDate(c.consentExpiresAt))));
      }
      if (c.status === "Linked") {
        for (const consent of (c.consents ?? []).filter((s) => s.status === "Active")) {
          const key = `${c.id}:${consent.productIdentifier ?? "general"}`;
          const row = this.#el("p", { className: "impact" }, `${consent.productIdentifier ?? t("Shared with {0}", app)}: ${dataTypeList(consent.dataTypes)} `);
          if (confirming === key) {
            // The safe choice is the primary one; the destructive one is marked as such.
            row.append(this.#el("span", {}, revokeText(c, consent, app)), " ",
              this.#button(t("Keep sharing"), () => this.#render(), "primary"),
              this.#button(t("Stop sharing for {0}", consent.productIdentifier ?? app), () => void this.#revoke(c, consent), "danger"));
          } else {
            row.append(this.#button(t("Stop sharing for {0}", consent.productIdentifier ?? app), () => this.#render(key)));
          }
          li.append(row);
        }
      }
      if (c.status === "Linked" && confirming === c.id) {
        li.append(this.#el("p", { className: "impact" }, impactText(c, this.#appName || t("The app"))),
          this.#button(t("Keep connected"), () => this.#render(), "primary"), this.#button(t("Disconnect {0}", c.platformName), () => void this.#disconnect(c), "danger"));
      } else if (c.status === "Linked") {
        li.append(this.#button(t("Disconnect"), () => this.#render(c.id)));
      } else {
        li.append(this.#button(t("Reconnect"), () => void this.#authorize(`/connections/${c.id}/authorize`, {}, this.#openPopup())));
      }
      return li;
    });
    const children: Node[] = [this.#el("style", {}, STYLE), this.#el("h2", {}, t("Your connections"))];
    if (this.#message) children.push(this.#el("p", { role: "status" }, this.#message));
    children.push(items.length > 0 ? this.#el("ul", {}, ...items) : this.#el("p", {}, t("No connections yet.")));
    children.push(this.#button(t("Add a connection"), () => void this.#showAdd(), "primary"));
    this.#root.replaceChildren(...children);
  }

  async #showAdd(): Promise<void> {
    try {
      const journey = await this.#api<{ categories: { title: string; enabled: boolean; integrations: { key: string; name: string; logoUrl: string }[] }[] }>("GET", "/journey");
      const lists = journey.categories.filter((c) => c.enabled).map((c) => this.#el("section", {}, this.#el("h3", {}, c.title),
        this.#el("ul", {}, ...c.integrations.map((i) => this.#el("li", {}, this.#el("img", { src: `${this.#origin}${i.logoUrl}`, alt: "" }),
          this.#button(t("Connect {0}", i.name), () => void this.#authorize("/connections", { platformKey: i.key }, this.#openPopup())))))));
      this.#root.replaceChildren(this.#el("style", {}, STYLE), this.#el("h2", {}, t("Add a connection")), ...lists, this.#button(t("Back"), () => this.#render()));
    } catch (e) {
      this.#error(e);
      this.#render();
    }
  }

  #openPopup(): Window | null {
    try {
      return window.open("about:blank", "consentry-signin", "popup=yes,width=520,height=720");
    } catch {
      return null;
    }
  }

  async #revoke(c: ManagedConnection, consent: ConsentState): Promise<void> {
    try {
      await this.#api("DELETE", `/connections/${c.id}/consents/${encodeURIComponent(consent.productIdentifier ?? "general")}`);
      this.#message = t("You no longer share {0} data for {1}.", c.platformName, consent.productIdentifier ?? (this.#appName || t("the app")));
    } catch (e) {
      this.#error(e);
    }
    await this.refresh();
  }

  async #disconnect(c: ManagedConnection): Promise<void> {
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
  async #authorize(path: string, body: Record<string, unknown>, popup: Window | null): Promise<void> {
    try {
      const started = await this.#api<{ connection: ConnectionCallbackArgs; authorizeUrl: string }>("POST", path,
        popup ? { ...body, mode: "Popup" } : { ...body, mode: "Redirect", returnUrl: withoutResume(location.href) });
      const url = new URL(started.authorizeUrl, this.#origin).href;
      if (!popup) {
        if (isAuthorizeUrl(url, this.#origin)) window.location.assign(url);
        return;
      }
      popup.location.href = url;
      this.#stopWaiting();
      const done = (connectionId: string, status: number) => {
        this.#stopWaiting();
        void this.refresh().then(() => this.#announce(connectionId, status));
      };
      this.#onMessage = (event: MessageEvent) => {
        if (!trusted(event, this.#origin, popup, POPUP)) return;
        const data = event.data as FromPopup;
        done(data.connectionId, data.status);
      };
      window.addEventListener("message", this.#onMessage);
      // Platforms whose pages cut the popup off from its opener never send the message: when the popup is gone, read the list.
      this.#watch = window.setInterval(() => {
        if (popup.closed) done(started.connection.connectionId, 0);
      }, 1000);
      this.#message = t("Finish signing in to {0} in the window that opened.", started.connection.platformName);
      this.#render();
    } catch (e) {
      popup?.close();
      this.#error(e);
      this.#render();
    }
  }
}
