import assert from 'node:assert/strict';
import { test } from 'node:test';

import { meterLevel } from './meter-level.js';

const RATE = 48_000;

/** A window of silence with a 20 ms, 400 Hz beep (a test device's tone) starting at `at` seconds. */
function windowWithBeep(length, at, amplitude = 0.5) {
  const samples = new Float32Array(length);
  const start = Math.round(at * RATE);
  for (let i = start; i < Math.min(length, start + 0.02 * RATE); i++) samples[i] = amplitude * Math.sin((2 * Math.PI * 400 * i) / RATE);
  return samples;
}

test('a 20 ms beep anywhere in the 0.68 s window shows at its level; silence reads 0', () => {
  for (const at of [0, 0.1, 0.33, 0.6, 0.66]) {
    const level = meterLevel(windowWithBeep(32768, at));
    assert.ok(level >= 90, `beep at ${at} s: level ${level}`);
  }
  assert.equal(meterLevel(new Float32Array(32768)), 0);
  assert.equal(meterLevel(windowWithBeep(32768, 0.3, 0.01)), 2); // a quiet sound is small but not 0
});

test('control: a single 10 ms snapshot (the old meter) misses the same beep unless it happens to overlap it', () => {
  const window = windowWithBeep(32768, 0.3);
  const snapshot = window.subarray(window.length - 512); // what an analyser of 512 samples would have shown
  assert.equal(meterLevel(snapshot), 0);
  assert.ok(meterLevel(window) >= 90);
});
