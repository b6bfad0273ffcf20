import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { LOCALES, knows, setLocale, t } from "../.tmp/test/i18n.mjs";

// Every literal text the SDK passes to t() — its whole visible wording — read from the sources.
const sources = new URL("../src/", import.meta.url);
const used = new Set(readdirSync(sources).filter((f) => f.endsWith(".ts"))
  .flatMap((f) => [...readFileSync(new URL(f, sources), "utf8").matchAll(/\bt\(\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`))));

test("every text the SDK shows has a translation in every language", () => {
  assert.ok(used.size > 50, `found only ${used.size} texts`);
  for (const locale of LOCALES.filter((l) => l !== "en")) {
    setLocale(locale);
    const missing = [...used].filter((english) => !knows(english) && !/^\{\d+\}$/.test(english));
    assert.deepEqual(missing, [], `${locale} lacks translations`);
  }
  setLocale("en");
});

test("messages that name a platform are translated with the name filled in", () => {
  setLocale("fr");
  assert.equal(t("{0} is disconnected.", "Xero"), "Xero est déconnecté.");
  assert.equal(t("Finish signing in to {0} in the window that opened.", "Xero"), "Terminez la connexion à Xero dans la fenêtre qui s'est ouverte.");
  setLocale("de-CH");
  assert.equal(t("Connect {0}", "QuickBooks"), "QuickBooks verbinden");
  setLocale("ja");
  assert.equal(t("{0} is disconnected.", "Xero"), "Xero is disconnected.");
  setLocale("en");
});

test("a category inside a sentence is lower case, except in German", async () => {
  const { inSentence } = await import("../.tmp/test/i18n.mjs");
  setLocale("fr");
  assert.equal(inSentence(t("Accounting")), "comptabilité");
  setLocale("de");
  assert.equal(inSentence(t("Accounting")), "Buchhaltung");
  setLocale("en");
  assert.equal(inSentence("Accounting"), "accounting");
});
