// CoPay: a small lender's onboarding that connects an applicant's accounting through Consentry, both ways:
//   1. the Link SDK embedded in CoPay's page (CodatLink), plus the Connections component to manage connections later;
//   2. build-your-own through the Platform API (create company, list integrations with branding, create connection,
//      redirect to linkUrl, handle the redirect, wait for data status, show the synced data).
// Node built-ins only. Run beside Consentry:  CONSENTRY_API_KEY=... node examples/copay/server.mjs
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";

const consentry = (process.env.CONSENTRY_URL ?? "http://localhost:5000").replace(/\/$/, "");
const apiKey = process.env.CONSENTRY_API_KEY;
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 4000);
const configure = process.env.COPAY_CONFIGURE !== "false";
if (!apiKey) {
  console.error("Set CONSENTRY_API_KEY to your Consentry API key (and CONSENTRY_URL if it is not http://localhost:5000).");
  process.exit(1);
}

/** Applicants by CoPay's own id (the company name in Consentry is this merchant id, as Codat recommends). */
const applicants = new Map();

async function platform(method, path, body) {
  const response = await fetch(consentry + path, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(apiKey).toString("base64")}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw Object.assign(new Error(json?.error ?? `${method} ${path} answered ${response.status}`), { status: response.status });
  return json;
}

/**
 * A Platform API read that may not be possible yet: null when this Consentry has no such endpoint (404), or "pending"
 * when the data type has not been read for the company yet (409, as Codat answers).
 */
async function optional(path) {
  try {
    return await platform("GET", path);
  } catch (e) {
    if (e.status === 409) return "pending";
    if (e.status === 404 || e.status === 501 || e.status === 405) return null;
    throw e;
  }
}

