import assert from "node:assert/strict";
import { test } from "node:test";
import { isAuthorizeUrl, isGuid, readResume, safeColor, trusted, withoutResume } from "../.tmp/test/protocol.mjs";

const frame = {};
const message = (overrides) => ({ origin: "http://consentry.test", source: frame, data: { source: "consentry-embed", type: "finish" }, ...overrides });

test("trusted_FromTheFrameOnItsOrigin_IsRead", () => {
  assert.equal(trusted(message(), "http://consentry.test", frame, "consentry-embed"), true);
});

test("trusted_FromAnotherOrigin_IsIgnored", () => {
  assert.equal(trusted(message({ origin: "http://evil.test" }), "http://consentry.test", frame, "consentry-embed"), false);
});

test("trusted_FromAnotherWindowOnTheRightOrigin_IsIgnored", () => {
  assert.equal(trusted(message({ source: {} }), "http://consentry.test", frame, "consentry-embed"), false);
});

test("trusted_WithoutAFrameYet_IsIgnored", () => {
  assert.equal(trusted(message({ source: null }), "http://consentry.test", null, "consentry-embed"), false);
});

test("trusted_WithoutTheEnvelope_IsIgnored", () => {
  for (const data of [null, "finish", { type: "finish" }, { source: "consentry-sdk", type: "finish" }, { source: "consentry-embed" }]) {
    assert.equal(trusted(message({ data }), "http://consentry.test", frame, "consentry-embed"), false, JSON.stringify(data));
  }
});

test("readResume_ResultFragment_GivesConnectionAndStatus", () => {
  const id = "0190A0B1-1111-7222-8333-944455556666";
  assert.deepEqual(readResume(`#consentry-result=${id}:200`), { connectionId: id.toLowerCase(), status: 200 });
  assert.deepEqual(readResume(`#tab=2&consentry-result=${id}:403`), { connectionId: id.toLowerCase(), status: 403 });
});

test("readResume_OtherOrMalformedFragments_GiveNothing", () => {
  for (const hash of ["", "#", "#consentry-result=abc:200", "#consentry-result=<script>", "#x-consentry-result=0190a0b1-1111-7222-8333-944455556666:200"]) {
    assert.equal(readResume(hash), undefined, hash);
  }
});

test("withoutResume_KeepsTheRestOfTheUrl", () => {
  assert.equal(withoutResume("http://app.test/onboard?x=1#consentry-result=a:200"), "http://app.test/onboard?x=1");
  assert.equal(withoutResume("http://app.test/onboard#tab=2&consentry-result=a:200"), "http://app.test/onboard#tab=2");
  assert.equal(withoutResume("http://app.test/onboard"), "http://app.test/onboard");
});

test("isAuthorizeUrl_OnlyTheSignInStartOnConsentry", () => {
  assert.equal(isAuthorizeUrl("http://consentry.test/link/embed/authorize?ticket=abc", "http://consentry.test"), true);
  assert.equal(isAuthorizeUrl("http://evil.test/link/embed/authorize?ticket=abc", "http://consentry.test"), false);
  assert.equal(isAuthorizeUrl("http://consentry.test/link/embed/authorize", "http://consentry.test"), false);
  assert.equal(isAuthorizeUrl("http://consentry.test/companies", "http://consentry.test"), false);
  assert.equal(isAuthorizeUrl("javascript:alert(1)", "http://consentry.test"), false);
});

test("isGuid_and_safeColor", () => {
  assert.equal(isGuid("0190a0b1-1111-7222-8333-944455556666"), true);
  assert.equal(isGuid("../../companies"), false);
  assert.equal(safeColor("#0A7E5B"), "#0A7E5B");
  assert.equal(safeColor("#abc"), "#abc");
  assert.equal(safeColor("red; background:url(x)"), undefined);
  assert.equal(safeColor(undefined), undefined);
});
