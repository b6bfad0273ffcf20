// Walks Consentry's Link journey for a sandbox platform as a browser would (cookies kept, redirects followed one by
// one, forms submitted with their hidden fields), then waits for the reads it queues. Used by the data SDK tests, which
// need a Linked connection with data: the SDKs under test only read it.
import assert from "node:assert/strict";

const serverURL = process.env.CONSENTRY_URL;
const auth = "Basic " + Buffer.from(process.env.CONSENTRY_API_KEY ?? "").toString("base64");

async function api(method, path, body) {
  const response = await fetch(serverURL + path, {
    method,
    headers: { Authorization: auth, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

function browser() {
  const cookies = new Map();
  let html = "";
  let location = new URL(serverURL);

  async function send(url, init = {}) {
    for (let hop = 0; hop < 10; hop++) {
      const target = new URL(url, location);
      const headers = { ...(init.headers ?? {}) };
      if (cookies.size > 0) headers.Cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      const response = await fetch(target, { ...init, headers, redirect: "manual" });
      for (const header of response.headers.getSetCookie()) {
        const [name, value] = header.split(";")[0].split("=", 2).concat("");
        if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(header)) cookies.delete(name); else cookies.set(name, value);
      }
      location = target;
      const next = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && next) {
        url = new URL(next, target).toString();
        init = {};
        continue;
      }
      html = await response.text();
      return;
    }
    throw new Error("Too many redirects");
  }

  const decode = (s) => s.replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#x2B;", "+").replaceAll("&#43;", "+").replaceAll("&lt;", "<").replaceAll("&gt;", ">");

  return {
    go: (url) => send(url),
    async submit(actionContains, fields = {}) {
      const forms = [...html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/gi)];
      const form = forms.find((f) => decode(f[1]).includes(actionContains));
      assert.ok(form, `No form with action containing '${actionContains}' on ${location}:\n${html.slice(0, 2000)}`);
      const values = new URLSearchParams();
      for (const input of form[2].matchAll(/<input[^>]*>/gi)) {
        const attributes = Object.fromEntries([...input[0].matchAll(/([a-zA-Z-]+)="([^"]*)"/g)].map((a) => [a[1].toLowerCase(), decode(a[2])]));
        if (attributes.type === "hidden" && attributes.name) values.set(attributes.name, attributes.value ?? "");
      }
      for (const [key, value] of Object.entries(fields)) values.set(key, value);
      await send(decode(form[1]), { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: values.toString() });
    },
  };
}

/** Creates (or reuses) a company, links a sandbox connection to it as a new sandbox user, and returns both ids. */
export async function linkSandbox(platformKey, { companyId, name = "SDK Data Ltd", user = "user_good+sdk" + Math.random().toString(36).slice(2, 10) } = {}) {
  companyId ??= (await api("POST", "/companies", { name })).id;
  const connection = await api("POST", `/companies/${companyId}/connections`, { platformKey });
  const b = browser();
  await b.go(new URL(connection.linkUrl).pathname);
  await b.submit("handler=Continue");
  await b.submit("/oauth/login", { username: user, password: "pass_good" });
  await b.submit("/oauth/consent/accept");
  const linked = await api("GET", `/companies/${companyId}/connections/${connection.id}`);
  assert.equal(linked.status, "Linked");
  return { companyId, connectionId: connection.id, user };
}

/** Queues data types Link does not read on its own. */
export async function queue(companyId, ...dataTypes) {
  for (const dataType of dataTypes) await api("POST", `/companies/${companyId}/data/queue/${dataType}`);
}

/** Waits (bounded) until every named data type of the company is Complete. */
export async function waitForData(companyId, dataTypes, seconds = 120) {
  const deadline = Date.now() + seconds * 1000;
  let status;
  while (Date.now() < deadline) {
    status = await api("GET", `/companies/${companyId}/dataStatus`);
    if (dataTypes.every((t) => status[t]?.currentStatus === "Complete")) return status;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Data not read within ${seconds} s: ${JSON.stringify(status)}`);
}