const escape = (value) => String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function page(title, body, head = "") {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · CoPay</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; background: #F5F7F6; color: #10231C; }
header { background: #0A7E5B; color: #fff; padding: 14px 24px; font-weight: 700; }
header a { color: #fff; text-decoration: none; }
main { max-width: 980px; margin: 24px auto; padding: 0 16px; display: grid; gap: 20px; }
section { background: #fff; border-radius: 12px; padding: 20px; border: 1px solid #D5DED9; }
.two { display: grid; grid-template-columns: minmax(0, 480px) 1fr; gap: 20px; align-items: start; }
#link { width: 460px; max-width: 100%; height: 760px; }
/* A phone: one column, so neither the journey nor the events list is squeezed (the SDK goes full-screen below 600 px). */
@media (max-width: 719px) { main { padding: 0 12px; } .two { grid-template-columns: minmax(0, 1fr); } #link { width: 100%; } }
button, .button { font: inherit; font-weight: 600; background: #0A7E5B; color: #fff; border: 0; border-radius: 8px; padding: 10px 16px; cursor: pointer; text-decoration: none; display: inline-flex; align-items: center; gap: 8px; }
.platforms { list-style: none; padding: 0; display: grid; gap: 8px; }
.platforms button { background: #fff; color: #10231C; border: 1px solid #D5DED9; width: 100%; }
.platforms img { width: 28px; height: 28px; }
table { border-collapse: collapse; } td, th { padding: 4px 10px; border-bottom: 1px solid #E5ECE8; text-align: left; }
.muted { color: #52645C; }
</style>${head}</head><body><header><a href="/">CoPay · business loans</a></header><main>${body}</main></body></html>`;
}

function send(res, status, html, headers = {}) {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", ...headers });
  res.end(html);
}

const redirect = (res, location) => { res.writeHead(303, { Location: location }); res.end(); };

async function readForm(req) {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}

function applicantOr404(res, id) {
  const applicant = applicants.get(id);
  if (!applicant) send(res, 404, page("Not found", `<section><h1>No such application</h1><p><a href="/">Start again</a></p></section>`));
  return applicant;
}

// ---- pages --------------------------------------------------------------------------------------------------------

function home() {
  return page("Apply", `<section><h1>Apply for a business loan</h1>
<p>Tell us who you are, then share your accounts so we can make you an offer in minutes.</p>
<form method="post" action="/apply"><label for="business">Business name</label><br>
<input id="business" name="business" required maxlength="100" style="font:inherit;padding:8px;margin:8px 0;width:320px"><br>
<button type="submit">Start my application</button></form></section>`);
}

function choose(a) {
  return page("Connect", `<section><h1>Hello, ${escape(a.business)}</h1><p>Application <code>${escape(a.id)}</code>. Choose how to share your data:</p>
<p><a class="button" href="/sdk/${a.id}">Connect here (embedded Link SDK)</a> <a class="button" href="/byo/${a.id}">Choose a platform (build-your-own)</a>
<a class="button" href="/manage/${a.id}">Manage my connections</a></p></section>`);
}

/** Option 1: the SDK in CoPay's page. The company access token is fetched server-side and handed to the page. */
async function sdkPage(a) {
  const { accessToken } = await platform("GET", `/companies/${a.companyId}/accessToken`);
  const config = JSON.stringify({ companyId: a.companyId, accessToken }).replace(/</g, "\\u003c");
  return page("Connect", `<div class="two"><div id="link"></div>
<section><h2>What CoPay's page heard</h2><ol id="events" aria-label="SDK events"></ol>
<p id="finished" hidden>Thank you! <a href="/byo/${a.id}/data">See what we received</a> · <a href="/manage/${a.id}">Manage connections</a></p></section></div>
<script type="module">
import { CodatLink } from "${consentry}/sdk/link.js";
const { companyId, accessToken } = ${config};
const log = (event, detail) => {
  const li = document.createElement("li");
  li.dataset.event = event;
  li.textContent = detail ? event + " " + detail : event;
  document.getElementById("events").append(li);
};
const link = new CodatLink({
  target: document.getElementById("link"),
  props: {
    companyId,
    accessToken,
    onConnectionStarted: (c) => log("connectionStarted", c.integrationKey + " " + c.connectionId),
    onConnection: (c) => log("connection", c.integrationKey + " " + c.connectionId + " " + c.sourceType),
    onConsent: () => log("consent"),
    onFinish: () => { log("finish"); link.destroy(); document.getElementById("finished").hidden = false; },
    onClose: () => { log("close"); link.destroy(); },
    onError: (e) => log("error", (e.errorCode ?? "") + " " + (e.userRecoverable ? "recoverable" : "fatal") + " " + (e.message ?? "")),
    options: {
      showLandingPage: true,
      theme: { colors: { primary: "#0A7E5B" } },
      sourceTypes: { accounting: { optional: false, enableIntegrations: true }, banking: { optional: true, enableIntegrations: true, enableFileUpload: true } },
      text: { "landing.title": "Share your accounts with **CoPay**", "landing.subtitle": "We read your books to size your loan. [How we use data](https://copay.example/privacy)" },
    },
  },
});
window.copayLink = link;
</script>`);
}

/** The Connections component: the applicant's "manage my connections" screen. */
async function managePage(a) {
  const { accessToken } = await platform("GET", `/companies/${a.companyId}/accessToken`);
  const config = JSON.stringify({ companyId: a.companyId, accessToken }).replace(/</g, "\\u003c");
  return page("Connections", `<section><div id="connections"></div><ol id="events" aria-label="Connections events"></ol></section>
<script type="module">
import { CodatConnections } from "${consentry}/sdk/link.js";
const { companyId, accessToken } = ${config};
const log = (event, detail) => {
  const li = document.createElement("li");
  li.dataset.event = event;
  li.textContent = event + " " + detail;
  document.getElementById("events").append(li);
};
new CodatConnections({
  target: document.getElementById("connections"),
  props: {
    companyId,
    accessToken,
    onConnection: (c) => log("connection", c.integrationKey),
    onDisconnect: (c) => log("disconnect", c.integrationKey),
    onError: (e) => log("error", e.message),
  },
});
</script>`);
}

/** Option 2, step 1: the accounting platforms, with their branding, as CoPay's own buttons. */
async function byoPage(a) {
  const query = encodeURIComponent("sourceType=Accounting&&enabled=true");
  const integrations = await platform("GET", `/integrations?query=${query}&pageSize=50`);
  const items = await Promise.all(integrations.results.map(async (i) => {
    const branding = await optional(`/integrations/${i.key}/branding`);
    const logo = branding?.logo?.square?.image?.src ?? i.logoUrl;
    return `<li><form method="post" action="/byo/${a.id}/connect"><input type="hidden" name="platformKey" value="${escape(i.key)}">
<button type="submit"><img src="${escape(logo)}" alt=""> ${escape(i.name)}</button></form></li>`;
  }));
  return page("Choose your accounting software", `<section><h1>Which accounting software do you use?</h1>
<ul class="platforms" aria-label="Accounting platforms">${items.join("")}</ul></section>`);
}

/** Option 2, step 4: Consentry sent the applicant back here (the client's redirect URL). */
async function returned(res, params) {
  const a = [...applicants.values()].find((x) => x.companyId === params.get("companyId"));
  if (!a) return send(res, 404, page("Unknown", `<section><h1>We don't know this application</h1></section>`));
  const status = params.get("statusCode");
  if (status !== "200" && status !== "201") {
    const reason = status === "403" ? "You cancelled, so nothing was shared." : `The connection failed (${escape(params.get("errorMessage") ?? status)}).`;
    return send(res, 200, page("Not connected", `<section><h1>Not connected</h1><p role="status">${reason}</p><p><a class="button" href="/byo/${a.id}">Try again</a></p></section>`));
  }
  a.connectionId = params.get("connectionId");
  return redirect(res, `/byo/${a.id}/data`);
}

/** Option 2, step 5: watch the data status and show what was synced (degrades when this Consentry has no data API yet). */
async function dataPage(a) {
  const connections = await platform("GET", `/companies/${a.companyId}/connections`);
  const linked = connections.results.filter((c) => c.status === "Linked");
  const status = await optional(`/companies/${a.companyId}/dataStatus`);
  const statuses = status === "pending" ? {} : status;
  const rows = statuses ? Object.values(statuses).map((s) => `<tr><td>${escape(s.dataType)}</td><td>${escape(s.currentStatus)}</td><td>${escape(s.lastSuccessfulSync ?? "–")}</td></tr>`).join("") : "";
  const complete = statuses && Object.values(statuses).length > 0 && Object.values(statuses).every((s) => /Complete|Error|NotSupported|Cancelled|PrerequisiteNotMet/i.test(s.currentStatus));
  const reads = [["Company", "data/info"], ["Accounts", "data/accounts?page=1&pageSize=5"], ["Invoices", "data/invoices?page=1&pageSize=5"]];
  const data = [];
  for (const [title, path] of reads) {
    const result = await optional(`/companies/${a.companyId}/${path}`);
    const list = result === "pending" || result === null ? result : (result.results ?? [result]);
    data.push(`<h3>${title}</h3>${list === null ? `<p class="muted" data-missing="${escape(path)}">Not available yet.</p>`
      : list === "pending" ? `<p class="muted" data-pending="${escape(path)}">Not read yet.</p>`
      : `<ul aria-label="${escape(title)}">${list.slice(0, 5).map((r) => `<li>${escape(r.name ?? r.companyName ?? r.invoiceNumber ?? r.id)}</li>`).join("")}</ul>`}`);
  }
  const refresh = complete || statuses === null ? "" : `<meta http-equiv="refresh" content="3">`;
  return page("Your data", `<section><h1>${linked.length > 0 ? "Connected" : "Waiting for your connection"}</h1>
<p role="status" id="connected">${linked.map((c) => `${escape(c.platformName)} is ${escape(c.status)}`).join(", ") || "No linked connection yet."}</p></section>
<section><h2>Data status</h2>${statuses === null ? `<p class="muted" id="data-status">Data status is not available yet on this Consentry.</p>`
    : `<table id="data-status"><tr><th>Data type</th><th>Status</th><th>Last sync</th></tr>${rows}</table>${complete ? "" : `<p class="muted">Syncing… this page refreshes.</p>`}`}</section>
<section><h2>Synced data</h2>${data.join("")}</section>`, refresh);
}

// ---- routing ------------------------------------------------------------------------------------------------------

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, `http://${req.headers.host}`);
    const parts = url.pathname.split("/").filter(Boolean);
    if (req.method === "GET" && url.pathname === "/") return send(res, 200, home());
    if (req.method === "POST" && url.pathname === "/apply") {
      const business = (await readForm(req)).get("business")?.trim().slice(0, 100) || "My business";
      const id = randomUUID();
      const company = await platform("POST", "/companies", { name: `copay-${id}`, description: business });
      applicants.set(id, { id, business, companyId: company.id });
      return redirect(res, `/apply/${id}`);
    }
    if (req.method === "GET" && url.pathname === "/byo/return") return await returned(res, url.searchParams);
    const a = parts.length >= 2 ? applicantOr404(res, parts[1]) : undefined;
    if (parts.length >= 2 && !a) return;
    if (req.method === "GET" && parts[0] === "apply" && parts.length === 2) return send(res, 200, choose(a));
    if (req.method === "GET" && parts[0] === "sdk" && parts.length === 2) return send(res, 200, await sdkPage(a));
    if (req.method === "GET" && parts[0] === "manage" && parts.length === 2) return send(res, 200, await managePage(a));
    if (req.method === "GET" && parts[0] === "byo" && parts.length === 2) return send(res, 200, await byoPage(a));
    if (req.method === "GET" && parts[0] === "byo" && parts[2] === "data") return send(res, 200, await dataPage(a));
    if (req.method === "POST" && parts[0] === "byo" && parts[2] === "connect") {
      const platformKey = (await readForm(req)).get("platformKey");
      const existing = (await platform("GET", `/companies/${a.companyId}/connections`)).results
        .find((c) => c.integrationKey === platformKey && c.status !== "Unlinked");
      const connection = existing ?? await platform("POST", `/companies/${a.companyId}/connections`, { platformKey });
      return redirect(res, connection.linkUrl);
    }
    send(res, 404, page("Not found", `<section><h1>Not found</h1></section>`));
  } catch (e) {
    console.error(e.message);
    send(res, 502, page("Error", `<section><h1>Something went wrong</h1><p role="alert">${escape(e.message)}</p></section>`));
  }
});

/** Makes the API key's client ready for this example: its origin may embed the SDK, and the Link journey returns here. */
async function configureClient(origin) {
  const cors = await platform("GET", "/corsSettings");
  if (!cors.allowedOrigins.includes(origin)) {
    await platform("POST", "/corsSettings", { allowedOrigins: [...cors.allowedOrigins, origin] });
  }
  const profile = await platform("GET", "/profile");
  await platform("PUT", "/profile", {
    ...profile,
    redirectUrl: `${origin}/byo/return?companyId={companyId}&connectionId={connectionId}&statusCode={statusCode}&errorMessage={errorMessage}`,
    whiteListUrls: [...new Set([...(profile.whiteListUrls ?? []), origin])],
  });
}

server.listen(port, host, async () => {
  const origin = `http://${host}:${server.address().port}`;
  if (configure) {
    try {
      await configureClient(origin);
    } catch (e) {
      console.error(`Could not configure the client at ${consentry}: ${e.message}`);
      process.exit(1);
    }
  }
  console.log(`CoPay is running at ${origin} (Consentry: ${consentry})`);
});
