import assert from "node:assert/strict";
import { test } from "node:test";
import { consentLines, dataTypeLabel, formatDate, impactText, revokeText, toArgs } from "../.tmp/test/connections.mjs";

const connection = { id: "c1", integrationId: "i1", integrationKey: "sbac", platformName: "Sandbox Accounting", sourceId: "s1", sourceType: "Accounting", status: "Linked", created: "", logoUrl: "", impact: { dataTypes: ["invoices", "customers"], products: [] } };

test("impactText_NamesTheAppAndTheDataTypesThatStop", () => {
  assert.equal(impactText(connection, "CoPay"), "Disconnecting Sandbox Accounting stops all further syncs; data already shared is kept. CoPay will stop receiving new data from Sandbox Accounting: Invoices, Customers.");
});

test("dataTypeLabel_ReadsAsWords", () => {
  assert.deepEqual(["chartOfAccounts", "banking-transactions", "banking-accountBalances", "invoices", "commerce-orders", "company", "profitAndLoss"].map(dataTypeLabel),
    ["Chart of accounts", "Bank transactions", "Bank account balances", "Invoices", "Store orders", "Company details", "Profit and loss"]);
});

test("formatDate_MonthNamesInTheReadersLocale", () => {
  assert.equal(formatDate("2027-03-04T10:00:00Z", "en-GB"), "4 Mar 2027");
  assert.equal(formatDate("2027-03-04T10:00:00Z", "en-US"), "Mar 4, 2027");
  assert.equal(formatDate("2027-03-04T10:00:00Z", "de-DE"), "4. März 2027");
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
  assert.equal(revokeText(connection, lending), "You will no longer share Sandbox Accounting data for lending. Sandbox Accounting stops sharing Customers. You stay connected for your other products.");
  assert.match(revokeText(connection, { ...lending, productIdentifier: undefined }, "CoPay"), /^You will no longer share Sandbox Accounting data for CoPay\./);
});

test("revokeText_SaysWhenAnotherProductStillNeedsEverything", () => {
  assert.match(revokeText(connection, spend), /still used by another product, so nothing stops being read/);
});

test("consentLines_ListOnlyActiveConsents", () => {
  const c = { ...connection, consents: [lending, { ...spend, status: "Revoked" }, { status: "Active", dataTypes: ["company"], stopsIfRevoked: [] }] };
  assert.deepEqual(consentLines(c, "CoPay"), ["lending: Customers, Invoices", "Shared with CoPay: Company details"]);
});
