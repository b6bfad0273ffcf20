import assert from "node:assert/strict";
import { test } from "node:test";
import { impactText, toArgs } from "../.tmp/test/connections.mjs";

const connection = { id: "c1", integrationId: "i1", integrationKey: "sbac", platformName: "Sandbox Accounting", sourceId: "s1", sourceType: "Accounting", status: "Linked", created: "", logoUrl: "", impact: { dataTypes: ["invoices", "customers"], products: [] } };

test("impactText_NamesTheDataTypesThatStop", () => {
  assert.equal(impactText(connection), "Disconnecting Sandbox Accounting stops all further syncs; data already shared is kept. The app will stop receiving new invoices, customers data from Sandbox Accounting.");
});

test("impactText_NamesTheProductsWhenKnown", () => {
  assert.match(impactText({ ...connection, impact: { dataTypes: [], products: ["Lending"] } }), /It is used for: Lending\.$/);
});

test("toArgs_IsCodatsConnectionCallbackArgs", () => {
  assert.deepEqual(toArgs(connection), { connectionId: "c1", integrationId: "i1", integrationKey: "sbac", platformName: "Sandbox Accounting", sourceId: "s1", sourceType: "Accounting" });
});
