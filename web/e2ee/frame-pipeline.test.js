// Tests for the frame Worker's pipeline (frame-pipeline.js, keyring.js) with fake encoded frames
// ({data: ArrayBuffer, type, getMetadata()}) — E2EE-SPEC.md §S7 and the "Keys and frames" list of §S16.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { concat, toHex } from './bytes.js';
import { TransformSide } from './frame-messages.js';
import { FrameCounters, FrameTransformer } from './frame-pipeline.js';
import { DropReason, makeKid, splitKid, Stream, streamMediaKind } from './frame-policy.js';
import { FrameKeyring, KeyringError } from './keyring.js';
import { encodeHeader, MAX_U64, parseHeader, SenderKey } from './sframe.js';

// --- fixtures ------------------------------------------------------------------------------------

const ROOM_KEY = Uint8Array.from({ length: 16 }, (_, i) => 0x40 + i);
const OTHER_KEY = Uint8Array.from({ length: 16 }, (_, i) => 0x80 + i);

/** A VP8 key frame as Chromium hands it over: 3-byte tag (bit 0 = 0), 9d 01 2a, 320x240, payload. */
function vp8KeyFrame(payloadLength = 40, fill = 0x11) {
  return concat(Uint8Array.of(0x50, 0x2d, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00), new Uint8Array(payloadLength).fill(fill));
}
/** A VP8 delta frame: tag byte with bit 0 = 1. */
function vp8DeltaFrame(payloadLength = 30, fill = 0x22) {
  return concat(Uint8Array.of(0x31, 0x0f, 0x01), new Uint8Array(payloadLength).fill(fill));
}
function opusFrame(length = 20, fill = 0x33) {
  return concat(Uint8Array.of(0x78), new Uint8Array(length - 1).fill(fill));
}

const MIME = { [Stream.MIC]: 'audio/opus', [Stream.CAMERA]: 'video/VP8', [Stream.SCREEN_VIDEO]: 'video/VP8', [Stream.SCREEN_AUDIO]: 'audio/opus' };

/** A stand-in for RTCEncodedVideoFrame / RTCEncodedAudioFrame: data is a settable ArrayBuffer. */
function fakeFrame(bytes, mimeType, ssrc = 1111) {
  return {
    data: bytes.slice().buffer,
    type: mimeType.startsWith('video/') ? ((bytes[0] & 1) === 0 ? 'key' : 'delta') : undefined,
    getMetadata: () => ({ mimeType, payloadType: 96, synchronizationSource: ssrc }),
  };
}

/**
 * Fixture: `key` is the epoch-`epoch` sender key of every test participant (slots 1–4): installed as
 * my own (§S6 `cur`) and, decrypt-only, as each other slot's — as if each had sent it to me.
 */
function installKey(keyring, epoch, key) {
  keyring.setSenderKey(epoch, key);
  for (let slot = 1; slot <= 4; slot++) if (slot !== keyring.ownSlot) keyring.addReceiverKey(slot, epoch, key);
}

function participant(slot, { key = ROOM_KEY, epoch = 0 } = {}) {
  const keyring = new FrameKeyring();
  keyring.setOwnSlot(slot);
  if (key) installKey(keyring, epoch, key);
  return { slot, keyring, counters: new FrameCounters() };
}

function sender(p, stream) {
  return new FrameTransformer(p.keyring, p.counters, { side: TransformSide.SEND, kind: streamMediaKind(stream), stream, codecs: {} });
}
function receiver(p, stream, ownerSlot) {
  return new FrameTransformer(p.keyring, p.counters, { side: TransformSide.RECEIVE, kind: streamMediaKind(stream), stream, ownerSlot, codecs: {} });
}

/** Sends bytes through a transformer; returns the output bytes or null when dropped. */
async function run(transformer, bytes, mimeType) {
  const frame = fakeFrame(bytes, mimeType);
  return (await transformer.process(frame)) ? new Uint8Array(frame.data) : null;
}

function prefixLength(mimeType, bytes) {
  if (mimeType === 'audio/opus') return 0;
  return (bytes[0] & 1) === 0 ? 10 : 1;
}

/** The receiver's replay-window position for a KID, via the keyring's (cached, shared) key. */
async function highestCounter(p, kid) {
  return (await p.keyring.receiverKey(kid, splitKid(kid))).highestCounter;
}

