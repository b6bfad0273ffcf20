// Consentry Link SDK: built from sdk/link (npm run build). Do not edit.
import {
  EMBED,
  POPUP,
  SDK,
  dataTypeLabel,
  inSentence,
  locale,
  safeColor,
  setLocale,
  t,
  trusted
} from "../sdk/chunks/shared-DI46SLO3.js";

// src/journey.ts
function planCategories(journey2, options2) {
  const showSandboxes = options2.showSandboxIntegrations ?? journey2.showSandboxIntegrations;
  const sourceTypes = options2.sourceTypes;
  return journey2.categories.filter((c) => c.enabled && (!sourceTypes || sourceTypes[c.key] !== void 0)).map((c) => {
    const o = sourceTypes?.[c.key];
    const allowed = o?.allowedIntegrations;
    return {
      key: c.key,
      title: c.title,
      optional: o ? Boolean(o.optional) : c.optional,
      enableIntegrations: o ? o.enableIntegrations !== false : true,
      fileUpload: c.key !== "commerce" && c.fileUpload && (o ? o.enableFileUpload === true : true),
      fileUploadDescription: c.fileUploadDescription,
      integrations: c.integrations.filter((i) => (showSandboxes || !i.isSandbox) && (!allowed || allowed.includes(i.key))),
      dataTypes: o?.dataTypes,
      linked: c.linked,
      uploads: c.uploads,
      skipped: c.skipped
    };
  });
}
function satisfied(c) {
  return c.linked !== void 0 || c.uploads > 0 || c.optional && c.skipped;
}
function missing(categories2) {
  return categories2.filter((c) => !satisfied(c) && !c.optional);
}
function canComplete(categories2) {
  return missing(categories2).length === 0;
}
function missingText(categories2) {
  const names = missing(categories2).map((c) => inSentence(t(c.title)) + (c.fileUpload ? t(" (or upload files)") : ""));
  const list = names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")}${t(" and ")}${names[names.length - 1]}`;
  return t("To complete, connect {0}.", list);
}
function text(options2, key, fallback, deprecated) {
  const texts = options2.text ?? {};
  const value = texts[key] ?? (deprecated ? texts[deprecated] : void 0);
  return typeof value === "string" && value.trim().length > 0 ? value : fallback;
}
function consentMarkdown(journey2, options2, category, integration) {
  const companyName = text(options2, "companyName", journey2.brandName);
  const k = category.key;
  const texts = journey2.texts;
  const dataTypes = category.dataTypes ?? integration.dataTypes;
  const parts = [
    `**${text(options2, `${k}.consents.title`, t("Connect {0}", integration.name))}**`,
    text(options2, `${k}.consents.subtitle`, t("{0} asks to read your {1} data from {2}. You sign in at {2}; we never see your password.", companyName, inSentence(t(category.title)), integration.name)),
    `**${t("Purpose")}**: ${text(options2, `${k}.consents.purpose`, texts.consentPurpose ?? t("{0} uses this data to assess and serve your business.", companyName))}`,
    `**${t("Access")}**: ${text(options2, `${k}.consents.access`, texts.consentAccess ?? t("Read-only access. Nothing is changed in your account."))}`,
    ...dataTypes.length > 0 ? [dataTypes.map((d) => `- ${dataTypeLabel(d)}`).join("\n")] : [],
    `**${t("Retention")}**: ${text(options2, `${k}.consents.retention`, texts.consentRetention ?? t("Data is kept while you stay connected; you can disconnect at any time and ask for it to be deleted."))}`
  ];
  const terms = text(options2, `${k}.consents.termsAndConditions`, texts.termsAndConditions ?? "", `${k}.dataAccess.consent`);
  if (terms) parts.push(terms);
  if (texts.termsAndConditionsUrl) parts.push(`[${t("Terms and conditions")}](${texts.termsAndConditionsUrl})`);
  return parts.join("\n\n").replace(/\{(companyName|platformName)\}/g, (_, key) => key === "companyName" ? companyName : integration.name);
}

