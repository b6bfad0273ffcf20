import assert from "node:assert/strict";
import { test } from "node:test";
import { SMALL_SCREEN, frameStyle, isFullScreen } from "../.tmp/test/layout.mjs";

test("frameStyle_FullScreen_CoversTheViewportAboveThePage", () => {
  const style = frameStyle(true, true);
  assert.deepEqual([style.position, style.inset, style.width, style.height, style.border, style.borderRadius], ["fixed", "0", "100%", "100%", "0", "0"]);
  assert.ok(Number(style.zIndex) > 1_000_000);
});

test("frameStyle_InPlace_IsTheBorderedCardAndClearsTheOverlay", () => {
  const style = frameStyle(false, true);
  assert.deepEqual([style.position, style.inset, style.zIndex, style.minHeight, style.border], ["", "", "", "600px", "1px solid #D1D5DB"]);
  assert.equal(frameStyle(false, false).border, "0");
});

test("isFullScreen_OnlyOnASmallScreen_AndNotWhenTheAppAskedForNonModal", () => {
  assert.equal(isFullScreen(true, undefined), true);
  assert.equal(isFullScreen(false, undefined), false);
  assert.equal(isFullScreen(true, true), false);
  assert.match(SMALL_SCREEN, /max-width: 599/);
});
