// SFrame (RFC 9605) for Sotto's media frames (E2EE-SPEC.md §S7): header encoding, key and salt
// derivation for cipher suite 0x0004 AES_128_GCM_SHA256_128, and the sender/receiver key objects
// that own the counter and the replay window. KID and CTR are BigInt throughout: the header
// carries up to 64-bit values (RFC 9605 §4.3), beyond Number's exact range.

import { concat, hkdf, u16, u64, utf8 } from './bytes.js';

const subtle = globalThis.crypto.subtle;

/** RFC 9605 §8.1: AES_128_GCM_SHA256_128 — Nk = 16, Nn = 12, Nt = 16. */
export const CIPHER_SUITE_AES_128_GCM_SHA256_128 = 0x0004;
const KEY_BYTES = 16; // Nk
const NONCE_BYTES = 12; // Nn
const TAG_BITS = 128; // Nt = 16 bytes (§S1: AES-GCM tags are 128 bits)
export const TAG_BYTES = TAG_BITS / 8;

export const MAX_U64 = 0xffffffffffffffffn;
/** §S7 / §S14: replay window of 512 counters per (KID, key). */
export const REPLAY_WINDOW = 512;

// --- header (RFC 9605 §4.3) -------------------------------------------------------------------
//
//    0 1 2 3 4 5 6 7
//   +-+-+-+-+-+-+-+-+---------------------------+---------------------------+
//   |X|  K  |Y|  C  |   KID (K+1 bytes if X=1)  |   CTR (C+1 bytes if Y=1)  |
//   +-+-+-+-+-+-+-+-+---------------------------+---------------------------+
//
// X = 0: K is the KID itself (0–7) and no KID bytes follow; X = 1: K + 1 big-endian KID bytes
// follow. Y and C say the same for CTR. The encoder always uses the shortest form.

const X_FLAG = 0x80;
const K_SHIFT = 4;
const Y_FLAG = 0x08;
const VALUE_MASK = 0x07;
const SHORT_MAX = 7n;
const CONFIG_BYTES = 1;

function minimalLength(value) {
  let length = 1;
  while (value > 0xffn) {
    value >>= 8n;
    length++;
  }
  return length;
}

function checkU64(value, name) {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_U64) {
    throw new RangeError(`${name} must be a BigInt in 0..2^64-1`);
  }
}

function writeBigEndian(out, offset, value, length) {
  for (let i = length - 1; i >= 0; i--) {
    out[offset + i] = Number(value & 0xffn);
    value >>= 8n;
  }
}

function readBigEndian(data, offset, length) {
  let value = 0n;
  for (let i = 0; i < length; i++) value = (value << 8n) | BigInt(data[offset + i]);
  return value;
}

/** The header for (kid, ctr) in its shortest form (RFC 9605 §4.3). */
export function encodeHeader(kid, ctr) {
  checkU64(kid, 'KID');
  checkU64(ctr, 'CTR');
  const kidLength = kid <= SHORT_MAX ? 0 : minimalLength(kid);
  const ctrLength = ctr <= SHORT_MAX ? 0 : minimalLength(ctr);
  const out = new Uint8Array(CONFIG_BYTES + kidLength + ctrLength);
  const k = kidLength === 0 ? Number(kid) << K_SHIFT : X_FLAG | ((kidLength - 1) << K_SHIFT);
  const c = ctrLength === 0 ? Number(ctr) : Y_FLAG | (ctrLength - 1);
  out[0] = k | c;
  writeBigEndian(out, CONFIG_BYTES, kid, kidLength);
  writeBigEndian(out, CONFIG_BYTES + kidLength, ctr, ctrLength);
  return out;
}

/**
 * Reads a header at `offset`. Returns {kid, ctr, length} or null when the bytes run out; never
 * throws. A non-minimal encoding is accepted as RFC 9605 allows it; it cannot be used to replay a
 * frame under another spelling because the header is part of the AEAD's associated data.
 */
export function parseHeader(data, offset = 0) {
  if (offset + CONFIG_BYTES > data.length) return null;
  const config = data[offset];
  let position = offset + CONFIG_BYTES;

  let kid;
  if (config & X_FLAG) {
    const kidLength = ((config >> K_SHIFT) & VALUE_MASK) + 1;
    if (position + kidLength > data.length) return null;
    kid = readBigEndian(data, position, kidLength);
    position += kidLength;
  } else {
    kid = BigInt((config >> K_SHIFT) & VALUE_MASK);
  }

  let ctr;
  if (config & Y_FLAG) {
    const ctrLength = (config & VALUE_MASK) + 1;
    if (position + ctrLength > data.length) return null;
    ctr = readBigEndian(data, position, ctrLength);
    position += ctrLength;
  } else {
    ctr = BigInt(config & VALUE_MASK);
  }
  return { kid, ctr, length: position - offset };
}