const alice = () => participant(1);
const bob = () => participant(2);

// --- round trips ---------------------------------------------------------------------------------

describe('round trips with the clear prefix (§S7)', () => {
  test('VP8 key frame: 10 clear bytes (tag + 9d 01 2a + size), header, ciphertext', async () => {
    const a = alice();
    const b = bob();
    const plain = vp8KeyFrame();
    const wire = await run(sender(a, Stream.CAMERA), plain, 'video/VP8');
    assert.deepEqual(wire.subarray(0, 10), plain.subarray(0, 10));
    assert.equal(toHex(wire.subarray(10, 14)), 'a0010100'); // KID 0x010100 (slot 1, camera, epoch 0), CTR 0
    assert.equal(wire.length, plain.length + 4 + 16);
    assert.ok(!toHex(wire).includes('1111111111'), 'the payload is not visible');
    assert.deepEqual(await run(receiver(b, Stream.CAMERA, 1), wire, 'video/VP8'), plain);
    assert.equal(a.counters.snapshot().encrypted, 1);
    assert.equal(b.counters.snapshot().decrypted, 1);
  });

  test('VP8 delta frame: 1 clear byte', async () => {
    const plain = vp8DeltaFrame();
    const wire = await run(sender(alice(), Stream.CAMERA), plain, 'video/VP8');
    assert.equal(wire[0], plain[0]);
    assert.equal(toHex(wire.subarray(1, 5)), 'a0010100');
    assert.deepEqual(await run(receiver(bob(), Stream.CAMERA, 1), wire, 'video/VP8'), plain);
  });

  test('Opus: nothing in the clear', async () => {
    const plain = opusFrame();
    const wire = await run(sender(alice(), Stream.MIC), plain, 'audio/opus');
    assert.equal(toHex(wire.subarray(0, 4)), 'a0010000'); // KID 0x010000: slot 1, mic, epoch 0
    assert.deepEqual(await run(receiver(bob(), Stream.MIC, 1), wire, 'audio/opus'), plain);
  });

  test('a 10-byte key frame and a 1-byte delta frame carry empty plaintexts', async () => {
    const a = alice();
    const b = bob();
    for (const plain of [vp8KeyFrame(0), Uint8Array.of(0x31)]) {
      const wire = await run(sender(a, Stream.CAMERA), plain, 'video/VP8');
      assert.deepEqual(await run(receiver(b, Stream.CAMERA, 1), wire, 'video/VP8'), plain);
    }
  });

  test('the sixth camera frame has the spec\'s header a5010100 (CTR 5)', async () => {
    const send = sender(alice(), Stream.CAMERA);
    let wire;
    for (let i = 0; i < 6; i++) wire = await run(send, vp8DeltaFrame(), 'video/VP8');
    assert.equal(toHex(wire.subarray(1, 5)), 'a5010100');
  });
});

