// All frame keys of one participant, held in the frame Worker (E2EE-SPEC.md §S7: "one worker
// holds all frame keys"). It hands out exactly one SenderKey per KID — and with it one counter —
// however many transforms (simulcast layers, re-created transforms, screen share) ask for it.
//
// Per-sender keys only (§S6): my own current key (setSenderKey) and, per peer slot, the ≤ 3 newest
// epochs received over the pairwise channels (addReceiverKey). There is no room-wide key: every key
// here came from a random source in one participant's browser and travelled only inside pairwise
// channels, so no frame is ever sent or accepted under a key the server could derive.

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
  /** kid → {entry, key: Promise<SenderKey>} */
  #senderKeys = new Map();
  /** kid → {entry, key: Promise<ReceiverKey>} */
  #receiverKeys = new Map();
  /** My current {epoch, baseKey} (§S6); null before the first key. */
  #ownKey = null;
  /** slot → [{epoch, baseKey, firstGoodAt}] oldest first, ≤ MAX_EPOCHS (§S6 receivers). */
  #peerKeys = new Map();
  #now;

  /** @param {{now?: () => number}} options clock for the 2 s epoch retention (tests inject one) */
  constructor({ now = () => Date.now() } = {}) {
    this.#now = now;
  }

  /** §S6: 2 s after the first good frame under epoch e, older epochs of that sender go. */
  static EPOCH_RETENTION_MS = 2_000;

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
   * The SenderKey for one of my streams under my current epoch, or null when there is no key or
   * no slot yet (the frame is then dropped). The cache stores the promise synchronously, so two
   * frames arriving while the key is still being imported get the very same object and counter.
   * @returns {Promise<SenderKey>|null}
   */
  senderKey(stream) {
    // §S6: only my own current key.
    const entry = this.#ownKey;
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
    // §S6: the keys received from the participant that owns parts.slot — no other sender's key,
    // no trial decryption.
    const entries = this.#peerKeys.get(parts.slot) ?? [];
    const entry = entries.find((candidate) => candidate.epoch % 256 === parts.epochByte);
    if (!entry) return null;
    return this.#cached(this.#receiverKeys, kid, entry, ReceiverKey);
  }

  // --- per-sender keys (§S6) ------------------------------------------------------------------

  static #checkKey(epoch, baseKey) {
    if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff) throw new KeyringError(`bad epoch ${epoch}`);
    if (!(baseKey instanceof Uint8Array) || baseKey.length !== MEDIA_KEY_BYTES) {
      throw new KeyringError(`the media key must be ${MEDIA_KEY_BYTES} bytes`);
    }
  }

  /**
   * Activates my own sender key (§S6 activation: `cur := pend`, the old key is deleted). Epochs
   * only rise. Re-installing the same epoch and key is a no-op that keeps the counters.
   */
  setSenderKey(epoch, baseKey) {
    FrameKeyring.#checkKey(epoch, baseKey);
    const current = this.#ownKey;
    if (current && epoch === current.epoch && equalConstantTime(current.baseKey, baseKey)) return;
    if (current && epoch <= current.epoch) throw new KeyringError(`own epoch ${epoch} is not newer than ${current.epoch}`);
    current?.baseKey.fill(0);
    this.#ownKey = { epoch, baseKey: baseKey.slice() };
    this.#senderKeys.clear(); // the old key's SenderKey objects (and counters) go with it
  }

  /** Whether my key of `epoch` has encrypted at least one frame (§S6 "used"). */
  async senderKeyUsed(epoch) {
    if (!this.#ownKey || this.#ownKey.epoch !== epoch) return false;
    for (const cached of this.#senderKeys.values()) {
      if (cached.entry === this.#ownKey && (await cached.key).nextCounter > 0n) return true;
    }
    return false;
  }

  /**
   * Installs a peer's key decrypt-only (§S6 receivers). The caller (participant.js) has already
   * checked that the epoch is newer than every earlier one from that peer and that `slot` is the
   * peer's own. Keeps ≤ 3 epochs and never two with the same epoch byte.
   */
  addReceiverKey(slot, epoch, baseKey) {
    FrameKeyring.#checkKey(epoch, baseKey);
    if (!Number.isInteger(slot) || slot < 1 || slot > 0xffff) throw new KeyringError(`bad slot ${slot}`);
    if (slot === this.#ownSlot) throw new KeyringError('a peer key for my own slot');
    let entries = (this.#peerKeys.get(slot) ?? []).filter((entry) => entry.epoch % 256 !== epoch % 256);
    entries.push({ epoch, baseKey: baseKey.slice(), firstGoodAt: null });
    entries.sort((a, b) => a.epoch - b.epoch);
    if (entries.length > MAX_EPOCHS) entries = entries.slice(-MAX_EPOCHS);
    this.#peerKeys.set(slot, entries);
    this.#forgetReceiverKeysOf(slot, entries);
  }

  /** The peer left: all its keys go (§S6). */
  removeReceiverSlot(slot) {
    this.#peerKeys.delete(slot);
    this.#forgetReceiverKeysOf(slot, []);
  }

  /** Epochs held for a slot (tests and the security panel). */
  receiverEpochs(slot) {
    return (this.#peerKeys.get(slot) ?? []).map((entry) => entry.epoch);
  }

  /**
   * A frame from `slot` under `epochByte` decrypted: the first one starts the 2 s clock after
   * which that sender's older epochs are deleted (§S6) — late frames of the old key still play
   * for 2 s, then the old key is gone.
   */
  frameDecrypted(slot, epochByte) {
    const entries = this.#peerKeys.get(slot);
    if (!entries) return;
    const now = this.#now();
    const entry = entries.find((candidate) => candidate.epoch % 256 === epochByte);
    if (entry && entry.firstGoodAt === null) entry.firstGoodAt = now;
    const newestGood = entries.filter((e) => e.firstGoodAt !== null && now - e.firstGoodAt >= FrameKeyring.EPOCH_RETENTION_MS).at(-1);
    if (newestGood) {
      const kept = entries.filter((e) => e.epoch >= newestGood.epoch);
      if (kept.length !== entries.length) {
        this.#peerKeys.set(slot, kept);
        this.#forgetReceiverKeysOf(slot, kept);
      }
    }
  }

  #forgetReceiverKeysOf(slot, keptEntries) {
    for (const [kid, cached] of this.#receiverKeys) {
      if (Number(kid >> 16n) === slot && !keptEntries.includes(cached.entry)) this.#receiverKeys.delete(kid);
    }
  }

  #cached(cache, kid, entry, KeyClass) {
    const cached = cache.get(kid);
    if (cached && cached.entry === entry) return cached.key;
    const key = KeyClass.create(entry.baseKey, kid);
    cache.set(kid, { entry, key });
    return key;
  }
}
