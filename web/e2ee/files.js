// File transfer (E2EE-SPEC.md §S10): offers per receiver with a fresh key, chunks only after that
// receiver's authenticated accept, each chunk its own blob to that receiver alone:
//
//    0      1      2                18       22     23
//   +------+------+----------------+--------+------+------------------------------------------+
//   | 0x01 | 0x10 | fid (16)       | u32 i  | last | AES-256-GCM(k, 0⁴ ‖ u64 i, aad, chunk)   |
//   +------+------+----------------+--------+------+------------------------------------------+
//   aad = "sotto/v1/file" ‖ fid ‖ u32 i ‖ u8 last ‖ u64 size
//
// The receiver accepts only contiguous indices from 0, `last` only on the final one, exactly the
// offered size, and the offered SHA-256 — only then may the UI offer "Save". Received bytes stay
// in memory (never written anywhere) and never exceed the offered size, itself ≤ the size limit.

import { BlobType, encodeBlob, FILE_ID_BYTES } from './blob.js';
import { b64uDecode, concat, u32, u64, u8, utf8 } from './bytes.js';
import { Sha256Stream } from './sha256-stream.js';

const subtle = globalThis.crypto.subtle;

export const FILE_CHUNK_BYTES = 65_536;
export const FILE_KEY_BYTES = 32;
export const DEFAULT_FILE_SIZE_LIMIT = 100 * 1024 * 1024;
export const FILE_NAME_MAX = 255;
export const FILE_TYPE_MAX = 100;

const CHUNK_FID_OFFSET = 0; // offsets inside the blob body (after version and type)
const CHUNK_INDEX_OFFSET = CHUNK_FID_OFFSET + FILE_ID_BYTES;
const CHUNK_LAST_OFFSET = CHUNK_INDEX_OFFSET + 4;
const CHUNK_CT_OFFSET = CHUNK_LAST_OFFSET + 1;
const TAG_BYTES = 16;

export function chunkCount(size) {
  return Math.max(1, Math.ceil(size / FILE_CHUNK_BYTES));
}

function chunkAad(fid, index, last, size) {
  return concat(utf8('sotto/v1/file'), fid, u32(index), u8(last ? 1 : 0), u64(size));
}

function chunkNonce(index) {
  return concat(new Uint8Array(4), u64(index));
}

export function importFileKey(k, usage) {
  return subtle.importKey('raw', k, 'AES-GCM', false, [usage]);
}

/** One FILE_CHUNK blob (§S10). */
export async function sealChunk(key, fid, index, last, size, chunk) {
  const ct = new Uint8Array(await subtle.encrypt(
    { name: 'AES-GCM', iv: chunkNonce(index), additionalData: chunkAad(fid, index, last, size), tagLength: 128 }, key, chunk,
  ));
  return encodeBlob(BlobType.FILE_CHUNK, fid, u32(index), u8(last ? 1 : 0), ct);
}

/** The fields of a FILE_CHUNK body (after version and type), or null. Never throws. */
export function parseChunkBody(body) {
  if (body.length < CHUNK_CT_OFFSET + TAG_BYTES) return null;
  const last = body[CHUNK_LAST_OFFSET];
  if (last > 1) return null;
  const index = new DataView(body.buffer, body.byteOffset + CHUNK_INDEX_OFFSET, 4).getUint32(0);
  return {
    fid: body.slice(CHUNK_FID_OFFSET, CHUNK_INDEX_OFFSET), index, last: last === 1, ciphertext: body.subarray(CHUNK_CT_OFFSET),
  };
}

async function openChunk(key, fid, index, last, size, ciphertext) {
  try {
    return new Uint8Array(await subtle.decrypt(
      { name: 'AES-GCM', iv: chunkNonce(index), additionalData: chunkAad(fid, index, last, size), tagLength: 128 }, key, ciphertext,
    ));
  } catch {
    return null;
  }
}