// src/markdown.ts
function safeHref(href) {
  const trimmed = href.trim();
  if (/^mailto:[^\s]+$/i.test(trimmed)) return trimmed;
  try {
    const url = new URL(trimmed);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : void 0;
  } catch {
    return void 0;
  }
}
function parseInline(text2) {
  const out = [];
  let plain = "";
  const flush = () => {
    if (plain) out.push({ type: "text", text: plain });
    plain = "";
  };
  let i = 0;
  while (i < text2.length) {
    const rest = text2.slice(i);
    let m;
    if ((m = /^\*\*([^*]+?)\*\*/.exec(rest)) || (m = /^__([^_]+?)__/.exec(rest))) {
      flush();
      out.push({ type: "strong", children: parseInline(m[1]) });
      i += m[0].length;
    } else if ((m = /^\*([^*\s][^*]*?)\*/.exec(rest)) || (m = /^_([^_\s][^_]*?)_/.exec(rest))) {
      flush();
      out.push({ type: "em", children: parseInline(m[1]) });
      i += m[0].length;
    } else if (m = /^`([^`]+)`/.exec(rest)) {
      flush();
      out.push({ type: "code", text: m[1] });
      i += m[0].length;
    } else if (m = /^\[([^\]]+)\]\(([^()\s]+)\)/.exec(rest)) {
      flush();
      const href = safeHref(m[2]);
      if (href) out.push({ type: "link", href, children: parseInline(m[1]) });
      else out.push(...parseInline(m[1]));
      i += m[0].length;
    } else {
      plain += text2[i];
      i += 1;
    }
  }
  flush();
  return out;
}
function parseMarkdown(source) {
  const blocks = [];
  for (const chunk of source.replace(/\r\n?/g, "\n").split(/\n{2,}/)) {
    const lines = chunk.split("\n").filter((l) => l.trim().length > 0);
    if (lines.length === 0) continue;
    if (lines.every((l) => /^\s*[-*] /.test(l))) {
      blocks.push({ type: "ul", items: lines.map((l) => parseInline(l.replace(/^\s*[-*] /, "").trim())) });
    } else {
      blocks.push({ type: "p", children: parseInline(lines.map((l) => l.trim()).join(" ")) });
    }
  }
  return blocks;
}
function inlineNodes(doc, nodes) {
  return nodes.map((node) => {
    switch (node.type) {
      case "text":
        return doc.createTextNode(node.text);
      case "code": {
        const code = doc.createElement("code");
        code.textContent = node.text;
        return code;
      }
      case "link": {
        const a = doc.createElement("a");
        a.href = node.href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        a.append(...inlineNodes(doc, node.children));
        return a;
      }
      default: {
        const el2 = doc.createElement(node.type);
        el2.append(...inlineNodes(doc, node.children));
        return el2;
      }
    }
  });
}
function renderMarkdown(doc, source) {
  return parseMarkdown(source).map((block) => {
    if (block.type === "p") {
      const p = doc.createElement("p");
      p.append(...inlineNodes(doc, block.children));
      return p;
    }
    const ul = doc.createElement("ul");
    for (const item of block.items) {
      const li = doc.createElement("li");
      li.append(...inlineNodes(doc, item));
      ul.append(li);
    }
    return ul;
  });
}
function renderInline(doc, source) {
  return inlineNodes(doc, parseInline(source.replace(/\s+/g, " ").trim()));
}

// src/embed.ts
var root = document.getElementById("consentry-embed");
var companyId = root.dataset.companyId ?? "";
var allowedOrigins = (root.dataset.allowedOrigins ?? "").split(" ").filter(Boolean);
setLocale(document.documentElement.lang);
var parentOrigin;
var token = "";
var options = {};
var hasClose = false;
var returnUrl = "";
var journey;
var categories = [];
var notice;
var stopWaiting;
function post(message) {
  if (parentOrigin) window.parent.postMessage({ source: EMBED, ...message }, parentOrigin);
}
function fail(error) {
  post({ type: "error", error });
}
var ApiError = class extends Error {
  constructor(status, message, correlationId) {
    super(message);
    this.status = status;
    this.correlationId = correlationId;
  }
};
async function api(method, path, body) {
  const response = await fetch(`/link/api/companies/${companyId}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Accept-Language": locale(), ...body === void 0 ? {} : { "Content-Type": "application/json" } },
    body: body === void 0 ? void 0 : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store"
  });
  if (!response.ok) {
    const error = await response.json().catch(() => ({}));
    throw new ApiError(response.status, error.error ?? `The server answered ${response.status}.`, error.correlationId);
  }
  return response.status === 204 ? void 0 : await response.json();
}
function report(e, recoverable) {
  const status = e instanceof ApiError ? e.status : void 0;
  fail({
    message: e instanceof Error ? e.message : String(e),
    errorCode: status,
    correlationId: e instanceof ApiError ? e.correlationId : void 0,
    userRecoverable: recoverable && status !== 401 && status !== 403
  });
}
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}
function button(label, onClick, secondary = false) {
  const b = el("button", { type: "button", className: secondary ? "secondary" : "" });
  b.append(...renderInline(document, label));
  b.addEventListener("click", onClick);
  return b;
}
function screen(title, ...content) {
  const children = [];
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
  const focus = root.querySelector("h1");
  focus?.setAttribute("tabindex", "-1");
  focus?.focus({ preventScroll: true });
}
function markdown(source) {
  const div = el("div", { className: "markdown" });
  div.append(...renderMarkdown(document, source));
  return div;
}
function showLanding() {
  const brand = text(options, "companyName", journey.brandName);
  const additional = options.enableAdditionalConsent === true && journey.categories.some((c) => c.linked);
  const title = additional ? text(options, "accounting.additionalConsents.title", t("{0} asks for your consent again", brand), "accounting.dataAccess.additionalConsent.title") : text(options, "landing.title", journey.texts.landingTitle ?? t("Share your business data with {0}", brand));
  const subtitle = additional ? text(options, "accounting.additionalConsents.subtitle", t("{0} would like to use the data you already share for another purpose. Review it, then continue.", brand), "accounting.dataAccess.additionalConsent.subtitle") : text(options, "landing.subtitle", journey.texts.landingSubtitle ?? t("Connect the platforms you use. It takes a few minutes, you sign in at each platform, and you can disconnect at any time."));
  screen(title, markdown(subtitle), button(text(options, "landing.nextButton", t("Get started")), () => {
    if (additional) {
      const consentText = `${title}

${subtitle}`;
      post({ type: "consent", text: consentText });
      void api("POST", "/events", { step: "consented" }).catch(() => void 0);
      void confirmAdditional(consentText);
    }
    showMain();
  }));
}
async function confirmAdditional(consentText) {
  try {
    const connections = await api("GET", "/connections");
    for (const c of connections.filter((c2) => c2.status === "Linked" && (c2.pending?.length ?? 0) > 0)) {
      await api("POST", `/connections/${c.id}/consents`, { consentText });
    }
  } catch (e) {
    report(e, true);
  }
}
function showMain() {
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
      const subtitle2 = text(options, `${c.key}.fileUpload.subtitle`, c.fileUploadDescription ?? "");
      section.append(
        el("label", { htmlFor: `file-${c.key}` }, t("Or upload files instead (PDF, CSV or XLSX, up to 10 MB)")),
        ...subtitle2 ? [markdown(subtitle2)] : [],
        input,
        button(t("Upload"), () => void upload(c, input), true)
      );
    }
    if (!satisfied(c) && c.optional) {
      section.append(button(t("Skip {0}", inSentence(t(c.title))), () => void skip(c), true));
    }
    return section;
  });
  const complete = button(t("Complete"), () => void finish());
  const actions = el("div", { className: "actions" });
  if (!canComplete(categories)) {
    complete.disabled = true;
    complete.setAttribute("aria-describedby", "complete-reason");
    actions.append(el("p", { id: "complete-reason" }, missingText(categories)));
  }
  actions.append(complete);
  const subtitle = text(options, "main.subtitle", "");
  screen(text(options, "main.title", t("Connect your business")), ...subtitle ? [markdown(subtitle)] : [], ...sections, actions);
}
function showConsent(category, integration) {
  notice = void 0;
  const consent = consentMarkdown(journey, options, category, integration);
  const next = text(options, `${category.key}.consents.nextButton`, t("Continue to {0}", integration.name), `${category.key}.dataAccess.nextButton`);
  const platform = el("div", { className: "platform" }, el("img", { src: integration.logoUrl, alt: "" }));
  screen(
    t("Connect {0}", integration.name),
    platform,
    markdown(consent.split("\n\n").slice(1).join("\n\n")),
    el(
      "div",
      { className: "actions" },
      // The popup is opened here, synchronously in the click, so popup blockers let it through.
      button(next, () => void connect(integration, consent, openPopup())),
      button(t("Back"), () => showMain(), true)
    )
  );
}
function openPopup() {
  try {
    return window.open("about:blank", "consentry-signin", "popup=yes,width=520,height=720");
  } catch {
    return null;
  }
}
async function connect(integration, consent, popup) {
  post({ type: "consent", text: consent });
  try {
    await api("POST", "/events", { step: "consented" });
    const started = await api(
      "POST",
      "/connections",
      // The consent the customer just read goes with the request: the consent ledger records it as the text shown.
      popup ? { platformKey: integration.key, mode: "Popup", consentText: consent } : { platformKey: integration.key, mode: "Redirect", returnUrl, consentText: consent }
    );
    post({ type: "connectionStarted", connection: started.connection });
    const url = new URL(started.authorizeUrl, location.origin).href;
    if (!popup) {
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
function waitForPopup(integration, connection, popup) {
  let done = false;
  const finishWith = async (status) => {
    if (done) return;
    done = true;
    stopWaiting?.();
    await settle(connection.connectionId, status);
  };
  const onMessage = (event) => {
    if (!trusted(event, location.origin, popup, POPUP)) return;
    const data = event.data;
    if (data.type === "oauthResult" && data.connectionId === connection.connectionId) void finishWith(data.status);
  };
  window.addEventListener("message", onMessage);
  const timer = window.setInterval(async () => {
    try {
      const current = await api("GET", `/connections/${connection.connectionId}`);
      if (current.status === "Linked") void finishWith(200);
      else if (popup.closed) void finishWith(0);
    } catch {
    }
  }, 1500);
  stopWaiting = () => {
    window.removeEventListener("message", onMessage);
    window.clearInterval(timer);
    stopWaiting = void 0;
  };
  const reopen = button(t("Reopen the {0} window", integration.name), () => popup.focus(), true);
  screen(
    t("Finish in the {0} window", integration.name),
    el("p", { role: "status" }, t("Sign in to {0} in the window that opened, then come back here.", integration.name)),
    el("div", { className: "actions" }, reopen, button(t("Cancel"), () => {
      popup.close();
      void finishWith(403);
    }, true))
  );
}
async function settle(connectionId, status) {
  try {
    const connection = await api("GET", `/connections/${connectionId}`);
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
async function upload(category, input) {
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
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Accept-Language": locale() },
      body: form,
      credentials: "omit",
      cache: "no-store"
    });
    if (!response.ok) {
      const error = await response.json().catch(() => ({}));
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
async function skip(category) {
  try {
    await api("POST", "/events", { step: "skipped", category: category.key });
    category.skipped = true;
    showMain();
  } catch (e) {
    report(e, true);
  }
}
async function finish() {
  try {
    for (const c of categories.filter((c2) => !satisfied(c2))) await api("POST", "/events", { step: "skipped", category: c.key });
    await api("POST", "/events", { step: "completed" });
  } catch (e) {
    report(e, true);
  }
  post({ type: "finish" });
  screen(t("All done"), el("p", { className: "status done", role: "status" }, t("Your data is connected. Thank you.")));
}
async function reload() {
  const skipped = new Set(categories.filter((c) => c.skipped).map((c) => c.key));
  journey = await api("GET", "/journey");
  categories = planCategories(journey, options).map((c) => ({ ...c, skipped: c.skipped || skipped.has(c.key) }));
}
async function start(resume) {
  try {
    await reload();
  } catch (e) {
    report(e, false);
    screen(t("Something went wrong"), el("p", { className: "error", role: "alert" }, e instanceof Error ? e.message : String(e)));
    return;
  }
  const primary = safeColor(options.theme?.colors?.primary) ?? safeColor(journey.primaryColor);
  if (primary) document.body.style.setProperty("--primary", primary);
  void api("POST", "/events", { step: "opened" }).catch(() => void 0);
  if (resume) {
    await settle(resume.connectionId, resume.status);
  } else if (options.showLandingPage ?? journey.showLandingPage) {
    showLanding();
  } else {
    showMain();
  }
}
window.addEventListener("message", (event) => {
  if (parentOrigin !== void 0 || window.parent === window || !allowedOrigins.includes(event.origin)) return;
  if (!trusted(event, event.origin, window.parent, SDK)) return;
  const init = event.data;
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
  root.replaceChildren(
    el("h1", { id: "page-title" }, t("Connect your business")),
    el("p", { className: "error", role: "alert" }, t("This page runs inside the app that sent you here. Go back to the app to connect your business."))
  );
}
