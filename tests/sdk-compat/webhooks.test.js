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