// --- names and risky types ---------------------------------------------------------------------

// C0/C1 controls, bidi overrides/isolates/marks, path separators and characters Windows forbids.
const UNSAFE_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069/\\:*?"<>|]/g;

/**
 * A file name safe to show and to offer as a download name: no control, bidi or path characters,
 * no leading dots, at most 255 characters; "file" when nothing is left. [A right-to-left override
 * turns "photo‮gpj.exe" into what reads as "photoexe.jpg".]
 */
export function sanitizeFileName(name) {
  let clean = String(name).normalize('NFC').replace(UNSAFE_NAME_CHARS, '_').replace(/^[.\s]+/, '').trim();
  clean = [...clean].slice(0, FILE_NAME_MAX).join('');
  return clean.length > 0 ? clean : 'file';
}

const RISKY_EXTENSIONS = new Set([
  'exe', 'com', 'scr', 'pif', 'msi', 'msp', 'bat', 'cmd', 'ps1', 'psm1', 'vbs', 'vbe', 'js', 'jse', 'mjs', 'wsf', 'wsh',
  'hta', 'cpl', 'dll', 'lnk', 'url', 'reg', 'inf', 'jar', 'apk', 'app', 'dmg', 'pkg', 'deb', 'rpm', 'sh', 'bash',
  'command', 'py', 'pl', 'rb', 'php', 'html', 'htm', 'xhtml', 'svg', 'xml', 'mht', 'mhtml', 'iso', 'img', 'vhd',
  'docm', 'dotm', 'xlsm', 'xltm', 'xlam', 'pptm', 'potm', 'ppsm', 'one', 'chm', 'appx', 'msix', 'scf', 'library-ms',
]);

/** Magic bytes of executables and active content (checked on the received bytes, not the name). */
const RISKY_MAGIC = [
  [0x4d, 0x5a], // MZ: Windows PE
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0xcf, 0xfa, 0xed, 0xfe], // Mach-O 64
  [0xca, 0xfe, 0xba, 0xbe], // Mach-O fat / Java class
  [0x23, 0x21], // #! script
  [0x3c, 0x21, 0x44, 0x4f, 0x43], // <!DOC
  [0x3c, 0x68, 0x74, 0x6d, 0x6c], // <html
  [0x3c, 0x73, 0x76, 0x67], // <svg
  [0x3c, 0x3f, 0x78, 0x6d, 0x6c], // <?xml
  [0x3c, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74], // <script
];