describe('what the sender drops (§S7, DESIGN.md §1.2)', () => {
  test('a key frame shorter than 10 bytes', async () => {
    const a = alice();
    assert.equal(await run(sender(a, Stream.CAMERA), vp8KeyFrame(0).subarray(0, 9), 'video/VP8'), null);
    assert.deepEqual(a.counters.snapshot().sendDropped, { [DropReason.SHORT_KEY_FRAME]: 1 });
  });

  test('no key → no output, through the real stream; the key makes frames flow (positive control)', async () => {
    const a = participant(1, { key: null });
    const send = sender(a, Stream.CAMERA);
    const input = new TransformStream();
    const output = input.readable.pipeThrough(send.stream());
    const outputs = [];
    const collected = output.pipeTo(new WritableStream({ write: (frame) => { outputs.push(new Uint8Array(frame.data)); } }));
    const writer = input.writable.getWriter();
    await writer.write(fakeFrame(vp8KeyFrame(), 'video/VP8'));
    await writer.write(fakeFrame(vp8DeltaFrame(), 'video/VP8'));
    installKey(a.keyring, 0, ROOM_KEY);
    const last = vp8DeltaFrame(5, 0x77);
    await writer.write(fakeFrame(last, 'video/VP8'));
    await writer.close();
    await collected;
    assert.equal(outputs.length, 1);
    assert.deepEqual(await run(receiver(bob(), Stream.CAMERA, 1), outputs[0], 'video/VP8'), last);
    assert.deepEqual(a.counters.snapshot(), { encrypted: 1, decrypted: 0, sendDropped: { [DropReason.NO_KEY]: 2 }, receiveDropped: {} });
  });

  test('no own slot yet → no key', async () => {
    const keyring = new FrameKeyring();
    installKey(keyring, 0, ROOM_KEY);
    const p = { keyring, counters: new FrameCounters() };
    assert.equal(await run(sender(p, Stream.MIC), opusFrame(), 'audio/opus'), null);
    assert.deepEqual(p.counters.snapshot().sendDropped, { [DropReason.NO_KEY]: 1 });
  });

  test('RED, H264 and codec/stream mismatches are dropped', async () => {
    const a = alice();
    assert.equal(await run(sender(a, Stream.MIC), opusFrame(), 'audio/red'), null);
    assert.equal(await run(sender(a, Stream.CAMERA), vp8KeyFrame(), 'video/H264'), null);
    assert.equal(await run(sender(a, Stream.CAMERA), opusFrame(), 'audio/opus'), null);
    assert.deepEqual(a.counters.snapshot().sendDropped, { [DropReason.UNSUPPORTED_CODEC]: 2, [DropReason.CODEC_STREAM_MISMATCH]: 1 });
    assert.ok(await run(sender(a, Stream.MIC), opusFrame(), 'audio/opus'), 'positive control');
  });

  test('bad transform options drop everything', async () => {
    const a = alice();
    const bad = [
      { side: 'sideways', kind: 'audio', stream: 0 },
      { side: TransformSide.SEND, kind: 'video', stream: Stream.MIC },
      { side: TransformSide.SEND, kind: 'audio', stream: 9 },
      { side: TransformSide.RECEIVE, kind: 'audio', stream: 0 }, // no owner slot
      null,
    ];
    for (const options of bad) {
      assert.equal(await run(new FrameTransformer(a.keyring, a.counters, options), opusFrame(), 'audio/opus'), null);
    }
    assert.equal(a.counters.snapshot().sendDropped[DropReason.BAD_TRANSFORM_OPTIONS], 4);
    assert.equal(a.counters.snapshot().receiveDropped[DropReason.BAD_TRANSFORM_OPTIONS], 1);
  });
});

// --- the receiver's checks -----------------------------------------------------------------------

