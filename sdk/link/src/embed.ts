// The embedded journey: runs in Consentry's page inside the SDK's iframe (/link/embed/{companyId}). It trusts only its
// parent window on one of the client's allowed origins, receives the company access token from it, and drives the
// journey through the SDK's JSON endpoints. Sign-in happens first-party: in a popup opened in the click itself, or,
// when the popup is blocked, by asking the page to navigate to the sign-in and come back.

import type { ConnectionCallbackArgs, ErrorCallbackArgs } from "@codat/sdk-link-types";
import { type Category, type Integration, type ServerJourney, canComplete, consentMarkdown, missingText, planCategories, satisfied, text } from "./journey";
import { inSentence, locale, setLocale, t } from "./i18n";
import { renderInline, renderMarkdown } from "./markdown";
import { EMBED, type EmbedOptions, type FromEmbed, type FromPopup, POPUP, type Resume, SDK, type ToEmbed, safeColor, trusted } from "./protocol";

const root = document.getElementById("consentry-embed") as HTMLElement;
const companyId = root.dataset.companyId ?? "";
const allowedOrigins = (root.dataset.allowedOrigins ?? "").split(" ").filter(Boolean);
// The server chose the page's language (?locale=, the SDK's locale option, Accept-Language): the script speaks it too.
setLocale(document.documentElement.lang);

let parentOrigin: string | undefined;
let token = "";
let options: EmbedOptions = {};
let hasClose = false;
let returnUrl = "";
let journey: ServerJourney;
let categories: Category[] = [];
let notice: { text: string; ok: boolean } | undefined;
let stopWaiting: (() => void) | undefined;

type Message = FromEmbed extends infer M ? (M extends { source: string } ? Omit<M, "source"> : never) : never;

function post(message: Message): void {
  if (parentOrigin) window.parent.postMessage({ source: EMBED, ...message }, parentOrigin);
}

function fail(error: ErrorCallbackArgs): void {
  post({ type: "error", error });
}

class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly correlationId?: string) {
    super(message);
  }
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/link/api/companies/${companyId}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Accept-Language": locale(), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
  if (!response.ok) {
    const error = (await response.json().catch(() => ({}))) as { error?: string; correlationId?: string };
    throw new ApiError(response.status, error.error ?? `The server answered ${response.status}.`, error.correlationId);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

function report(e: unknown, recoverable: boolean): void {
  const status = e instanceof ApiError ? e.status : undefined;
  fail({
    message: e instanceof Error ? e.message : String(e),
    errorCode: status,
    correlationId: e instanceof ApiError ? e.correlationId : undefined,
    userRecoverable: recoverable && status !== 401 && status !== 403,
  });
}

// ---- rendering -------------------------------------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & { className?: string } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function button(label: string, onClick: (e: MouseEvent) => void, secondary = false): HTMLButtonElement {
  const b = el("button", { type: "button", className: secondary ? "secondary" : "" });
  b.append(...renderInline(document, label));
  b.addEventListener("click", onClick);
  return b;
}

function screen(title: string, ...content: Node[]): void {
  const children: Node[] = [];
  if (hasClose) {
    const close = el("button", { type: "button", className: "close secondary", ariaLabel: t("Close") }, "×");
    close.addEventListener("click", () => post({ type: "close" }));
    children.push(close);
  }
  const h1 = el("h1", { id: "page-title" });
  h1.append(...renderInline(document, title));
  children.push(h1);
  if (notice) children.push(el("p", { className: notice.ok ? "status done" : "status failed", role: "status" }, notice.text));
  root.replaceChildren(...children, ...content);
  const focus = root.querySelector<HTMLElement>("h1");
  focus?.setAttribute("tabindex", "-1");
  focus?.focus({ preventScroll: true });
}

function markdown(source: string): HTMLElement {
  const div = el("div", { className: "markdown" });
  div.append(...renderMarkdown(document, source));
  return div;
}

