// Consentry's webhooks received by an ordinary Node server and verified with the `standardwebhooks` package (the
// Standard Webhooks reference library), consumers managed with Codat's official SDK.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { CodatPlatform } from "@codat/platform";
import { Webhook } from "standardwebhooks";

const serverURL = process.env.CONSENTRY_URL;
const apiKey = process.env.CONSENTRY_API_KEY;
const auth = "Basic " + Buffer.from(apiKey).toString("base64");
const sdk = new CodatPlatform({ serverURL, authHeader: auth, retryConfig: { strategy: "none" } });

function receiver() {
  const received = [];
  let notify = () => {};
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
      notify();
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
    url: `http://127.0.0.1:${server.address().port}/codat`,
    received,
    close: () => server.close(),
    next: (count) => new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`only ${received.length} webhooks arrived`)), 20000);
      notify = () => { if (received.length >= count) { clearTimeout(timer); done(); } };
      notify();
    }),
    until: (holds, seconds = 60) => new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${received.length} webhooks arrived, not what the test waited for`)), seconds * 1000);
      notify = () => { if (holds(received)) { clearTimeout(timer); done(); } };
      notify();
    }),
  })));
}

test("webhooks: registered with the SDK, delivered, and verified by the standardwebhooks library", async () => {
  const hook = await receiver();
  try {
    const tag = Math.random().toString(36).slice(2, 10);
    const consumer = await sdk.webhooks.createConsumer({ url: hook.url, eventTypes: ["company.created"], companyTags: [`run:${tag}`] });
    assert.equal(consumer.url, hook.url);
    const listed = await sdk.webhooks.listConsumers();
    assert.ok(listed.results?.some((c) => c.id === consumer.id));

    const secret = await (await fetch(`${serverURL}/webhooks/${consumer.id}/secret`, { headers: { Authorization: auth } })).json();
    const company = await sdk.companies.create({ name: "Webhook Co", tags: { run: tag } });
    await hook.next(1);

    const [delivery] = hook.received;
    const payload = new Webhook(secret.key).verify(delivery.body, {
      "webhook-id": delivery.headers["webhook-id"],
      "webhook-timestamp": delivery.headers["webhook-timestamp"],
      "webhook-signature": delivery.headers["webhook-signature"],
    });
    assert.equal(payload.eventType, "company.created");
    assert.equal(payload.payload.id, company.id);
    assert.throws(() => new Webhook(secret.key).verify(delivery.body + " ", delivery.headers));

    await sdk.webhooks.deleteConsumer({ webhookId: consumer.id });
  } finally {
    hook.close();
  }
});

test("webhooks: a consumer for a host that does not resolve (yet) is created; the address is checked when delivering", async () => {
  const url = "https://hooks.not-yet-registered.example/codat";
  const consumer = await sdk.webhooks.createConsumer({ url, eventTypes: ["company.created"] });
  assert.equal(consumer.url, url);
  await sdk.webhooks.deleteConsumer({ webhookId: consumer.id });
});

// Plays the customer's browser through the sandbox's Link journey: cookies per host, redirects one by one, and each
// form submitted with its hidden fields (the antiforgery token among them).
async function linkSandbox(linkUrl, username) {
  const jars = new Map();
  const decode = (text) => text.replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#x2B;", "+").replaceAll("&#x3D;", "=").replaceAll("&#x2F;", "/");
  let page = { url: new URL(linkUrl), html: "" };
  async function send(url, init = {}) {
    for (let hop = 0; hop < 10; hop++) {
      const target = new URL(url, page.url);
      const jar = jars.get(target.host) ?? jars.set(target.host, new Map()).get(target.host);
      const headers = { ...(init.headers ?? {}) };
      if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
      const response = await fetch(target, { ...init, headers, redirect: "manual" });
      for (const cookie of response.headers.getSetCookie()) {
        const pair = cookie.split(";")[0];
        jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
      }
      page = { url: target, html: "" };
      if (response.status >= 300 && response.status < 400) {
        url = new URL(response.headers.get("location"), target).href;
        if (new URL(url).origin !== new URL(serverURL).origin) return; // back to the app's redirect URL: the journey is over
        init = {};
        continue;
      }
      page.html = await response.text();
      return;
    }
    throw new Error("too many redirects");
  }
  async function submit(actionContains, fields = {}) {
    const form = [...page.html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/gi)].find((f) => decode(f[1]).includes(actionContains));
    if (!form) throw new Error(`no form for ${actionContains} on ${page.url}`);
    const values = new URLSearchParams();
    for (const input of form[2].matchAll(/<input[^>]*>/gi)) {
      const attributes = Object.fromEntries([...input[0].matchAll(/([a-zA-Z_:-]+)="([^"]*)"/g)].map((a) => [a[1].toLowerCase(), decode(a[2])]));
      if (attributes.type === "hidden" && attributes.name) values.set(attributes.name, attributes.value ?? "");
    }
    for (const [key, value] of Object.entries(fields)) values.set(key, value);
    await send(new URL(decode(form[1]), page.url).href, { method: "POST", body: values, headers: { "content-type": "application/x-www-form-urlencoded" } });
  }
  await send(linkUrl);
  await submit("handler=Continue");
  await submit("/oauth/login", { username, password: "pass_good" });
  await submit("/oauth/consent/accept");
}

test("webhooks: Codat's legacy event names, registered with the SDK, arrive signed in their legacy shape", async () => {
  const hook = await receiver();
  try {
    const tag = Math.random().toString(36).slice(2, 10);
    const consumer = await sdk.webhooks.createConsumer({
      url: hook.url, eventTypes: ["DataConnectionStatusChanged", "DataSyncCompleted"], companyTags: [`run:${tag}`],
    });
    assert.deepEqual([...consumer.eventTypes].sort(), ["DataConnectionStatusChanged", "DataSyncCompleted"]);
    const secret = await (await fetch(`${serverURL}/webhooks/${consumer.id}/secret`, { headers: { Authorization: auth } })).json();

    const company = await sdk.companies.create({ name: "Legacy Hooks Co", tags: { run: tag } });
    const connection = await sdk.connections.create({ companyId: company.id, requestBody: { platformKey: "sbac" } });
    await linkSandbox(connection.linkUrl, `user_good+${tag}`);
    const linked = await sdk.connections.get({ companyId: company.id, connectionId: connection.id });
    assert.equal(linked.status, "Linked");

    const ruleTypes = () => hook.received.map((r) => JSON.parse(r.body).RuleType);
    await hook.until(() => ruleTypes().includes("DataConnectionStatusChanged") && ruleTypes().includes("Data sync completed"));
    for (const delivery of hook.received) {
      const body = new Webhook(secret.key).verify(delivery.body, {
        "webhook-id": delivery.headers["webhook-id"],
        "webhook-timestamp": delivery.headers["webhook-timestamp"],
        "webhook-signature": delivery.headers["webhook-signature"],
      });
      assert.equal(body.eventType, undefined); // the legacy body is not wrapped in the envelope
      assert.equal(body.CompanyId, company.id);
      assert.equal(body.DataConnectionId, connection.id);
      assert.equal(body.RuleId, consumer.id);
      assert.match(body.AlertId, /^[0-9a-f-]{36}$/);
      assert.equal(typeof body.ClientId, "string");
      assert.equal(typeof body.Message, "string");
    }
    const status = hook.received.map((r) => JSON.parse(r.body)).find((b) => b.RuleType === "DataConnectionStatusChanged");
    assert.deepEqual(status.Data, { dataConnectionId: connection.id, newStatus: "Linked", oldStatus: "PendingAuth", platformKey: "sbac" });
    const completed = hook.received.map((r) => JSON.parse(r.body)).find((b) => b.RuleType === "Data sync completed");
    assert.equal(typeof completed.Data.dataType, "string");
    assert.match(completed.Data.datasetId, /^[0-9a-f-]{36}$/);

    await sdk.webhooks.deleteConsumer({ webhookId: consumer.id });
  } finally {
    hook.close();
  }
});