describe('what the receiver drops, without moving the replay window (§S7, §S16)', () => {
  const kid = makeKid(1, Stream.CAMERA, 0);

  test('flipping any bit of a key frame drops it; the untouched frame is then accepted', async () => {
    const a = alice();
    const b = bob();
    const wire = await run(sender(a, Stream.CAMERA), vp8KeyFrame(20), 'video/VP8');
    const recv = receiver(b, Stream.CAMERA, 1);
    let drops = 0;
    for (let i = 0; i < wire.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const tampered = wire.slice();
        tampered[i] ^= 1 << bit;
        assert.equal(await run(recv, tampered, 'video/VP8'), null, `byte ${i} bit ${bit}`);
        drops++;
      }
    }
    assert.equal(await highestCounter(b, kid), -1n);
    const dropped = b.counters.snapshot().receiveDropped;
    assert.equal(Object.values(dropped).reduce((x, y) => x + y, 0), drops);
    assert.ok(dropped[DropReason.AUTH_FAILED] > 0);
    assert.deepEqual(await run(recv, wire, 'video/VP8'), vp8KeyFrame(20), 'positive control');
    assert.equal(await highestCounter(b, kid), 0n);
  });

  test('an empty frame is dropped as empty, not as a forgery', async () => {
    const b = bob();
    assert.equal(await run(receiver(b, Stream.MIC, 1), new Uint8Array(0), 'audio/opus'), null);
    assert.equal(await run(receiver(b, Stream.CAMERA, 1), new Uint8Array(0), 'video/VP8'), null);
    assert.deepEqual(b.counters.snapshot().receiveDropped, { [DropReason.EMPTY_FRAME]: 2 });
  });

  test('truncated frames are dropped', async () => {
    const wire = await run(sender(alice(), Stream.MIC), opusFrame(), 'audio/opus');
    const recv = receiver(bob(), Stream.MIC, 1);
    for (let cut = 0; cut < wire.length; cut++) assert.equal(await run(recv, wire.subarray(0, cut), 'audio/opus'), null, `cut ${cut}`);
    assert.ok(await run(recv, wire, 'audio/opus'), 'positive control');
  });

  test('a replayed frame is dropped', async () => {
    const b = bob();
    const wire = await run(sender(alice(), Stream.CAMERA), vp8DeltaFrame(), 'video/VP8');
    const recv = receiver(b, Stream.CAMERA, 1);
    assert.ok(await run(recv, wire, 'video/VP8'));
    assert.equal(await run(recv, wire, 'video/VP8'), null);
    assert.deepEqual(b.counters.snapshot().receiveDropped, { [DropReason.REPLAY]: 1 });
  });

  test('a frame 512 counters behind is dropped, 511 behind is accepted', async () => {
    const b = bob();
    const send = sender(alice(), Stream.CAMERA);
    const wires = [];
    for (let i = 0; i < 514; i++) wires.push(await run(send, vp8DeltaFrame(2), 'video/VP8'));
    const recv = receiver(b, Stream.CAMERA, 1);
    assert.ok(await run(recv, wires[513], 'video/VP8'));
    assert.equal(await run(recv, wires[1], 'video/VP8'), null); // 512 behind
    assert.equal(await run(recv, wires[0], 'video/VP8'), null);
    assert.deepEqual(b.counters.snapshot().receiveDropped, { [DropReason.TOO_OLD]: 2 });
    assert.ok(await run(recv, wires[2], 'video/VP8'), 'positive control: 511 behind');
    assert.equal(await highestCounter(b, kid), 513n);
  });

  test('a forged high CTR fails authentication and does not move the window', async () => {
    const b = bob();
    const send = sender(alice(), Stream.CAMERA);
    const first = await run(send, vp8DeltaFrame(), 'video/VP8');
    const second = await run(send, vp8DeltaFrame(), 'video/VP8');
    const recv = receiver(b, Stream.CAMERA, 1);
    assert.ok(await run(recv, first, 'video/VP8'));
    const header = parseHeader(second, 1);
    const forged = concat(second.subarray(0, 1), encodeHeader(header.kid, MAX_U64), second.subarray(1 + header.length));
    assert.equal(await run(recv, forged, 'video/VP8'), null);
    assert.deepEqual(b.counters.snapshot().receiveDropped, { [DropReason.AUTH_FAILED]: 1 });
    assert.equal(await highestCounter(b, kid), 0n);
    assert.ok(await run(recv, second, 'video/VP8'), 'positive control: the next genuine frame is accepted');
  });

  test('an unknown KID (an epoch the receiver does not hold) is dropped', async () => {
    const b = bob();
    const wire = await run(sender(participant(1, { epoch: 1 }), Stream.CAMERA), vp8DeltaFrame(), 'video/VP8');
    const recv = receiver(b, Stream.CAMERA, 1);
    assert.equal(await run(recv, wire, 'video/VP8'), null);
    assert.deepEqual(b.counters.snapshot().receiveDropped, { [DropReason.UNKNOWN_KID]: 1 });
    installKey(b.keyring, 1, ROOM_KEY);
    assert.ok(await run(recv, wire, 'video/VP8'), 'positive control: with the epoch installed');
  });

  test('a frame under another key with a known KID fails authentication (no trial keys)', async () => {
    const b = bob();
    const wire = await run(sender(participant(1, { key: OTHER_KEY }), Stream.CAMERA), vp8DeltaFrame(), 'video/VP8');
    assert.equal(await run(receiver(b, Stream.CAMERA, 1), wire, 'video/VP8'), null);
    assert.deepEqual(b.counters.snapshot().receiveDropped, { [DropReason.AUTH_FAILED]: 1 });
    assert.equal(await highestCounter(b, kid), -1n);
  });

  test('B\'s KID on C\'s track is dropped; on B\'s track it is accepted', async () => {
    const c = participant(3);
    const wire = await run(sender(alice(), Stream.CAMERA), vp8DeltaFrame(), 'video/VP8'); // alice = slot 1
    assert.equal(await run(receiver(c, Stream.CAMERA, 2), wire, 'video/VP8'), null);
    assert.deepEqual(c.counters.snapshot().receiveDropped, { [DropReason.WRONG_OWNER]: 1 });
    assert.equal(await highestCounter(c, kid), -1n);
    assert.ok(await run(receiver(c, Stream.CAMERA, 1), wire, 'video/VP8'), 'positive control');
  });

  test('camera frames on the screen track and screen audio on the mic track are dropped', async () => {
    const a = alice();
    const b = bob();
    const camera = await run(sender(a, Stream.CAMERA), vp8DeltaFrame(), 'video/VP8');
    const screenAudio = await run(sender(a, Stream.SCREEN_AUDIO), opusFrame(), 'audio/opus');
    assert.equal(await run(receiver(b, Stream.SCREEN_VIDEO, 1), camera, 'video/VP8'), null);
    assert.equal(await run(receiver(b, Stream.MIC, 1), screenAudio, 'audio/opus'), null);
    assert.deepEqual(b.counters.snapshot().receiveDropped, { [DropReason.WRONG_STREAM]: 2 });
    assert.ok(await run(receiver(b, Stream.SCREEN_AUDIO, 1), screenAudio, 'audio/opus'), 'positive control');
  });

  test('my own frames reflected back to me are dropped', async () => {
    const a = alice();
    const wire = await run(sender(a, Stream.MIC), opusFrame(), 'audio/opus');
    assert.equal(await run(receiver(a, Stream.MIC, 1), wire, 'audio/opus'), null);
    assert.deepEqual(a.counters.snapshot().receiveDropped, { [DropReason.WRONG_OWNER]: 1 });
  });

  test('RED and H264 frames are dropped on receive', async () => {
    const b = bob();
    const wire = await run(sender(alice(), Stream.MIC), opusFrame(), 'audio/opus');
    assert.equal(await run(receiver(b, Stream.MIC, 1), wire, 'audio/red'), null);
    assert.equal(await run(receiver(b, Stream.CAMERA, 1), vp8KeyFrame(), 'video/H264'), null);
    assert.deepEqual(b.counters.snapshot().receiveDropped, { [DropReason.UNSUPPORTED_CODEC]: 2 });
  });

  test('a clear frame is never passed through', async () => {
    const b = bob();
    assert.equal(await run(receiver(b, Stream.CAMERA, 1), vp8KeyFrame(), 'video/VP8'), null);
    assert.equal(await run(receiver(b, Stream.MIC, 1), opusFrame(), 'audio/opus'), null);
    assert.equal(b.counters.snapshot().decrypted, 0);
  });
});