function showLanding(): void {
  const brand = text(options, "companyName", journey.brandName);
  const additional = options.enableAdditionalConsent === true && journey.categories.some((c) => c.linked);
  const title = additional
    ? text(options, "accounting.additionalConsents.title", t("{0} asks for your consent again", brand), "accounting.dataAccess.additionalConsent.title")
    : text(options, "landing.title", journey.texts.landingTitle ?? t("Share your business data with {0}", brand));
  const subtitle = additional
    ? text(options, "accounting.additionalConsents.subtitle", t("{0} would like to use the data you already share for another purpose. Review it, then continue.", brand), "accounting.dataAccess.additionalConsent.subtitle")
    : text(options, "landing.subtitle", journey.texts.landingSubtitle ?? t("Connect the platforms you use. It takes a few minutes, you sign in at each platform, and you can disconnect at any time."));
  screen(title, markdown(subtitle), button(text(options, "landing.nextButton", t("Get started")), () => {
    if (additional) {
      const consentText = `${title}\n\n${subtitle}`;
      post({ type: "consent", text: consentText });
      void api("POST", "/events", { step: "consented" }).catch(() => undefined);
      void confirmAdditional(consentText);
    }
    showMain();
  }));
}

/** Records the additional consent for every Linked connection that has products awaiting it (no new sign-in). */
async function confirmAdditional(consentText: string): Promise<void> {
  try {
    const connections = await api<{ id: string; status: string; pending?: { productIdentifier: string }[] }[]>("GET", "/connections");
    for (const c of connections.filter((c) => c.status === "Linked" && (c.pending?.length ?? 0) > 0)) {
      await api("POST", `/connections/${c.id}/consents`, { consentText });
    }
  } catch (e) {
    report(e, true);
  }
}

function showMain(): void {
  stopWaiting?.();
  const sections = categories.map((c) => {
    const section = el("section", { className: "category" });
    section.setAttribute("aria-labelledby", `cat-${c.key}`);
    section.append(el("h2", { id: `cat-${c.key}` }, `${t(c.title)}${c.optional ? t(" (optional)") : ""}`));
    if (c.linked) section.append(el("p", { className: "status done", role: "status" }, t("{0} connected", c.linked.platformName)));
    else if (c.uploads > 0) section.append(el("p", { className: "status done", role: "status" }, t("{0} file(s) uploaded", c.uploads)));
    else if (c.skipped && c.optional) section.append(el("p", { className: "status", role: "status" }, t("Skipped")));
    if (!c.linked && c.enableIntegrations) {
      const list = el("ul", { className: "integrations" });
      list.setAttribute("aria-label", t("{0} integrations", t(c.title)));
      for (const i of c.integrations) {
        const b = el("button", { type: "button" }, el("img", { src: i.logoUrl, alt: "" }), ` ${i.name}`);
        b.addEventListener("click", () => showConsent(c, i));
        list.append(el("li", {}, b));
      }
      section.append(list);
      if (c.integrations.length === 0) section.append(el("p", {}, t("No {0} integration is available.", inSentence(t(c.title)))));
    }
    if (!c.linked && c.fileUpload) {
      const input = el("input", { type: "file", id: `file-${c.key}`, accept: ".pdf,.csv,.xlsx" });
      const subtitle = text(options, `${c.key}.fileUpload.subtitle`, c.fileUploadDescription ?? "");
      section.append(el("label", { htmlFor: `file-${c.key}` }, t("Or upload files instead (PDF, CSV or XLSX, up to 10 MB)")),
        ...(subtitle ? [markdown(subtitle)] : []), input, button(t("Upload"), () => void upload(c, input), true));
    }
    if (!satisfied(c) && c.optional) {
      section.append(button(t("Skip {0}", inSentence(t(c.title))), () => void skip(c), true));
    }
    return section;
  });
  const complete = button(t("Complete"), () => void finish());
  const actions = el("div", { className: "actions" });
  if (!canComplete(categories)) {
    // A disabled control says why (read out with it, and shown above it).
    complete.disabled = true;
    complete.setAttribute("aria-describedby", "complete-reason");
    actions.append(el("p", { id: "complete-reason" }, missingText(categories)));
  }
  actions.append(complete);
  const subtitle = text(options, "main.subtitle", "");
  screen(text(options, "main.title", t("Connect your business")), ...(subtitle ? [markdown(subtitle)] : []), ...sections, actions);
}

