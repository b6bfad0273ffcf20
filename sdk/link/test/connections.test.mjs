import assert from "node:assert/strict";
import { test } from "node:test";
import { consentLines, impactText, revokeText, toArgs } from "../.tmp/test/connections.mjs";

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

const lending = { productIdentifier: "lending", status: "Active", dataTypes: ["customers", "invoices"], stopsIfRevoked: ["customers"] };
const spend = { productIdentifier: "spend", status: "Active", dataTypes: ["invoices"], stopsIfRevoked: [] };

test("revokeText_NamesWhatStops", () => {
  assert.equal(revokeText(connection, lending), "You will no longer share Sandbox Accounting data for lending. Sandbox Accounting stops sharing customers. You stay connected for your other products.");
});

test("revokeText_SaysWhenAnotherProductStillNeedsEverything", () => {
  assert.match(revokeText(connection, spend), /still used by another product, so nothing stops being read/);
});

test("consentLines_ListOnlyActiveConsents", () => {
  const c = { ...connection, consents: [lending, { ...spend, status: "Revoked" }, { status: "Active", dataTypes: ["company"], stopsIfRevoked: [] }] };
  assert.deepEqual(consentLines(c), ["lending: customers, invoices", "Shared with the app: company"]);
});