describe('random and mutated input never throws and never passes (§S7)', () => {
  test('2,000 random frames and 2,000 mutations of a valid one are all dropped', async () => {
    const b = bob();
    const recvVideo = receiver(b, Stream.CAMERA, 1);
    const recvAudio = receiver(b, Stream.MIC, 1);
    const valid = await run(sender(alice(), Stream.CAMERA), vp8KeyFrame(30), 'video/VP8');
    let seed = 12345;
    const random = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 8; };
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: random() % 64 }, () => random() & 0xff);
      assert.equal(await run(i % 2 ? recvVideo : recvAudio, bytes, i % 2 ? 'video/VP8' : 'audio/opus'), null);
      const mutated = valid.slice();
      for (let m = 1 + (random() % 4); m > 0; m--) mutated[random() % mutated.length] ^= 1 + (random() % 255);
      const cut = random() % 3 === 0 ? mutated.subarray(0, random() % mutated.length) : mutated;
      assert.equal(await run(recvVideo, cut, 'video/VP8'), null);
    }
    assert.equal(b.counters.snapshot().decrypted, 0);
    assert.equal(b.counters.snapshot().receiveDropped[DropReason.INTERNAL_ERROR], undefined);
    assert.deepEqual(await run(recvVideo, valid, 'video/VP8'), vp8KeyFrame(30), 'positive control');
  });
});

// --- counters and keys ---------------------------------------------------------------------------

/** Every (KID, CTR) pair that occurs more than once among sent frames. */
function repeatedKidCtr(wires) {
  const seen = new Set();
  const repeated = [];
  for (const { bytes, mimeType } of wires) {
    const header = parseHeader(bytes, prefixLength(mimeType, bytes));
    const id = `${header.kid}:${header.ctr}`;
    if (seen.has(id)) repeated.push(id);
    seen.add(id);
  }
  return repeated;
}

