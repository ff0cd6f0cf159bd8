// The pure byte rules of the pairwise channel (E2EE-SPEC.md §S4): roles, commitment, prologue,
// SAS bytes, and TRANSPORT sealing with padding and continuous rekey. No state, no timers: the
// state machine in channel.js calls these, and the cross-implementation vectors pin them.

import { BlobType, blobHeader, encodeBlob, SID_BYTES, TRANSPORT_MAX_PLAINTEXT, TRANSPORT_PADDING } from './blob.js';
import { concat, hkdf, lp16, lp8, u16, utf8 } from './bytes.js';
import { sha256 } from './noise.js';

/** §S2: ids are [A-Za-z0-9_-]{1,64}. */
export const PARTICIPANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Bytewise comparison of two byte strings (ids, secrets): negative, zero or positive. */
export function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export const Role = Object.freeze({
  /** Committer, Noise responder: the bytewise-smaller id (§S4.1). */
  COMMITTER: 'C',
  /** Noise initiator: the other one. */
  INITIATOR: 'I',
});

/** My role towards a peer, or null when the ids are equal (→ FAILED(TAMPER), §S4.1). */
export function roleFor(selfId, peerId) {
  const order = compareBytes(utf8(selfId), utf8(peerId));
  if (order === 0) return null;
  return order < 0 ? Role.COMMITTER : Role.INITIATOR;
}

/** c = SHA-256("sotto/v1/commit" ‖ lp16(ROOM) ‖ lp8(ID_C) ‖ lp8(ID_I) ‖ e_C.pub ‖ s_C.pub) (§S4.3). */
export function commitment(room, idC, idI, ephemeralPublic, staticPublic) {
  return sha256(utf8('sotto/v1/commit'), lp16(room), lp8(utf8(idC)), lp8(utf8(idI)), ephemeralPublic, staticPublic);
}

/** sid = c[0..8) (§S4.3). */
export function sidOf(c) {
  return c.slice(0, SID_BYTES);
}

/** Prologue = "sotto/v1/pair" ‖ lp16(ROOM) ‖ lp8(ID_C) ‖ lp8(ID_I) ‖ c (§S4.4). */
export function prologue(room, idC, idI, c) {
  return concat(utf8('sotto/v1/pair'), lp16(room), lp8(utf8(idC)), lp8(utf8(idI)), c);
}

/** sas = HKDF(h, "sotto/v1/sas", 6) (§S4.6). */
export function sasBytes(handshakeHash) {
  return hkdf(handshakeHash, utf8('sotto/v1/sas'), 6);
}

/** The associated data of a TRANSPORT ciphertext: 0x01 ‖ 0x04 ‖ sid (§S4.7). */
export function transportAd(sid) {
  return concat(blobHeader(BlobType.TRANSPORT), sid);
}

/** The largest JSON text that fits: 16 KiB of plaintext minus the u16 length. */
export const TRANSPORT_MAX_JSON = TRANSPORT_MAX_PLAINTEXT - 2;

/** pt = u16(len J) ‖ J ‖ zero padding to a multiple of 256 bytes (§S4.7). */
export function padTransport(json) {
  const body = utf8(json);
  if (body.length > TRANSPORT_MAX_JSON) throw new RangeError(`message of ${body.length} bytes exceeds ${TRANSPORT_MAX_JSON}`);
  const padded = Math.ceil((body.length + 2) / TRANSPORT_PADDING) * TRANSPORT_PADDING;
  const pt = new Uint8Array(padded);
  pt.set(u16(body.length), 0);
  pt.set(body, 2);
  return pt;
}

/** The JSON text of a padded plaintext, or null on a bad length or non-zero padding (§S4.7). */
export function unpadTransport(pt) {
  if (pt.length < 2 || pt.length % TRANSPORT_PADDING !== 0) return null;
  const length = (pt[0] << 8) | pt[1];
  if (2 + length > pt.length) return null;
  let padding = 0;
  for (let i = 2 + length; i < pt.length; i++) padding |= pt[i];
  if (padding !== 0) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(pt.subarray(2, 2 + length));
  } catch {
    return null;
  }
}

/**
 * One TRANSPORT blob: ct = cs.EncryptWithAd(0x01 ‖ 0x04 ‖ sid, pt), then cs.Rekey() (§S4.7).
 * The caller serializes calls per CipherState.
 */
export async function sealTransport(cipher, sid, json) {
  const ct = await cipher.encryptWithAd(transportAd(sid), padTransport(json));
  await cipher.rekey();
  return encodeBlob(BlobType.TRANSPORT, sid, ct);
}

/**
 * The JSON text of a TRANSPORT ciphertext, or null when it fails (tag, length or padding); the
 * caller then marks the channel BROKEN. Rekeys after every message received.
 */
export async function openTransport(cipher, sid, ciphertext) {
  let pt;
  try {
    pt = await cipher.decryptWithAd(transportAd(sid), ciphertext);
  } catch {
    return null;
  }
  await cipher.rekey();
  return unpadTransport(pt);
}
