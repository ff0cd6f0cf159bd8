// node --test web/media/media-sources.test.js — sources map to the KID stream numbers of E2EE-SPEC §S7.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Source, streamOfSource, CAMERA_ENCODINGS } from "./media-sources.js";
import { Stream } from "../e2ee/frame-policy.js";

test("each source has its §S7 stream number; unknown sources have none", () => {
  assert.equal(streamOfSource(Source.MIC), Stream.MIC);
  assert.equal(streamOfSource(Source.CAMERA), Stream.CAMERA);
  assert.equal(streamOfSource(Source.SCREEN), Stream.SCREEN_VIDEO);
  assert.equal(streamOfSource(Source.SCREEN_AUDIO), Stream.SCREEN_AUDIO);
  assert.equal(streamOfSource("toString"), undefined);
  assert.equal(streamOfSource("speaker"), undefined);
});

test("camera simulcast is listed low to high (the SFU takes the last active rid as the best)", () => {
  assert.deepEqual(CAMERA_ENCODINGS.map((e) => e.rid), ["q", "h", "f"]);
  assert.deepEqual(CAMERA_ENCODINGS.map((e) => e.scaleResolutionDownBy), [4, 2, 1]);
});
