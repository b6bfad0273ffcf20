import assert from "node:assert/strict";
import { test } from "node:test";
import { canComplete, consentMarkdown, missingText, planCategories, setLocale, text } from "../.tmp/test/journey.mjs";

const integration = (key, sourceType, isSandbox = true) => ({ key, name: key.toUpperCase(), sourceType, logoUrl: `/branding/${key}/logo-square.svg`, isSandbox, dataTypes: ["invoices"] });
const journey = () => ({
  companyId: "c", companyName: "Acme", brandName: "CoPay", primaryColor: "#4F46E5", showLandingPage: true, showSandboxIntegrations: true, showBadge: true, texts: {},
  categories: [
    { key: "accounting", title: "Accounting", sourceType: "Accounting", enabled: true, optional: false, fileUpload: false, integrations: [integration("sbac", "Accounting"), integration("xero", "Accounting", false)], uploads: 0, skipped: false },
    { key: "banking", title: "Banking", sourceType: "Banking", enabled: true, optional: false, fileUpload: false, integrations: [integration("sbbk", "Banking")], uploads: 0, skipped: false },
    { key: "commerce", title: "Commerce", sourceType: "Commerce", enabled: false, optional: true, fileUpload: false, integrations: [integration("sbcm", "Commerce")], uploads: 0, skipped: false },
  ],
});

test("planCategories_WithoutOptions_TheClientsEnabledCategories", () => {
  assert.deepEqual(planCategories(journey(), {}).map((c) => c.key), ["accounting", "banking"]);
});

test("planCategories_SourceTypes_ShowsOnlyTheListedOnesWithTheirRules", () => {
  const planned = planCategories(journey(), { sourceTypes: { banking: { optional: true, enableIntegrations: true, dataTypes: ["banking-accounts"] } } });
  assert.deepEqual(planned.map((c) => [c.key, c.optional, c.dataTypes]), [["banking", true, ["banking-accounts"]]]);
});

test("planCategories_AllowedIntegrationsAndSandboxes_FilterTheList", () => {
  assert.deepEqual(planCategories(journey(), { sourceTypes: { accounting: { optional: false, enableIntegrations: true, allowedIntegrations: ["xero"] } } })[0].integrations.map((i) => i.key), ["xero"]);
  assert.deepEqual(planCategories(journey(), { showSandboxIntegrations: false })[0].integrations.map((i) => i.key), ["xero"]);
});

test("planCategories_DisabledByTheClient_StaysHiddenEvenWhenListed", () => {
  assert.deepEqual(planCategories(journey(), { sourceTypes: { commerce: { optional: true, enableIntegrations: true } } }), []);
});

test("canComplete_NeedsEveryRequiredCategory_OptionalOnesNeverHoldItBack", () => {
  const planned = planCategories(journey(), { sourceTypes: { accounting: { optional: false, enableIntegrations: true }, banking: { optional: true, enableIntegrations: true } } });
  assert.equal(canComplete(planned), false);
  planned[0].linked = { connectionId: "x" };
  assert.equal(canComplete(planned), true);
});

test("missingText_NamesTheRequiredCategoriesLeft", () => {
  const j = journey();
  j.categories[1].fileUpload = true;
  const planned = planCategories(j, {});
  assert.equal(missingText(planned), "To complete, connect accounting and banking (or upload files).");
  planned[1].uploads = 1;
  assert.equal(missingText(planned), "To complete, connect accounting.");
});

test("text_OverrideThenDeprecatedKeyThenFallback", () => {
  assert.equal(text({ text: { "landing.title": "Hi" } }, "landing.title", "Default"), "Hi");
  assert.equal(text({ text: { "accounting.dataAccess.consent": "Old" } }, "accounting.consents.termsAndConditions", "", "accounting.dataAccess.consent"), "Old");
  assert.equal(text({ text: { "landing.title": "  " } }, "landing.title", "Default"), "Default");
});

test("consentMarkdown_FillsPlaceholdersAndListsDataTypes", () => {
  const planned = planCategories(journey(), { sourceTypes: { accounting: { optional: false, enableIntegrations: true, dataTypes: ["invoices", "bills"] } } });
  const markdown = consentMarkdown(journey(), { text: { "accounting.consents.purpose": "{companyName} checks {platformName} data" } }, planned[0], planned[0].integrations[0]);
  assert.match(markdown, /\*\*Purpose\*\*: CoPay checks SBAC data/);
  assert.match(markdown, /- Invoices\n- Bills/);
});

test("journeyTexts_InTheCustomersLanguage_WithDataTypeLabels_EnglishForUnknownLocales", () => {
  const j = journey();
  j.categories[1].fileUpload = true;
  const planned = planCategories(j, { sourceTypes: { accounting: { optional: false, enableIntegrations: true, dataTypes: ["invoices", "chartOfAccounts"] } } });
  try {
    setLocale("fr-BE");
    assert.equal(missingText(planCategories(j, {})), "Pour terminer, connectez : comptabilité et banque (ou importez des fichiers).");
    const markdown = consentMarkdown(j, {}, planned[0], planned[0].integrations[0]);
    assert.match(markdown, /\*\*Finalité\*\*: CoPay utilise ces données/);
    assert.match(markdown, /- Factures\n- Plan comptable/);
    setLocale("de");
    assert.equal(missingText(planCategories(j, {})), "Zum Abschließen verbinden Sie: Buchhaltung und Bank (oder Dateien hochladen).");
    setLocale("ja");
    assert.equal(missingText(planCategories(j, {})), "To complete, connect accounting and banking (or upload files).");
  } finally {
    setLocale("en");
  }
});

test("planCategories_FileUpload_OnlyWhereTheClientAllowsAndTheOptionAsks", () => {
  const j = journey();
  j.categories[1].fileUpload = true;
  assert.deepEqual(planCategories(j, {}).map((c) => c.fileUpload), [false, true]);
  assert.deepEqual(planCategories(j, { sourceTypes: { accounting: { optional: false, enableIntegrations: true, enableFileUpload: true }, banking: { optional: false, enableIntegrations: true } } }).map((c) => c.fileUpload), [false, false]);
  assert.deepEqual(planCategories(j, { sourceTypes: { banking: { optional: false, enableIntegrations: true, enableFileUpload: true } } }).map((c) => c.fileUpload), [true]);
});
