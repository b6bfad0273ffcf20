// Codat's official accounting SDK (@codat/accounting) reading a linked sandbox ledger's data from Consentry, changing
// only the server URL: company information, accounts, customers and invoices (list, then get by id).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { CodatAccounting } from "@codat/accounting";
import { linkSandbox, waitForData } from "./sandbox-link.js";

const sdk = new CodatAccounting({
  serverURL: process.env.CONSENTRY_URL,
  security: { authHeader: "Basic " + Buffer.from(process.env.CONSENTRY_API_KEY ?? "").toString("base64") },
});

let ledger;

before(async () => {
  ledger = await linkSandbox("sbac", { name: "SDK Accounting Ltd" });
  await waitForData(ledger.companyId, ["company", "chartOfAccounts", "customers", "invoices"]);
});

test("accounting SDK: company information", async () => {
  const info = await sdk.companyInfo.get({ companyId: ledger.companyId });
  assert.equal(info.statusCode, 200);
  assert.ok(info.companyDataset.companyName);
  assert.ok(info.companyDataset.baseCurrency);
});

test("accounting SDK: accounts, customers and invoices, listed and got by id", async () => {
  const { companyId } = ledger;
  const accounts = await sdk.accounts.list({ companyId, page: 1, pageSize: 10, orderBy: "-modifiedDate" });
  assert.equal(accounts.statusCode, 200);
  assert.ok(accounts.accounts.totalResults > 0);
  const account = await sdk.accounts.get({ companyId, accountId: accounts.accounts.results[0].id });
  assert.equal(account.account.name, accounts.accounts.results[0].name);

  const customers = await sdk.customers.list({ companyId, page: 1, pageSize: 10, query: "status=Active" });
  assert.equal(customers.statusCode, 200);
  assert.ok(customers.customers.results.every((c) => c.status === "Active"));
  const customer = await sdk.customers.get({ companyId, customerId: customers.customers.results[0].id });
  assert.equal(customer.customer.customerName, customers.customers.results[0].customerName);

  const invoices = await sdk.invoices.list({ companyId, page: 1, pageSize: 10, orderBy: "-issueDate" });
  assert.equal(invoices.statusCode, 200);
  const issued = invoices.invoices.results.map((i) => Date.parse(i.issueDate));
  assert.deepEqual(issued, [...issued].sort((a, b) => b - a));
  const invoice = await sdk.invoices.get({ companyId, invoiceId: invoices.invoices.results[0].id });
  assert.equal(invoice.invoice.invoiceNumber, invoices.invoices.results[0].invoiceNumber);
  assert.ok(invoice.invoice.customerRef.id);
});