function showConsent(category: Category, integration: Integration): void {
  notice = undefined;
  const consent = consentMarkdown(journey, options, category, integration);
  const next = text(options, `${category.key}.consents.nextButton`, t("Continue to {0}", integration.name), `${category.key}.dataAccess.nextButton`);
  const platform = el("div", { className: "platform" }, el("img", { src: integration.logoUrl, alt: "" }));
  screen(t("Connect {0}", integration.name), platform, markdown(consent.split("\n\n").slice(1).join("\n\n")),
    el("div", { className: "actions" },
      // The popup is opened here, synchronously in the click, so popup blockers let it through.
      button(next, () => void connect(integration, consent, openPopup())),
      button(t("Back"), () => showMain(), true)));
}

function openPopup(): Window | null {
  try {
    return window.open("about:blank", "consentry-signin", "popup=yes,width=520,height=720");
  } catch {
    return null;
  }
}

async function connect(integration: Integration, consent: string, popup: Window | null): Promise<void> {
  post({ type: "consent", text: consent });
  try {
    await api("POST", "/events", { step: "consented" });
    const started = await api<{ connection: ConnectionCallbackArgs; authorizeUrl: string }>("POST", "/connections",
      // The consent the customer just read goes with the request: the consent ledger records it as the text shown.
      popup ? { platformKey: integration.key, mode: "Popup", consentText: consent } : { platformKey: integration.key, mode: "Redirect", returnUrl, consentText: consent });
    post({ type: "connectionStarted", connection: started.connection });
    const url = new URL(started.authorizeUrl, location.origin).href;
    if (!popup) {
      // Blocked (or a browser without popups): the page itself goes to the sign-in and comes back to returnUrl.
      post({ type: "navigate", url });
      screen(t("Connecting {0}…", integration.name), el("p", { role: "status" }, t("Taking you to {0} to sign in.", integration.name)));
      return;
    }
    popup.location.href = url;
    waitForPopup(integration, started.connection, popup);
  } catch (e) {
    popup?.close();
    notice = { text: e instanceof Error ? e.message : String(e), ok: false };
    report(e, true);
    showMain();
  }
}

/** Waits for the popup's result message, or (when the platform's pages cut the opener) sees the connection linked. */
function waitForPopup(integration: Integration, connection: ConnectionCallbackArgs, popup: Window): void {
  let done = false;
  const finishWith = async (status: number) => {
    if (done) return;
    done = true;
    stopWaiting?.();
    await settle(connection.connectionId, status);
  };
  const onMessage = (event: MessageEvent) => {
    if (!trusted(event, location.origin, popup, POPUP)) return;
    const data = event.data as FromPopup;
    if (data.type === "oauthResult" && data.connectionId === connection.connectionId) void finishWith(data.status);
  };
  window.addEventListener("message", onMessage);
  const timer = window.setInterval(async () => {
    try {
      const current = await api<{ status: string }>("GET", `/connections/${connection.connectionId}`);
      if (current.status === "Linked") void finishWith(200);
      else if (popup.closed) void finishWith(0);
    } catch {
      // keep waiting; the popup's own message still ends this
    }
  }, 1500);
  stopWaiting = () => {
    window.removeEventListener("message", onMessage);
    window.clearInterval(timer);
    stopWaiting = undefined;
  };
  const reopen = button(t("Reopen the {0} window", integration.name), () => popup.focus(), true);
  screen(t("Finish in the {0} window", integration.name),
    el("p", { role: "status" }, t("Sign in to {0} in the window that opened, then come back here.", integration.name)),
    el("div", { className: "actions" }, reopen, button(t("Cancel"), () => { popup.close(); void finishWith(403); }, true)));
}

/** After a sign-in (popup or redirect): the connection's real status from the API decides what the app is told. */
async function settle(connectionId: string, status: number): Promise<void> {
  try {
    const connection = await api<ConnectionCallbackArgs & { id: string; status: string }>("GET", `/connections/${connectionId}`);
    if (connection.status === "Linked") {
      post({ type: "connection", connection: { connectionId: connection.id, integrationId: connection.integrationId, integrationKey: connection.integrationKey, platformName: connection.platformName, sourceId: connection.sourceId, sourceType: connection.sourceType } });
      notice = { text: t("{0} connected.", connection.platformName), ok: true };
    } else {
      notice = { text: status === 403 || status === 0 ? t("You cancelled: nothing was shared. Choose again or skip.") : t("That connection could not be completed. Please try again."), ok: false };
      if (status !== 403 && status !== 0) fail({ message: `The sign-in ended with status ${status}.`, errorCode: status, userRecoverable: true });
    }
    await reload();
  } catch (e) {
    report(e, true);
  }
  showMain();
}

