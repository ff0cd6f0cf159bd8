// What may be sent and what must be dropped (E2EE-SPEC.md §S7; DESIGN.md §1.2, §9 "Media in
// tests"). Pure functions over bytes and small records: no keys here, no WebCrypto.
//
// There is deliberately no pass-through branch, no "enabled" flag and no trial decryption:
// a frame that cannot be encrypted or authenticated is dropped, never forwarded in the clear
// (unlike lib-jitsi-meet, which sends frames unencrypted while no key is set).

import { ReceiveFailure, SendFailure } from './sframe.js';

/** Stream numbers inside the KID (§S7). All simulcast layers of the camera share stream 1. */
export const Stream = Object.freeze({
  MIC: 0,
  CAMERA: 1,
  SCREEN_VIDEO: 2,
  SCREEN_AUDIO: 3,
});

const STREAM_MEDIA_KIND = Object.freeze(['audio', 'video', 'video', 'audio']);

/** 'audio' or 'video' for a stream number, or null for an unknown stream. */
export function streamMediaKind(stream) {
  return Number.isInteger(stream) ? STREAM_MEDIA_KIND[stream] ?? null : null;
}

/** The only codecs whose frames Sotto encrypts and accepts (§S7 codec policy). */
export const Codec = Object.freeze({
  VP8: 'video/vp8',
  OPUS: 'audio/opus',
});

const CODEC_MEDIA_KIND = Object.freeze({ [Codec.VP8]: 'video', [Codec.OPUS]: 'audio' });

/** Every reason a frame is dropped, as counted in the stats (one name per check). */
export const DropReason = Object.freeze({
  BAD_TRANSFORM_OPTIONS: 'bad-transform-options',
  UNSUPPORTED_CODEC: 'unsupported-codec',
  CODEC_STREAM_MISMATCH: 'codec-stream-mismatch',
  EMPTY_FRAME: 'empty-frame',
  SHORT_KEY_FRAME: 'short-key-frame',
  NO_KEY: 'no-key',
  MALFORMED: 'malformed',
  UNKNOWN_KID: 'unknown-kid',
  WRONG_OWNER: 'wrong-owner',
  WRONG_STREAM: 'wrong-stream',
  INTERNAL_ERROR: 'internal-error',
  ...SendFailure,
  ...ReceiveFailure,
});

// --- KID = slot << 16 | stream << 8 | (epoch mod 256) (§S7) -------------------------------------

const SLOT_MAX = 0xffff;
const EPOCH_MAX = 0xffffffff;
const KID_MAX = 0xffffffffn; // 16-bit slot, 8-bit stream, 8-bit epoch

/** The KID of (slot, stream, epoch) as a BigInt, e.g. slot 1, camera, epoch 0 → 0x010100n. */
export function makeKid(slot, stream, epoch) {
  if (!Number.isInteger(slot) || slot < 1 || slot > SLOT_MAX) throw new RangeError(`bad slot ${slot}`);
  if (streamMediaKind(stream) === null) throw new RangeError(`bad stream ${stream}`);
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > EPOCH_MAX) throw new RangeError(`bad epoch ${epoch}`);
  return (BigInt(slot) << 16n) | (BigInt(stream) << 8n) | BigInt(epoch % 256);
}

/**
 * The parts of a received KID, or null when no Sotto sender could have produced it (wider than
 * 32 bits, slot 0, or a stream number that does not exist). Never throws.
 */
export function splitKid(kid) {
  if (typeof kid !== 'bigint' || kid < 0n || kid > KID_MAX) return null;
  const value = Number(kid);
  const slot = value >>> 16;
  const stream = (value >>> 8) & 0xff;
  if (slot === 0 || streamMediaKind(stream) === null) return null;
  return { slot, stream, epochByte: value & 0xff };
}

// --- codec and clear prefix ----------------------------------------------------------------------

/**
 * The codec of an encoded frame: the browser's own `mimeType` in the frame metadata when present,
 * else the payload type looked up in the negotiated map the main thread passed in. null when it is
 * anything but VP8 or Opus (RED, H264, unknown …) — such frames are dropped.
 * @param {{getMetadata(): object}} frame
 * @param {Record<string,string>} codecsByPayloadType e.g. {"96": "video/VP8"}
 */
export function codecOfFrame(frame, codecsByPayloadType) {
  const metadata = frame.getMetadata();
  const mime = metadata.mimeType ?? codecsByPayloadType?.[metadata.payloadType];
  if (typeof mime !== 'string') return null;
  const codec = mime.toLowerCase();
  return codec === Codec.VP8 || codec === Codec.OPUS ? codec : null;
}

/** 'audio' or 'video' for a supported codec. */
export function codecMediaKind(codec) {
  return CODEC_MEDIA_KIND[codec] ?? null;
}

/** VP8 key frame: 3-byte frame tag + start code 9d 01 2a + 2×2 size bytes (RFC 6386 §9.1). */
export const VP8_KEY_FRAME_PREFIX = 10;
/** VP8 delta frame: the first tag byte (P bit, version, show_frame) stays readable. */
export const VP8_DELTA_FRAME_PREFIX = 1;

/**
 * How many leading bytes of a frame travel in the clear, authenticated as SFrame metadata (§S7):
 * VP8 key frame (`(f[0] & 1) == 0`, the inverted key-frame bit of RFC 6386 §9.1) → 10, VP8 delta
 * → 1, Opus → 0. The SFU reads these bytes to find key frames and layers; the decoder needs them
 * to see a frame it can hand over. Returns {prefix} or {drop: DropReason}.
 * The receiver applies the same rule to the received bytes: byte 0 is itself in the clear.
 */
export function clearPrefix(codec, data) {
  if (codec === Codec.OPUS) return { prefix: 0 };
  if (data.length === 0) return { drop: DropReason.EMPTY_FRAME };
  if ((data[0] & 1) === 0) {
    if (data.length < VP8_KEY_FRAME_PREFIX) return { drop: DropReason.SHORT_KEY_FRAME };
    return { prefix: VP8_KEY_FRAME_PREFIX };
  }
  return { prefix: VP8_DELTA_FRAME_PREFIX };
}

// --- receiver checks -----------------------------------------------------------------------------

/**
 * Checks a received KID against the track it arrived on (§S7): the SFU signals each track's owner,
 * and a frame must carry that owner's slot and the track's stream. [Otherwise a malicious SFU could
 * show B's camera as C's, or play B's screen audio as B's microphone.] Returns null or a DropReason.
 * @param {{slot:number, stream:number}|null} kidParts from splitKid
 * @param {{ownerSlot:number, stream:number}} track from the transform options
 */
export function checkKidForTrack(kidParts, track) {
  if (kidParts === null) return DropReason.UNKNOWN_KID;
  if (kidParts.slot !== track.ownerSlot) return DropReason.WRONG_OWNER;
  if (kidParts.stream !== track.stream) return DropReason.WRONG_STREAM;
  return null;
}
