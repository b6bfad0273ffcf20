import assert from "node:assert/strict";
import { test } from "node:test";
import { interpolate, parseInline, parseMarkdown, safeHref } from "../.tmp/test/markdown.mjs";

test("parseMarkdown_ParagraphsListsAndEmphasis", () => {
  assert.deepEqual(parseMarkdown("We read **invoices** and *bills*.\n\n- accounts\n- customers"), [
    { type: "p", children: [{ type: "text", text: "We read " }, { type: "strong", children: [{ type: "text", text: "invoices" }] }, { type: "text", text: " and " }, { type: "em", children: [{ type: "text", text: "bills" }] }, { type: "text", text: "." }] },
    { type: "ul", items: [[{ type: "text", text: "accounts" }], [{ type: "text", text: "customers" }]] },
  ]);
});

test("parseInline_HtmlStaysText", () => {
  assert.deepEqual(parseInline("<img src=x onerror=alert(1)>"), [{ type: "text", text: "<img src=x onerror=alert(1)>" }]);
});

test("parseInline_HttpLinksAreKept", () => {
  assert.deepEqual(parseInline("[Terms](https://copay.example/terms)"), [{ type: "link", href: "https://copay.example/terms", children: [{ type: "text", text: "Terms" }] }]);
});

test("parseInline_ScriptLinksLoseTheirHref", () => {
  for (const href of ["javascript:alert`1`", "data:text/html,x", "vbscript:x", "JaVaScRiPt:void"]) {
    assert.deepEqual(parseInline(`[click](${href})`), [{ type: "text", text: "click" }], href);
  }
  // With parentheses in it, it is not link syntax at all: all text.
  assert.deepEqual(parseInline("[click](javascript:alert(1))"), [{ type: "text", text: "[click](javascript:alert(1))" }]);
});

test("safeHref_OnlyHttpHttpsAndMailto", () => {
  assert.equal(safeHref("mailto:help@copay.example"), "mailto:help@copay.example");
  assert.equal(safeHref("http://x.test/a"), "http://x.test/a");
  assert.equal(safeHref("/relative"), undefined);
  assert.equal(safeHref("javascript:alert(1)"), undefined);
});

test("interpolate_FillsCodatsPlaceholdersOnly", () => {
  assert.equal(interpolate("Allow {companyName} to read {platformName} ({other})", { companyName: "CoPay", platformName: "Xero" }), "Allow CoPay to read Xero ({other})");
});
