// Tests for the page ↔ worker plumbing: FrameCrypto (frame-crypto.js) talking over a real
// MessageChannel to the worker script (frame-worker.js) running in this process with `self`
// standing in for the Worker global. RTCRtpScriptTransform does not exist in node: a stand-in
// records what the page passes, and the options are then fed to the worker exactly as Chromium
// delivers them (event.transformer.options). The real-browser test comes with the SFU.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { toHex } from './bytes.js';
import { canEncryptFrames, FrameCrypto } from './frame-crypto.js';
import { FrameMessage } from './frame-messages.js';
import { DropReason, Stream } from './frame-policy.js';

const KEY = Uint8Array.from({ length: 16 }, (_, i) => 0x10 + i);
const opus = () => Uint8Array.of(0x78, 1, 2, 3, 4, 5, 6, 7);
const vp8Key = () => Uint8Array.of(0x50, 0x2d, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, 9, 9, 9, 9);

function fakeFrame(bytes, mimeType) {
  return { data: bytes.slice().buffer, getMetadata: () => ({ mimeType, payloadType: 111 }) };
}

/** Loads frame-worker.js with `self` bound to one end of a MessageChannel; returns the other end. */
async function startWorkerScript() {
  const channel = new MessageChannel();
  const self = {
    postMessage: (message) => channel.port2.postMessage(message),
    onmessage: null,
    onrtctransform: null,
  };
  channel.port2.onmessage = (event) => self.onmessage(event);
  globalThis.self = self;
  await import('./frame-worker.js');
  return { page: channel.port1, self, close: () => { channel.port1.close(); channel.port2.close(); } };
}

/** Runs frames through a transform the way Chromium does: event.transformer.{readable, writable, options}. */
async function transformThroughWorker(self, options, frames) {
  const outputs = [];
  const readable = new ReadableStream({
    start(controller) {
      for (const frame of frames) controller.enqueue(frame);
      controller.close();
    },
  });
  let finished;
  const closed = new Promise((resolve) => { finished = resolve; });
  // frame-worker.js does not expose the pipe's promise: the writable's close marks the end.
  const writable = new WritableStream({
    write: (frame) => { outputs.push(new Uint8Array(frame.data)); },
    close: () => finished(),
  });
  self.onrtctransform({ transformer: { readable, writable, options } });
  await closed;
  return outputs;
}

