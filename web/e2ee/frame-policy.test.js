// Tests for frame-policy.js: KID layout, codec detection and the clear-prefix rule (§S7).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  checkKidForTrack, clearPrefix, Codec, codecOfFrame, DropReason, makeKid, splitKid, Stream, streamMediaKind,
} from './frame-policy.js';

describe('KID = slot << 16 | stream << 8 | epoch mod 256', () => {
  test('the spec example and the extremes', () => {
    assert.equal(makeKid(1, Stream.CAMERA, 0), 0x010100n);
    assert.equal(makeKid(0xffff, Stream.SCREEN_AUDIO, 0xffffffff), 0xffff03ffn);
    assert.equal(makeKid(2, Stream.MIC, 257), 0x020001n);
  });

  test('split is the inverse; impossible KIDs give null', () => {
    assert.deepEqual(splitKid(0xffff03ffn), { slot: 0xffff, stream: 3, epochByte: 0xff });
    assert.deepEqual(splitKid(0x010100n), { slot: 1, stream: 1, epochByte: 0 });
    for (const bad of [0n, 0x0000ffn, 0x010400n, 0x100000000n, -1n, 5]) assert.equal(splitKid(bad), null, String(bad));
  });

  test('bad inputs are refused', () => {
    assert.throws(() => makeKid(0, Stream.MIC, 0), RangeError);
    assert.throws(() => makeKid(65536, Stream.MIC, 0), RangeError);
    assert.throws(() => makeKid(1, 4, 0), RangeError);
    assert.throws(() => makeKid(1, Stream.MIC, -1), RangeError);
  });

  test('streams 0 and 3 are audio, 1 and 2 video', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map(streamMediaKind), ['audio', 'video', 'video', 'audio', null]);
  });
});

describe('codec of a frame', () => {
  const frame = (metadata) => ({ getMetadata: () => metadata });

  test('mimeType from the metadata, case-insensitive', () => {
    assert.equal(codecOfFrame(frame({ mimeType: 'video/VP8' }), {}), Codec.VP8);
    assert.equal(codecOfFrame(frame({ mimeType: 'audio/opus' }), {}), Codec.OPUS);
  });

  test('payload type through the negotiated map when mimeType is missing', () => {
    assert.equal(codecOfFrame(frame({ payloadType: 96 }), { 96: 'video/VP8' }), Codec.VP8);
    assert.equal(codecOfFrame(frame({ payloadType: 97 }), { 96: 'video/VP8' }), null);
  });

  test('RED, H264, VP9 and unknown codecs are not supported', () => {
    for (const mimeType of ['audio/red', 'video/H264', 'video/VP9', 'video/rtx', '']) {
      assert.equal(codecOfFrame(frame({ mimeType }), {}), null, mimeType);
    }
    assert.equal(codecOfFrame(frame({ payloadType: 63 }), { 63: 'audio/red' }), null);
  });
});

describe('clear prefix (§S7)', () => {
  const keyFrame = Uint8Array.of(0x50, 0x2d, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, 0xaa);

  test('VP8 key frame → 10, VP8 delta → 1, Opus → 0', () => {
    assert.deepEqual(clearPrefix(Codec.VP8, keyFrame), { prefix: 10 });
    assert.deepEqual(clearPrefix(Codec.VP8, keyFrame.subarray(0, 10)), { prefix: 10 });
    assert.deepEqual(clearPrefix(Codec.VP8, Uint8Array.of(0x31, 0x22)), { prefix: 1 });
    assert.deepEqual(clearPrefix(Codec.VP8, Uint8Array.of(0x31)), { prefix: 1 });
    assert.deepEqual(clearPrefix(Codec.OPUS, Uint8Array.of(0x78, 1, 2)), { prefix: 0 });
    assert.deepEqual(clearPrefix(Codec.OPUS, new Uint8Array(0)), { prefix: 0 });
  });

  test('a key frame shorter than 10 bytes and an empty VP8 frame are dropped', () => {
    assert.deepEqual(clearPrefix(Codec.VP8, keyFrame.subarray(0, 9)), { drop: DropReason.SHORT_KEY_FRAME });
    assert.deepEqual(clearPrefix(Codec.VP8, new Uint8Array(0)), { drop: DropReason.EMPTY_FRAME });
  });
});

describe('received KID against the track', () => {
  const track = { ownerSlot: 2, stream: Stream.CAMERA };

  test('owner and stream must match', () => {
    assert.equal(checkKidForTrack(splitKid(makeKid(2, Stream.CAMERA, 7)), track), null, 'positive control');
    assert.equal(checkKidForTrack(splitKid(makeKid(3, Stream.CAMERA, 7)), track), DropReason.WRONG_OWNER);
    assert.equal(checkKidForTrack(splitKid(makeKid(2, Stream.SCREEN_VIDEO, 7)), track), DropReason.WRONG_STREAM);
    assert.equal(checkKidForTrack(splitKid(0x100000000n), track), DropReason.UNKNOWN_KID);
  });
});