// --- keys (RFC 9605 §4.4.2) -------------------------------------------------------------------

/**
 * sframe_secret = HKDF-Extract("", base_key);
 * sframe_key  = HKDF-Expand(sframe_secret, "SFrame 1.0 Secret key "  ‖ u64(KID) ‖ u16(suite), Nk);
 * sframe_salt = HKDF-Expand(sframe_secret, "SFrame 1.0 Secret salt " ‖ u64(KID) ‖ u16(suite), Nn).
 * Extract with an empty salt then Expand is exactly our hkdf() (§S1).
 */
export async function deriveKeyAndSalt(baseKey, kid) {
  checkU64(kid, 'KID');
  const context = concat(u64(kid), u16(CIPHER_SUITE_AES_128_GCM_SHA256_128));
  const key = await hkdf(baseKey, concat(utf8('SFrame 1.0 Secret key '), context), KEY_BYTES);
  const salt = await hkdf(baseKey, concat(utf8('SFrame 1.0 Secret salt '), context), NONCE_BYTES);
  return { key, salt };
}

/** nonce = sframe_salt XOR CTR encoded as Nn big-endian bytes (RFC 9605 §4.4.3). */
export function sframeNonce(salt, ctr) {
  const nonce = salt.slice();
  let value = ctr;
  for (let i = NONCE_BYTES - 1; i >= 0 && value > 0n; i--) {
    nonce[i] ^= Number(value & 0xffn);
    value >>= 8n;
  }
  return nonce;
}

/** Key material for one KID: a non-extractable AES-GCM key plus the salt. */
async function importKeyMaterial(baseKey, kid, usage) {
  const { key, salt } = await deriveKeyAndSalt(baseKey, kid);
  const aesKey = await subtle.importKey('raw', key, 'AES-GCM', false, [usage]);
  key.fill(0);
  return { aesKey, salt };
}

/**
 * RFC 9605 §4.4.3 encryption: header ‖ AEAD.Encrypt(key, nonce, aad = header ‖ metadata, pt).
 * In Sotto the metadata is the codec's clear prefix (§S7), which is sent before the header.
 * @returns {Promise<Uint8Array>} header ‖ ciphertext ‖ tag
 */
export async function sframeSeal({ aesKey, salt }, kid, ctr, metadata, plaintext) {
  const header = encodeHeader(kid, ctr);
  const ciphertext = await subtle.encrypt(
    { name: 'AES-GCM', iv: sframeNonce(salt, ctr), additionalData: concat(header, metadata), tagLength: TAG_BITS },
    aesKey,
    plaintext,
  );
  return concat(header, new Uint8Array(ciphertext));
}

/**
 * RFC 9605 §4.4.4 decryption of ciphertext ‖ tag, given the header bytes as received.
 * @returns {Promise<Uint8Array|null>} plaintext, or null when authentication fails
 */
export async function sframeOpen({ aesKey, salt }, headerBytes, ctr, metadata, ciphertext) {
  try {
    const plaintext = await subtle.decrypt(
      { name: 'AES-GCM', iv: sframeNonce(salt, ctr), additionalData: concat(headerBytes, metadata), tagLength: TAG_BITS },
      aesKey,
      ciphertext,
    );
    return new Uint8Array(plaintext);
  } catch {
    return null; // OperationError: tag mismatch (or ciphertext shorter than the tag)
  }
}

// --- sender -----------------------------------------------------------------------------------

/** Why a sender refused to encrypt. */
export const SendFailure = Object.freeze({
  COUNTER_EXHAUSTED: 'counter-exhausted',
});

/**
 * The sending half of one (KID, base key): owns the ONE counter for that KID (§S7). Every frame
 * under this KID — all simulcast layers of a stream, every transform ever attached — must go
 * through the same object, because nonce = salt XOR CTR: two counters under one key would reuse
 * nonces and break AES-GCM (DESIGN.md §9).
 */
export class SenderKey {
  #material;
  #nextCtr = 0n;