describe('page ↔ frame worker', () => {
  let worker;
  let crypto;
  const created = [];

  before(async () => {
    worker = await startWorkerScript();
    crypto = new FrameCrypto(worker.page);
    // Stand-in for the browser class: keeps what the page asked for.
    globalThis.RTCRtpScriptTransform = class {
      constructor(target, options) {
        this.target = target;
        this.options = options;
        created.push(this);
      }
    };
  });

  after(() => {
    worker.close();
    delete globalThis.RTCRtpScriptTransform;
  });

  test('requests are answered; errors come back as rejections', async () => {
    await crypto.setOwnSlot(7);
    await assert.rejects(crypto.setOwnSlot(8), /own slot already set/);
    const key = KEY.slice();
    await crypto.setSenderKey(0, key);
    await assert.rejects(crypto.setSenderKey(0, KEY.map((x) => x ^ 1)), /not newer/);
    await crypto.setSenderKey(0, KEY.slice()); // same epoch, same key: accepted, nothing changes
    assert.deepEqual(await crypto.getStats(), { encrypted: 0, decrypted: 0, sendDropped: {}, receiveDropped: {} });
  });

  test('unknown message kinds get an error reply', async () => {
    const reply = new Promise((resolve) => { worker.page.addEventListener('message', (e) => resolve(e.data), { once: true }); });
    worker.page.postMessage({ kind: 'no-such-kind', id: 999 });
    assert.deepEqual(await reply, { kind: FrameMessage.REPLY, id: 999, error: 'unknown message kind no-such-kind' });
  });

  test('sender transform options from the page drive the worker; output is encrypted and counted', async () => {
    const sender = {};
    crypto.attachSenderTransform(sender, { stream: Stream.MIC });
    assert.equal(sender.transform, created.at(-1));
    assert.equal(sender.transform.target, worker.page);
    assert.deepEqual(sender.transform.options, { side: 'send', kind: 'audio', stream: Stream.MIC, codecs: {} });

    const outputs = await transformThroughWorker(worker.self, sender.transform.options,
      [fakeFrame(opus(), 'audio/opus'), fakeFrame(opus(), 'audio/red'), fakeFrame(opus(), 'audio/opus')]);
    assert.equal(outputs.length, 2);
    assert.equal(toHex(outputs[0].subarray(0, 4)), 'a0070000'); // slot 7, mic, epoch 0, CTR 0
    assert.equal(toHex(outputs[1].subarray(0, 4)), 'a1070000'); // CTR 1
    const stats = await crypto.getStats();
    assert.equal(stats.encrypted, 2);
    assert.deepEqual(stats.sendDropped, { [DropReason.UNSUPPORTED_CODEC]: 1 });
  });

  test('receiver transform: decrypts the owner\'s frames, drops others', async () => {
    // Frames from slot 9 under its sender key, made by a second worker core; we hold that key.
    const { FrameWorkerCore } = await import('./frame-pipeline.js');
    const peer = new FrameWorkerCore();
    peer.handleMessage({ kind: FrameMessage.SET_OWN_SLOT, id: 1, slot: 9 });
    peer.handleMessage({ kind: FrameMessage.SET_SENDER_KEY, id: 2, epoch: 0, key: KEY.slice() });
    await crypto.addReceiverKey(9, 0, KEY.slice());
    const sent = [];
    await peer.attach({
      readable: new ReadableStream({ start(c) { c.enqueue(fakeFrame(vp8Key(), 'video/VP8')); c.close(); } }),
      writable: new WritableStream({ write: (frame) => { sent.push(new Uint8Array(frame.data)); } }),
      options: { side: 'send', kind: 'video', stream: Stream.CAMERA },
    });
    assert.equal(sent.length, 1);

    const receiver = { track: { kind: 'video' } };
    crypto.attachReceiverTransform(receiver, { stream: Stream.CAMERA, ownerSlot: 9 });
    assert.deepEqual(receiver.transform.options, { side: 'recv', kind: 'video', stream: Stream.CAMERA, ownerSlot: 9, codecs: {} });
    const before = await crypto.getStats();
    const outputs = await transformThroughWorker(worker.self, receiver.transform.options,
      [fakeFrame(sent[0], 'video/VP8'), fakeFrame(sent[0], 'video/VP8'), fakeFrame(vp8Key(), 'video/VP8')]);
    assert.deepEqual(outputs, [vp8Key()]);
    const stats = await crypto.getStats();
    assert.equal(stats.decrypted - before.decrypted, 1);
    assert.deepEqual(stats.receiveDropped, { [DropReason.REPLAY]: 1, [DropReason.MALFORMED]: 1 }); // the clear frame is too short to hold a header and tag
  });

  test('a key frame request reaches every live video sender transform, and only those', async () => {
    const asked = { camera: 0, screen: 0, mic: 0, receiver: 0 };
    const live = [];
    const open = (options, name) => {
      // A transform whose readable stays open, like a sender with a live track.
      let controller;
      const readable = new ReadableStream({ start(c) { controller = c; } });
      const writable = new WritableStream();
      worker.self.onrtctransform({ transformer: { readable, writable, options, generateKeyFrame: async () => { asked[name]++; } } });
      live.push(() => controller.close());
    };
    open({ side: 'send', kind: 'video', stream: Stream.CAMERA }, 'camera');
    open({ side: 'send', kind: 'video', stream: Stream.SCREEN_VIDEO }, 'screen');
    open({ side: 'send', kind: 'audio', stream: Stream.MIC }, 'mic');
    open({ side: 'recv', kind: 'video', stream: Stream.CAMERA, ownerSlot: 9 }, 'receiver');
    assert.equal(await crypto.requestKeyFrame(), 2);
    assert.deepEqual(asked, { camera: 1, screen: 1, mic: 0, receiver: 0 });
    for (const close of live) close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(await crypto.requestKeyFrame(), 0, 'closed transforms are forgotten');
  });

  test('the page refuses to attach a sender transform after the track (clear frames may have left)', () => {
    assert.throws(() => crypto.attachSenderTransform({ track: { kind: 'audio' } }, { stream: Stream.MIC }), /before the track/);
    const sender = { track: null };
    crypto.attachSenderTransform(sender, { stream: Stream.MIC });
    assert.ok(sender.transform, 'positive control');
  });

  test('the page refuses a stream that does not fit the track', () => {
    assert.throws(() => crypto.attachReceiverTransform({ track: { kind: 'audio' } }, { stream: Stream.CAMERA, ownerSlot: 9 }), RangeError);
    assert.throws(() => crypto.attachSenderTransform({}, { stream: 7 }), RangeError);
  });

  test('per-sender keys over the worker messages: own key, "used", peer keys', async () => {
    await crypto.setSenderKey(1, KEY.slice());
    assert.equal(await crypto.senderKeyUsed(1), false);
    const sender = { track: null };
    crypto.attachSenderTransform(sender, { stream: Stream.MIC });
    const outputs = await transformThroughWorker(worker.self, sender.transform.options, [fakeFrame(opus(), 'audio/opus')]);
    assert.equal(toHex(outputs[0].subarray(0, 4)), 'a0070001'); // slot 7, mic, epoch 1, CTR 0
    assert.equal(await crypto.senderKeyUsed(1), true);
    assert.equal(await crypto.senderKeyUsed(0), false);
    await crypto.addReceiverKey(9, 4, KEY.slice());
    await crypto.removeReceiverSlot(9);
    await assert.rejects(crypto.addReceiverKey(7, 1, KEY.slice()), /own slot/);
    await assert.rejects(crypto.addReceiverKey(9, 5, new Uint8Array(15)), /16 bytes/);
    await assert.rejects(crypto.setSenderKey(1, new Uint8Array(16)), /not newer/);
  });
});

test('without RTCRtpScriptTransform the browser cannot encrypt and FrameCrypto will not start', () => {
  assert.equal(typeof globalThis.RTCRtpScriptTransform, 'undefined');
  assert.equal(canEncryptFrames(), false);
  assert.throws(() => FrameCrypto.start(), /cannot encrypt frames/);
});