/** A random pause: a microtask, a macrotask or a timer, so concurrent senders interleave. */
function randomPause() {
  const r = Math.random();
  if (r < 0.4) return Promise.resolve();
  if (r < 0.9) return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe('one counter per KID (§S7, §S16)', () => {
  test('10,000 frames over 3 camera layers and 4 streams, re-created transform, repeat no (KID, CTR)', async () => {
    const a = alice();
    const b = bob();
    const total = 10_000;
    const wires = [];
    const transforms = {
      [Stream.MIC]: sender(a, Stream.MIC),
      [Stream.CAMERA]: sender(a, Stream.CAMERA),
      [Stream.SCREEN_VIDEO]: sender(a, Stream.SCREEN_VIDEO),
      [Stream.SCREEN_AUDIO]: sender(a, Stream.SCREEN_AUDIO),
    };
    // Six producers: three simulcast layers (own SSRCs) share the camera stream and its transform.
    const producers = [
      { stream: Stream.CAMERA, ssrc: 101 }, { stream: Stream.CAMERA, ssrc: 102 }, { stream: Stream.CAMERA, ssrc: 103 },
      { stream: Stream.MIC, ssrc: 200 }, { stream: Stream.SCREEN_VIDEO, ssrc: 300 }, { stream: Stream.SCREEN_AUDIO, ssrc: 400 },
    ];
    let issued = 0;
    let recreated = false;
    await Promise.all(producers.map(async ({ stream, ssrc }) => {
      while (issued < total) {
        issued++;
        if (!recreated && issued >= total / 2) {
          // §S7: a new transform reuses the keyring's counter object. Frames still in flight in
          // the old transform finish there concurrently.
          transforms[Stream.CAMERA] = sender(a, Stream.CAMERA);
          recreated = true;
        }
        const mimeType = MIME[stream];
        const plain = mimeType === 'audio/opus' ? opusFrame(12, ssrc & 0xff)
          : issued % 50 === 0 ? vp8KeyFrame(12, ssrc & 0xff) : vp8DeltaFrame(12, ssrc & 0xff);
        const frame = fakeFrame(plain, mimeType, ssrc);
        await randomPause();
        assert.ok(await transforms[stream].process(frame));
        wires.push({ bytes: new Uint8Array(frame.data), mimeType, stream, plain });
        await randomPause();
      }
    }));
    assert.equal(wires.length, total);
    assert.ok(recreated);
    assert.deepEqual(repeatedKidCtr(wires), []);
    const kids = new Set(wires.map(({ bytes, mimeType }) => parseHeader(bytes, prefixLength(mimeType, bytes)).kid));
    assert.equal(kids.size, 4);

    // Every frame also decrypts at a receiver (each stream on its own track).
    const receivers = Object.fromEntries([0, 1, 2, 3].map((stream) => [stream, receiver(b, stream, 1)]));
    for (const { bytes, mimeType, stream, plain } of wires) {
      assert.deepEqual(await run(receivers[stream], bytes, mimeType), plain);
    }
    assert.equal(b.counters.snapshot().decrypted, total);
  });

  test('positive control: per-layer counters under one KID are detected repeating', async () => {
    const kid = makeKid(1, Stream.CAMERA, 0);
    const perLayer = await Promise.all([0, 1, 2].map(() => SenderKey.create(ROOM_KEY, kid)));
    const wires = [];
    for (let i = 0; i < 30; i++) {
      const sealed = await perLayer[i % 3].encrypt(new Uint8Array(1), Uint8Array.of(i));
      wires.push({ bytes: concat(Uint8Array.of(0x31), sealed), mimeType: 'video/VP8' });
    }
    assert.equal(repeatedKidCtr(wires).length, 20);
  });

  test('the keyring hands every transform the same SenderKey object', async () => {
    const a = alice();
    const [k1, k2] = await Promise.all([a.keyring.senderKey(Stream.CAMERA), a.keyring.senderKey(Stream.CAMERA)]);
    assert.equal(k1, k2);
    assert.notEqual(await a.keyring.senderKey(Stream.MIC), k1);
  });
});

describe('key epochs', () => {
  test('a new epoch switches KIDs and keys; the receiver keeps the old one', async () => {
    const a = alice();
    const b = bob();
    const send = sender(a, Stream.MIC);
    const old = await run(send, opusFrame(), 'audio/opus');
    installKey(a.keyring, 1, OTHER_KEY);
    const fresh = await run(send, opusFrame(), 'audio/opus');
    assert.equal(toHex(fresh.subarray(0, 4)), 'a0010001'); // epoch byte 1, counter back to 0 under the new key
    const recv = receiver(b, Stream.MIC, 1);
    assert.equal(await run(recv, fresh, 'audio/opus'), null, 'epoch 1 not yet installed');
    installKey(b.keyring, 1, OTHER_KEY);
    assert.ok(await run(recv, fresh, 'audio/opus'));
    assert.ok(await run(recv, old, 'audio/opus'), 'epoch 0 is still held');
  });

  test('at most 3 epochs are held for receiving', async () => {
    const b = bob();
    const wire = await run(sender(alice(), Stream.MIC), opusFrame(), 'audio/opus');
    for (let epoch = 1; epoch <= 3; epoch++) installKey(b.keyring, epoch, OTHER_KEY.map((x) => x ^ epoch));
    assert.equal(await run(receiver(b, Stream.MIC, 1), wire, 'audio/opus'), null);
    assert.deepEqual(b.counters.snapshot().receiveDropped, { [DropReason.UNKNOWN_KID]: 1 });
  });

  test('setting the same epoch and key again keeps the counter; another key under it is refused', async () => {
    const a = alice();
    const send = sender(a, Stream.MIC);
    await run(send, opusFrame(), 'audio/opus');
    a.keyring.setSenderKey(0, ROOM_KEY.slice());
    const second = await run(send, opusFrame(), 'audio/opus');
    assert.equal(parseHeader(second).ctr, 1n);
    assert.throws(() => a.keyring.setSenderKey(0, OTHER_KEY), KeyringError);
    a.keyring.setSenderKey(5, OTHER_KEY);
    assert.throws(() => a.keyring.setSenderKey(4, ROOM_KEY), KeyringError);
    assert.throws(() => a.keyring.setSenderKey(6, new Uint8Array(15)), KeyringError);
  });

  test('300 rekeys wrap the epoch byte cleanly: every epoch round trips, epoch e − 256 does not', async () => {
    const a = participant(1, { key: null });
    const b = participant(2, { key: null });
    const send = sender(a, Stream.MIC);
    const recv = receiver(b, Stream.MIC, 1);
    const keyFor = (epoch) => Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? epoch >> 8 : i === 1 ? epoch & 0xff : i));
    const wires = [];
    for (let epoch = 0; epoch < 300; epoch++) {
      installKey(a.keyring, epoch, keyFor(epoch));
      installKey(b.keyring, epoch, keyFor(epoch));
      const wire = await run(send, opusFrame(), 'audio/opus');
      assert.equal(splitKid(parseHeader(wire).kid).epochByte, epoch % 256);
      assert.equal(parseHeader(wire).ctr, 0n); // a fresh key starts its counter at 0
      assert.ok(await run(recv, wire, 'audio/opus'), `epoch ${epoch}`);
      wires.push(wire);
    }
    assert.deepEqual(b.counters.snapshot().receiveDropped, {});
    // Epoch 300 has KID byte 44, like epoch 44: that old frame must not decrypt under the new key.
    installKey(a.keyring, 300, keyFor(300));
    installKey(b.keyring, 300, keyFor(300));
    const current = await run(send, opusFrame(), 'audio/opus');
    assert.equal(toHex(current.subarray(0, 4)), toHex(wires[44].subarray(0, 4)), 'same header: KID byte 44, CTR 0');
    assert.equal(await run(recv, wires[44], 'audio/opus'), null);
    assert.deepEqual(b.counters.snapshot().receiveDropped, { [DropReason.AUTH_FAILED]: 1 });
    assert.ok(await run(recv, current, 'audio/opus'), 'positive control: the epoch-300 frame decrypts');
  });

  test('the own slot cannot change', () => {
    const a = alice();
    a.keyring.setOwnSlot(1);
    assert.throws(() => a.keyring.setOwnSlot(2), KeyringError);
    assert.throws(() => new FrameKeyring().setOwnSlot(0), KeyringError);
  });
});
