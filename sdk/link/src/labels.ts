// Codat's data type identifiers as a person reads them, in the customer's language: used by the Connections component
// and by the embedded journey's consent screen (so in the SDK's shared chunk; see build.mjs).

import { t } from "./i18n";

/** Names a person reads for Codat's data type identifiers where splitting the identifier into words is not enough. */
const DATA_TYPE_LABELS: Record<string, string> = {
  company: "Company details",
  profitAndLoss: "Profit and loss",
  "banking-accountBalances": "Bank account balances",
  "commerce-companyInfo": "Store details",
};

/** A data type as a person reads it: chartOfAccounts → "Chart of accounts", banking-transactions → "Bank transactions". */
export function dataTypeLabel(dataType: string): string {
  const known = DATA_TYPE_LABELS[dataType];
  if (known) return t(known);
  const [area, name] = dataType.includes("-") ? dataType.split("-", 2) as [string, string] : ["", dataType];
  const prefix = area === "banking" ? "bank " : area === "commerce" ? "store " : "";
  const words = (prefix + name.replace(/([a-z])([A-Z])/g, "$1 $2")).toLowerCase();
  return t(words.charAt(0).toUpperCase() + words.slice(1));
}

/** Data types as a list a person reads ("Invoices, Customers"). */
export function dataTypeList(dataTypes: string[]): string {
  return dataTypes.map(dataTypeLabel).join(", ");
}
