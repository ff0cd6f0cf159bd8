// Byte helpers shared by every e2ee module (E2EE-SPEC.md §S1 notation).
// Plain ES module: runs unchanged in the browser (window and Worker) and in node 20,
// both of which expose WebCrypto as globalThis.crypto.

const subtle = globalThis.crypto.subtle;
const utf8Encoder = new TextEncoder();

/** UTF-8 bytes of a string (labels in the spec are ASCII, room names are NFC text). */
export function utf8(text) {
  return utf8Encoder.encode(text);
}

function checkUint(value, max, name) {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name}: ${value} is not an integer in 0..${max}`);
  }
}

/** u8(x): one byte. */
export function u8(value) {
  checkUint(value, 0xff, 'u8');
  return Uint8Array.of(value);
}

/** u16(x): two bytes, big-endian (§S1). */
export function u16(value) {
  checkUint(value, 0xffff, 'u16');
  return Uint8Array.of(value >>> 8, value & 0xff);
}

/** u32(x): four bytes, big-endian (§S1). */
export function u32(value) {
  checkUint(value, 0xffffffff, 'u32');
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

/**
 * u64(x): eight bytes, big-endian (§S1). Takes a BigInt (or a safe integer Number) because
 * SFrame counters run to 2^64 − 1, beyond what a Number holds exactly.
 */
export function u64(value) {
  const big = typeof value === 'bigint' ? value : BigInt(checkSafe(value));
  if (big < 0n || big > 0xffffffffffffffffn) throw new RangeError(`u64: ${value} out of range`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, big, false);
  return out;
}

function checkSafe(value) {
  if (!Number.isSafeInteger(value)) throw new RangeError(`u64: ${value} is not a safe integer`);
  return value;
}

/** lp8(b) = u8(len b) ‖ b (§S1). */
export function lp8(bytes) {
  if (bytes.length > 0xff) throw new RangeError(`lp8: ${bytes.length} bytes is too long`);
  return concat(u8(bytes.length), bytes);
}

/** lp16(b) = u16(len b) ‖ b (§S1). */
export function lp16(bytes) {
  if (bytes.length > 0xffff) throw new RangeError(`lp16: ${bytes.length} bytes is too long`);
  return concat(u16(bytes.length), bytes);
}

/** a ‖ b ‖ … into one new Uint8Array. */
export function concat(...parts) {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Hex for tests and diagnostics (never for keys in logs). */
export function toHex(bytes) {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Strict hex decoder for test data: even length, [0-9a-f] only; null otherwise. */
export function fromHex(hex) {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

// --- base64url without padding (§S1, RFC 4648 §5) ---------------------------------------------

const B64U_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64U_VALUES = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < B64U_ALPHABET.length; i++) table[B64U_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** b64u(bytes): base64url, no padding. */
export function b64uEncode(bytes) {
  let out = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64U_ALPHABET[n >>> 18] + B64U_ALPHABET[(n >>> 12) & 63] +
      B64U_ALPHABET[(n >>> 6) & 63] + B64U_ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64U_ALPHABET[n >>> 18] + B64U_ALPHABET[(n >>> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64U_ALPHABET[n >>> 18] + B64U_ALPHABET[(n >>> 12) & 63] + B64U_ALPHABET[(n >>> 6) & 63];
  }
  return out;
}

/**
 * Strict base64url decoder (§S1: reject padding, bad characters and wrong lengths).
 * Returns null on any defect, never throws. Besides the alphabet it rejects a length of 1 mod 4
 * (no byte count encodes to it) and non-zero unused bits in the last character, so every byte
 * string has exactly one accepted encoding. With expectedLength, other decoded sizes are rejected.
 */
export function b64uDecode(text, expectedLength) {
  if (typeof text !== 'string') return null;
  const tail = text.length % 4;
  if (tail === 1) return null;
  const length = (text.length >> 2) * 3 + (tail === 0 ? 0 : tail - 1);
  if (expectedLength !== undefined && length !== expectedLength) return null;
  const out = new Uint8Array(length);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? B64U_VALUES[code] : -1;
    if (value < 0) return null; // '=', '+', '/', whitespace, non-ASCII …
    acc = (acc << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  if (acc !== 0) return null; // non-canonical: leftover bits must be zero (RFC 4648 §3.5)
  return out;
}

/**
 * Equality whose running time depends only on the lengths, not on where the bytes differ
 * (for comparing secrets and MACs). Lengths are not secret.
 */
export function equalConstantTime(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/**
 * HKDF(ikm, info, L) = RFC 5869 HKDF-SHA-256 with an EMPTY salt (§S1). RFC 5869 §2.2 replaces a
 * missing salt by HashLen zero bytes, and HMAC pads an empty key with zeros to the block size, so
 * WebCrypto's `salt: new Uint8Array(0)` is exactly this function (checked against RFC 5869 test
 * case 3 in bytes.test.js).
 */
export async function hkdf(ikm, info, length) {
  const key = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}