export function isRiskyName(name) {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? false : RISKY_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

export function isRiskyContent(firstBytes) {
  const lower = firstBytes.subarray(0, 16).map((b) => (b >= 0x41 && b <= 0x5a && firstBytes[0] === 0x3c ? b | 0x20 : b));
  return RISKY_MAGIC.some((magic) => magic.every((b, i) => lower[i] === b));
}

// --- sender ------------------------------------------------------------------------------------

/**
 * A source of file bytes: a browser File/Blob (read slice by slice, so memory stays at one chunk)
 * or a Uint8Array.
 */
export async function readSlice(source, start, end) {
  if (source instanceof Uint8Array) return source.subarray(start, end);
  return new Uint8Array(await source.slice(start, end).arrayBuffer());
}

/** The SHA-256 of a source, reading one chunk at a time. */
export async function hashSource(source) {
  const hash = new Sha256Stream();
  const size = source.length ?? source.size;
  for (let offset = 0; offset < size; offset += FILE_CHUNK_BYTES) {
    hash.update(await readSlice(source, offset, Math.min(size, offset + FILE_CHUNK_BYTES)));
  }
  return hash.digest();
}

export const OutgoingState = Object.freeze({
  OFFERED: 'offered', SENDING: 'sending', SENT: 'sent', DECLINED: 'declined', CANCELLED: 'cancelled',
});

export const IncomingState = Object.freeze({
  OFFERED: 'offered', RECEIVING: 'receiving', COMPLETE: 'complete', FAILED: 'failed', DECLINED: 'declined',
  CANCELLED: 'cancelled', TOO_LARGE: 'too-large',
});

// --- receiver ----------------------------------------------------------------------------------

/** Validates a `file_offer` (§S5); null when malformed (then it is dropped). */
export function parseOffer(message) {
  const fid = b64uDecode(message.fid, FILE_ID_BYTES);
  const k = b64uDecode(message.k, FILE_KEY_BYTES);
  const sha256 = b64uDecode(message.sha256, 32);
  const { name, size, type, chunk } = message;
  if (!fid || !k || !sha256) return null;
  if (typeof name !== 'string' || [...name].length > FILE_NAME_MAX) return null;
  if (typeof type !== 'string' || [...type].length > FILE_TYPE_MAX) return null;
  if (!Number.isSafeInteger(size) || size < 0 || chunk !== FILE_CHUNK_BYTES) return null;
  return { fid, k, sha256, name: sanitizeFileName(name), declaredType: type, size };
}

/**
 * One incoming file from one sender. `accept` chunks strictly in order; any defect fails the
 * transfer for good (no Save). Memory: the received chunks, never more than `size` bytes.
 */
export class IncomingFile {
  state = IncomingState.OFFERED;
  received = 0;
  #next = 0;
  #parts = [];
  #hash = new Sha256Stream();
  #key;
  failure = null;

  constructor(from, offer, sizeLimit) {
    this.from = from;
    this.offer = offer;
    this.riskyName = isRiskyName(offer.name);
    this.riskyContent = false;
    if (offer.size > sizeLimit) this.state = IncomingState.TOO_LARGE;
  }

  get risky() {
    return this.riskyName || this.riskyContent;
  }

  async accepted() {
    this.#key = await importFileKey(this.offer.k, 'decrypt');
    this.offer.k.fill(0);
    this.state = IncomingState.RECEIVING;
  }

  #fail(reason) {
    this.state = IncomingState.FAILED;
    this.failure = reason;
    this.#parts = []; // nothing partial is ever offered for saving
  }

  /** One parsed chunk; returns the new state. */
  async acceptChunk({ index, last, ciphertext }) {
    if (this.state !== IncomingState.RECEIVING) return this.state;
    const { size, fid } = this.offer;
    const total = chunkCount(size);
    if (index !== this.#next) {
      this.#fail('out-of-order');
      return this.state;
    }
    if (last !== (index === total - 1)) {
      this.#fail('bad-last-flag');
      return this.state;
    }
    const chunk = await openChunk(this.#key, fid, index, last, size, ciphertext);
    if (chunk === null) {
      this.#fail('auth-failed');
      return this.state;
    }
    const expected = last ? size - index * FILE_CHUNK_BYTES : FILE_CHUNK_BYTES;
    if (chunk.length !== expected) {
      this.#fail('bad-size');
      return this.state;
    }
    if (index === 0) this.riskyContent = isRiskyContent(chunk);
    this.#hash.update(chunk);
    this.#parts.push(chunk);
    this.received += chunk.length;
    this.#next++;
    if (last) {
      const digest = this.#hash.digest();
      let diff = 0;
      for (let i = 0; i < 32; i++) diff |= digest[i] ^ this.offer.sha256[i];
      if (diff !== 0) this.#fail('hash-mismatch');
      else this.state = IncomingState.COMPLETE;
    }
    return this.state;
  }

  cancel(state = IncomingState.CANCELLED) {
    if (this.state === IncomingState.COMPLETE) return;
    this.state = state;
    this.#parts = [];
  }

  /**
   * The bytes for "Save" — only after every check passed (§S10). In a page, wrap them as
   * `new Blob(parts, {type: 'application/octet-stream'})`: never the declared type.
   */
  partsForSave() {
    return this.state === IncomingState.COMPLETE ? [...this.#parts] : null;
  }
}