async function upload(category: Category, input: HTMLInputElement): Promise<void> {
  const file = input.files?.[0];
  if (!file) {
    notice = { text: t("Choose a file first."), ok: false };
    showMain();
    return;
  }
  const form = new FormData();
  form.append("category", category.key);
  form.append("file", file);
  try {
    const response = await fetch(`/link/api/companies/${companyId}/files`, {
      method: "POST", headers: { Authorization: `Bearer ${token}`, "Accept-Language": locale() }, body: form, credentials: "omit", cache: "no-store",
    });
    if (!response.ok) {
      const error = (await response.json().catch(() => ({}))) as { error?: string; correlationId?: string };
      throw new ApiError(response.status, error.error ?? `The server answered ${response.status}.`, error.correlationId);
    }
    category.uploads += 1;
    notice = { text: t("{0} uploaded.", file.name), ok: true };
  } catch (e) {
    notice = { text: e instanceof Error ? e.message : String(e), ok: false };
    report(e, true);
  }
  showMain();
}

async function skip(category: Category): Promise<void> {
  try {
    await api("POST", "/events", { step: "skipped", category: category.key });
    category.skipped = true;
    showMain();
  } catch (e) {
    report(e, true);
  }
}

async function finish(): Promise<void> {
  try {
    // Completing without an optional category skips it, as its Skip button would (monitoring counts it as done).
    for (const c of categories.filter((c) => !satisfied(c))) await api("POST", "/events", { step: "skipped", category: c.key });
    await api("POST", "/events", { step: "completed" });
  } catch (e) {
    report(e, true);
  }
  post({ type: "finish" });
  screen(t("All done"), el("p", { className: "status done", role: "status" }, t("Your data is connected. Thank you.")));
}

async function reload(): Promise<void> {
  const skipped = new Set(categories.filter((c) => c.skipped).map((c) => c.key));
  journey = await api<ServerJourney>("GET", "/journey");
  categories = planCategories(journey, options).map((c) => ({ ...c, skipped: c.skipped || skipped.has(c.key) }));
}

async function start(resume: Resume | undefined): Promise<void> {
  try {
    await reload();
  } catch (e) {
    report(e, false);
    screen(t("Something went wrong"), el("p", { className: "error", role: "alert" }, e instanceof Error ? e.message : String(e)));
    return;
  }
  const primary = safeColor(options.theme?.colors?.primary) ?? safeColor(journey.primaryColor);
  if (primary) document.body.style.setProperty("--primary", primary);
  void api("POST", "/events", { step: "opened" }).catch(() => undefined);
  if (resume) {
    await settle(resume.connectionId, resume.status);
  } else if (options.showLandingPage ?? journey.showLandingPage) {
    showLanding();
  } else {
    showMain();
  }
}

// ---- the handshake ---------------------------------------------------------------------------------------------

window.addEventListener("message", (event: MessageEvent) => {
  if (parentOrigin !== undefined || window.parent === window || !allowedOrigins.includes(event.origin)) return;
  if (!trusted(event, event.origin, window.parent, SDK)) return;
  const init = event.data as ToEmbed;
  if (init.type !== "init" || typeof init.accessToken !== "string") return;
  parentOrigin = event.origin;
  token = init.accessToken;
  options = typeof init.options === "object" && init.options !== null ? init.options : {};
  hasClose = init.hasClose === true;
  returnUrl = typeof init.returnUrl === "string" ? init.returnUrl : "";
  post({ type: "ready" });
  void start(init.resume);
});

if (window.parent === window) {
  root.replaceChildren(el("h1", { id: "page-title" }, t("Connect your business")),
    el("p", { className: "error", role: "alert" }, t("This page runs inside the app that sent you here. Go back to the app to connect your business.")));
}
