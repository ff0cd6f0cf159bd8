// E2EE blobs (E2EE-SPEC.md §S4.2): the opaque bytes the server relays as
// {"type":"e2ee","to":ID,"blob":b64u}. Every blob starts with the version and a type byte:
//
//    0        1        2
//   +--------+--------+--------------------------------------------+
//   | 0x01   | type   | body                                       |
//   +--------+--------+--------------------------------------------+
//
//   COMMIT     0x01  c (32)                                  34 bytes
//   HS1        0x02  sid (8) ‖ msg1 (96)                    106 bytes
//   HS2        0x03  sid (8) ‖ msg2 (96)                    106 bytes
//   TRANSPORT  0x04  sid (8) ‖ ct (256·k + 16, k = 1..64)   282..16,410 bytes
//   RESYNC     0x05  sid (8)                                 10 bytes
//   FILE_CHUNK 0x10  fid (16) ‖ u32 i ‖ u8 last ‖ ct         ≤ 65,600 bytes (§S10)
//
// parseBlob never throws: bad input gives null (or {unknownVersion: true}).

export const BLOB_VERSION = 0x01;

export const BlobType = Object.freeze({
  COMMIT: 0x01,
  HS1: 0x02,
  HS2: 0x03,
  TRANSPORT: 0x04,
  RESYNC: 0x05,
  FILE_CHUNK: 0x10,
});

export const SID_BYTES = 8;
export const COMMIT_BYTES = 32;
export const HANDSHAKE_MESSAGE_BYTES = 96; // 32 e + 48 encrypted s + 16 empty payload tag (§S4.4)
export const TRANSPORT_PADDING = 256; // §S4.7
export const TRANSPORT_MAX_PLAINTEXT = 16 * 1024;
export const AEAD_TAG_BYTES = 16;
export const FILE_ID_BYTES = 16;
export const FILE_CHUNK_MAX_BLOB = 65_600;

const VERSION_OFFSET = 0;
const TYPE_OFFSET = 1;
const BODY_OFFSET = 2;
const SID_END = BODY_OFFSET + SID_BYTES;

const FIXED_SIZES = new Map([
  [BlobType.COMMIT, BODY_OFFSET + COMMIT_BYTES],
  [BlobType.HS1, SID_END + HANDSHAKE_MESSAGE_BYTES],
  [BlobType.HS2, SID_END + HANDSHAKE_MESSAGE_BYTES],
  [BlobType.RESYNC, SID_END],
]);

/** The 2-byte header of a blob: version ‖ type (also the start of TRANSPORT's associated data). */
export function blobHeader(type) {
  return Uint8Array.of(BLOB_VERSION, type);
}

/** version ‖ type ‖ body parts. */
export function encodeBlob(type, ...bodyParts) {
  let length = BODY_OFFSET;
  for (const part of bodyParts) length += part.length;
  const out = new Uint8Array(length);
  out.set(blobHeader(type), 0);
  let offset = BODY_OFFSET;
  for (const part of bodyParts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Splits a blob into its fields after checking the size rules of §S4.2.
 * @returns {null | {unknownVersion: true} | {type, c?, sid?, message?, ciphertext?, raw}}
 */
export function parseBlob(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length < BODY_OFFSET) return null;
  if (bytes[VERSION_OFFSET] !== BLOB_VERSION) return { unknownVersion: true };
  const type = bytes[TYPE_OFFSET];
  const fixed = FIXED_SIZES.get(type);
  if (fixed !== undefined && bytes.length !== fixed) return null;
  switch (type) {
    case BlobType.COMMIT:
      return { type, c: bytes.slice(BODY_OFFSET), raw: bytes };
    case BlobType.HS1:
    case BlobType.HS2:
      return { type, sid: bytes.slice(BODY_OFFSET, SID_END), message: bytes.slice(SID_END), raw: bytes };
    case BlobType.RESYNC:
      return { type, sid: bytes.slice(BODY_OFFSET, SID_END), raw: bytes };
    case BlobType.TRANSPORT: {
      const ctLength = bytes.length - SID_END - AEAD_TAG_BYTES;
      if (ctLength < TRANSPORT_PADDING || ctLength > TRANSPORT_MAX_PLAINTEXT || ctLength % TRANSPORT_PADDING !== 0) return null;
      return { type, sid: bytes.slice(BODY_OFFSET, SID_END), ciphertext: bytes.slice(SID_END), raw: bytes };
    }
    case BlobType.FILE_CHUNK:
      if (bytes.length > FILE_CHUNK_MAX_BLOB) return null;
      return { type, body: bytes.subarray(BODY_OFFSET), raw: bytes };
    default:
      return null;
  }
}
