// All frame keys of one participant, held in the frame Worker (E2EE-SPEC.md §S7: "one worker
// holds all frame keys"). It hands out exactly one SenderKey per KID — and with it one counter —
// however many transforms (simulcast layers, re-created transforms, screen share) ask for it.
//
// Today the only key is the interim room media key (issue 4, item 3): one base key for everyone,
// from which each KID gets its own sframe_key/salt (RFC 9605 §4.4.2). Per-sender keys (§S6) plug
// in at the two lookups marked EXTENSION POINT: the send side will use the own current epoch,
// the receive side the (slot, epoch) entries received over the pairwise channels.

import { equalConstantTime } from './bytes.js';
import { makeKid } from './frame-policy.js';
import { ReceiverKey, SenderKey } from './sframe.js';

export const MEDIA_KEY_BYTES = 16;
/** §S6 / §S14: at most 3 epochs are kept for receiving. */
export const MAX_EPOCHS = 3;

/** A programming or protocol error in key management (not a frame problem). */
export class KeyringError extends Error {
  constructor(message) {
    super(message);
    this.name = 'KeyringError';
  }
}

export class FrameKeyring {
  /** @type {number|null} own slot from the server's welcome (§S2) */
  #ownSlot = null;
  /** Interim room keys, oldest first: {epoch, baseKey}. */
  #roomKeys = [];
  /** kid → {entry, key: Promise<SenderKey>} */
  #senderKeys = new Map();
  /** kid → {entry, key: Promise<ReceiverKey>} */
  #receiverKeys = new Map();

  get ownSlot() {
    return this.#ownSlot;
  }

  /** The slot never changes for a participant (§S2); a second, different value is refused. */
  setOwnSlot(slot) {
    if (!Number.isInteger(slot) || slot < 1 || slot > 0xffff) throw new KeyringError(`bad slot ${slot}`);
    if (this.#ownSlot !== null && this.#ownSlot !== slot) throw new KeyringError('own slot already set');
    this.#ownSlot = slot;
  }

  /**
   * Installs the interim room media key under `epoch`. Epochs only rise and an epoch never gets a
   * second key (§S6). Installing the same epoch and key again is a no-op that keeps the existing
   * SenderKey objects: replacing them would restart their counters at 0 under the same key and
   * repeat nonces.
   */
  setInterimKey(epoch, baseKey) {
    if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff) throw new KeyringError(`bad epoch ${epoch}`);
    if (!(baseKey instanceof Uint8Array) || baseKey.length !== MEDIA_KEY_BYTES) {
      throw new KeyringError(`the media key must be ${MEDIA_KEY_BYTES} bytes`);
    }
    const newest = this.#roomKeys.at(-1);
    if (newest && epoch === newest.epoch) {
      if (equalConstantTime(newest.baseKey, baseKey)) return;
      throw new KeyringError(`epoch ${epoch} is already used by another key`);
    }
    if (newest && epoch < newest.epoch) throw new KeyringError(`epoch ${epoch} is older than ${newest.epoch}`);

    // The KID carries only epoch mod 256: never hold two keys that share that byte.
    this.#roomKeys = this.#roomKeys.filter((entry) => entry.epoch % 256 !== epoch % 256);
    this.#roomKeys.push({ epoch, baseKey: baseKey.slice() });
    if (this.#roomKeys.length > MAX_EPOCHS) this.#roomKeys.shift();
    this.#forgetKeysOutside(this.#senderKeys, [this.#roomKeys.at(-1)]);
    this.#forgetKeysOutside(this.#receiverKeys, this.#roomKeys);
  }

  #forgetKeysOutside(cache, entries) {
    for (const [kid, cached] of cache) {
      if (!entries.includes(cached.entry)) cache.delete(kid);
    }
  }

  /**
   * The SenderKey for one of my streams under my current epoch, or null when there is no key or
   * no slot yet (the frame is then dropped). The cache stores the promise synchronously, so two
   * frames arriving while the key is still being imported get the very same object and counter.
   * @returns {Promise<SenderKey>|null}
   */
  senderKey(stream) {
    // EXTENSION POINT (§S6): the own sender key's current epoch replaces the room key here.
    const entry = this.#roomKeys.at(-1);
    if (!entry || this.#ownSlot === null) return null;
    return this.#cached(this.#senderKeys, makeKid(this.#ownSlot, stream, entry.epoch), entry, SenderKey);
  }

  /**
   * The ReceiverKey for a received KID, or null when no key with that epoch byte is held
   * ("unknown KID": dropped, no trial decryption with other keys).
   * @param {bigint} kid
   * @param {{slot:number, stream:number, epochByte:number}} parts from splitKid, already checked
   *   against the track's owner and stream
   * @returns {Promise<ReceiverKey>|null}
   */
  receiverKey(kid, parts) {
    // EXTENSION POINT (§S6): look up the keys received from the participant in parts.slot.
    const entry = this.#roomKeys.find((candidate) => candidate.epoch % 256 === parts.epochByte);
    if (!entry) return null;
    return this.#cached(this.#receiverKeys, kid, entry, ReceiverKey);
  }

  #cached(cache, kid, entry, KeyClass) {
    const cached = cache.get(kid);
    if (cached && cached.entry === entry) return cached.key;
    const key = KeyClass.create(entry.baseKey, kid);
    cache.set(kid, { entry, key });
    return key;
  }
}
