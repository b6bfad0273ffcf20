// Codat's official lending SDK (@codat/lending) reading a linked sandbox bank's data from Consentry, changing only the
// server URL: accounts (list, get), balances, transactions (list, get, ordered by postedDate) and transaction categories.
// The SDK maps answers onto its own models (unknown fields dropped), so a field it exposes here is one Codat's shape has.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { CodatLending } from "@codat/lending";
import { linkSandbox, queue, waitForData } from "./sandbox-link.js";

const sdk = new CodatLending({
  serverURL: process.env.CONSENTRY_URL,
  security: { authHeader: "Basic " + Buffer.from(process.env.CONSENTRY_API_KEY ?? "").toString("base64") },
});

const identifierTypes = ["Account", "Card", "Credit", "Depository", "Investment", "Loan", "Other"];
let bank;

before(async () => {
  bank = await linkSandbox("sbbk", { name: "SDK Banking Ltd" });
  await queue(bank.companyId, "banking-transactionCategories");
  await waitForData(bank.companyId, ["banking-accounts", "banking-accountBalances", "banking-transactions", "banking-transactionCategories"]);
});

test("lending SDK: banking accounts, listed and got by id, with Codat's balance and identifier types", async () => {
  const list = await sdk.banking.accounts.list({ companyId: bank.companyId, connectionId: bank.connectionId, page: 1, pageSize: 100 });
  assert.equal(list.statusCode, 200);
  const accounts = list.bankingAccounts.results;
  assert.ok(accounts.length >= 2);
  assert.equal(list.bankingAccounts.totalResults, accounts.length);
  for (const account of accounts) {
    assert.ok(["Credit", "Debit"].includes(account.type), account.type);
    assert.ok(identifierTypes.includes(account.identifiers.type), account.identifiers.type);
    assert.equal(typeof account.balance.current, "number");
    assert.ok(account.currency && account.institution.name);
  }

  const one = await sdk.banking.accounts.get({ companyId: bank.companyId, connectionId: bank.connectionId, accountId: accounts[0].id });
  assert.equal(one.statusCode, 200);
  assert.equal(one.bankingAccount.id, accounts[0].id);
  assert.equal(one.bankingAccount.balance.current, accounts[0].balance.current);
});

test("lending SDK: account balances, one per account", async () => {
  const balances = await sdk.banking.accountBalances.list({ companyId: bank.companyId, connectionId: bank.connectionId, page: 1, pageSize: 100 });
  assert.equal(balances.statusCode, 200);
  const accounts = await sdk.banking.accounts.list({ companyId: bank.companyId, connectionId: bank.connectionId, page: 1, pageSize: 100 });
  assert.deepEqual(balances.bankingAccountBalances.results.map((b) => b.accountId).sort(), accounts.bankingAccounts.results.map((a) => a.id).sort());
  for (const balance of balances.bankingAccountBalances.results) {
    assert.equal(typeof balance.balance.current, "number");
    assert.ok(balance.date);
  }
});

test("lending SDK: transactions newest first by postedDate, got by id, with their category", async () => {
  const page = await sdk.banking.transactions.list({
    companyId: bank.companyId, connectionId: bank.connectionId, page: 1, pageSize: 20, orderBy: "-postedDate", query: "amount<0",
  });
  assert.equal(page.statusCode, 200);
  const transactions = page.bankingTransactions.results;
  assert.equal(transactions.length, 20);
  const posted = transactions.map((t) => Date.parse(t.postedDate));
  assert.deepEqual(posted, [...posted].sort((a, b) => b - a));
  for (const t of transactions) {
    assert.ok(t.amount < 0);
    assert.ok(Date.parse(t.authorizedDate) <= Date.parse(t.postedDate));
    assert.ok(t.transactionCategoryRef.id);
  }

  const one = await sdk.banking.transactions.get({ companyId: bank.companyId, connectionId: bank.connectionId, transactionId: transactions[0].id });
  assert.equal(one.statusCode, 200);
  assert.equal(one.bankingTransaction.postedDate, transactions[0].postedDate);

  const categories = await sdk.banking.transactionCategories.list({ companyId: bank.companyId, connectionId: bank.connectionId, page: 1, pageSize: 100 });
  assert.equal(categories.statusCode, 200);
  const ids = categories.bankingTransactionCategories.results.map((c) => c.id);
  assert.ok(ids.includes(transactions[0].transactionCategoryRef.id));
  const category = await sdk.banking.transactionCategories.get({
    companyId: bank.companyId, connectionId: bank.connectionId, transactionCategoryId: transactions[0].transactionCategoryRef.id,
  });
  assert.equal(category.statusCode, 200);
  assert.equal(category.bankingTransactionCategory.name, transactions[0].transactionCategoryRef.name);
});