  constructor(kid, material, firstCounter = 0n) {
    this.kid = kid;
    this.#material = material;
    this.#nextCtr = firstCounter;
  }

  /**
   * @param {Uint8Array} baseKey
   * @param {bigint} kid
   * @param {bigint} [firstCounter] 0 for a fresh key; only tests of the counter's end start later
   */
  static async create(baseKey, kid, firstCounter = 0n) {
    checkU64(firstCounter, 'first counter');
    return new SenderKey(kid, await importKeyMaterial(baseKey, kid, 'encrypt'), firstCounter);
  }

  /** The counter the next frame will use (tests and stats). */
  get nextCounter() {
    return this.#nextCtr;
  }

  /**
   * header ‖ ciphertext for one frame, or null when the counter space is exhausted (the caller
   * drops the frame; a new epoch brings a new key). The counter is read and incremented
   * synchronously, before the first await, so concurrent calls can never share a CTR.
   */
  encrypt(metadata, plaintext) {
    if (this.#nextCtr > MAX_U64) return Promise.resolve(null);
    const ctr = this.#nextCtr++;
    return sframeSeal(this.#material, this.kid, ctr, metadata, plaintext);
  }
}

// --- receiver ---------------------------------------------------------------------------------

/** Why a receiver refused a frame. */
export const ReceiveFailure = Object.freeze({
  REPLAY: 'replay',
  TOO_OLD: 'too-old',
  AUTH_FAILED: 'auth-failed',
});

/**
 * Sliding window over the last REPLAY_WINDOW counters below the highest accepted one. One bit per
 * counter, stored at index ctr mod REPLAY_WINDOW. Only successfully decrypted frames are marked
 * (§S7), so forged headers — e.g. a CTR of 2^64 − 1 — cannot move it.
 */
export class ReplayWindow {
  #highest = -1n;
  #seen = new Uint32Array(REPLAY_WINDOW / 32);

  #bit(ctr) {
    const index = Number(ctr % BigInt(REPLAY_WINDOW));
    return [index >>> 5, 1 << (index & 31)];
  }

  /** null when ctr may be accepted, else the ReceiveFailure. Does not change the window. */
  check(ctr) {
    if (ctr > this.#highest) return null;
    if (this.#highest - ctr >= BigInt(REPLAY_WINDOW)) return ReceiveFailure.TOO_OLD;
    const [word, mask] = this.#bit(ctr);
    return this.#seen[word] & mask ? ReceiveFailure.REPLAY : null;
  }

  /** Records ctr as used; call only after check(ctr) === null and a successful decryption. */
  mark(ctr) {
    if (ctr > this.#highest) {
      const advance = ctr - this.#highest;
      if (advance >= BigInt(REPLAY_WINDOW)) {
        this.#seen.fill(0);
      } else {
        for (let c = this.#highest + 1n; c < ctr; c++) this.#clear(c);
      }
      this.#highest = ctr;
    }
    const [word, mask] = this.#bit(ctr);
    this.#seen[word] |= mask;
  }

  #clear(ctr) {
    const [word, mask] = this.#bit(ctr);
    this.#seen[word] &= ~mask;
  }

  get highest() {
    return this.#highest;
  }
}

/** The receiving half of one (KID, base key), with its own replay window (§S7). */
export class ReceiverKey {
  #material;
  #window = new ReplayWindow();

  constructor(kid, material) {
    this.kid = kid;
    this.#material = material;
  }

  static async create(baseKey, kid) {
    return new ReceiverKey(kid, await importKeyMaterial(baseKey, kid, 'decrypt'));
  }

  /** The highest counter accepted so far (-1n before the first frame): tests check it never moves on a drop. */
  get highestCounter() {
    return this.#window.highest;
  }

  /**
   * @returns {Promise<{plaintext: Uint8Array} | {failure: string}>}
   */
  async decrypt(headerBytes, ctr, metadata, ciphertext) {
    const early = this.#window.check(ctr);
    if (early) return { failure: early };
    const plaintext = await sframeOpen(this.#material, headerBytes, ctr, metadata, ciphertext);
    if (plaintext === null) return { failure: ReceiveFailure.AUTH_FAILED };
    // Check again: another copy of this frame may have been accepted while we awaited.
    const late = this.#window.check(ctr);
    if (late) return { failure: late };
    this.#window.mark(ctr);
    return { plaintext };
  }
}
