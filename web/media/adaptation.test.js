import { test } from "node:test";
import assert from "node:assert/strict";
import { viewOf, changedViews, activeEncodings, nextSpeaking, Adaptation, AdaptationMessage } from "./adaptation.js";

test("a tile's view is its size in device pixels, rounded up; hidden when off screen or empty", () => {
  assert.deepEqual(viewOf({ width: 320, height: 180 }, true, 2), { width: 640, height: 368 });
  assert.deepEqual(viewOf({ width: 100, height: 50 }, true, 1), { width: 112, height: 64 });
  assert.deepEqual(viewOf({ width: 320, height: 180 }, false, 1), { hidden: true });
  assert.deepEqual(viewOf({ width: 0, height: 180 }, true, 1), { hidden: true });
  assert.deepEqual(viewOf({ width: 1e9, height: 1e9 }, true, 1), { width: 16384, height: 16384 });
});

test("only changed views are reported", () => {
  const sent = new Map([["1", { width: 320, height: 176 }], ["3", { hidden: true }]]);
  const current = new Map([["1", { width: 320, height: 176 }], ["2", { width: 640, height: 368 }], ["3", { width: 96, height: 64 }]]);
  assert.deepEqual(changedViews(current, sent), [{ mid: "2", width: 640, height: 368 }, { mid: "3", width: 96, height: 64 }]);
  // Positive control for the filter: nothing changed, nothing reported.
  assert.deepEqual(changedViews(sent, sent), []);
});

test("publish-layers keeps the lowest layer and the named ones active", () => {
  const encodings = [{ rid: "q", scaleResolutionDownBy: 4 }, { rid: "h", scaleResolutionDownBy: 2 }, { rid: "f", scaleResolutionDownBy: 1 }];
  assert.deepEqual(activeEncodings(encodings, ["q"]).map((e) => e.active), [true, false, false]);
  assert.deepEqual(activeEncodings(encodings, ["q", "h", "f"]).map((e) => e.active), [true, true, true]);
  assert.deepEqual(activeEncodings(encodings, []).map((e) => e.active), [true, false, false]);
  assert.deepEqual(activeEncodings([{}], []).map((e) => e.active), [true]);
  assert.equal(activeEncodings(encodings, ["h"])[1].scaleResolutionDownBy, 2);
});

test("server events update the state and fire; unrelated messages are left alone", () => {
  const sent = [];
  const adaptation = new Adaptation({ send: (m) => sent.push(m) });
  const fired = [];
  adaptation.addEventListener(AdaptationMessage.DOMINANT_SPEAKER, () => fired.push("speaker"));
  adaptation.addEventListener(AdaptationMessage.BANDWIDTH, () => fired.push("bandwidth"));
  assert.equal(adaptation.handle({ type: "dominant-speaker", id: "p1" }), true);
  assert.equal(adaptation.dominantSpeaker, "p1");
  assert.equal(adaptation.handle({ type: "bandwidth", low: true, paused: ["3"] }), true);
  assert.equal(adaptation.lowBandwidth, true);
  assert.deepEqual([...adaptation.pausedMids], ["3"]);
  const layers = [];
  assert.equal(adaptation.handle({ type: "publish-layers", mid: "1", rids: ["q"] }, { setActiveLayers: async (mid, rids) => layers.push([mid, rids]) }), true);
  assert.deepEqual(layers, [["1", ["q"]]]);
  assert.equal(adaptation.handle({ type: "subscribe-offer" }), false);
  assert.deepEqual(fired, ["speaker", "bandwidth"]);
  adaptation.setAudioOnly(true);
  adaptation.pin(["p2"]);
  assert.deepEqual(sent, [{ type: "media-settings", audioOnly: true }, { type: "media-settings", pinned: ["p2"] }]);
  adaptation.close();
});

test("speaking starts with voice at once and ends only after a pause longer than the hangover", () => {
  assert.equal(nextSpeaking(false, 0.1, 0), true);
  assert.equal(nextSpeaking(true, 0, 100), true);   // a pause between words
  assert.equal(nextSpeaking(true, 0, 500), false);  // silence
  assert.equal(nextSpeaking(false, 0.001, 0), false); // background hum is not voice
});
