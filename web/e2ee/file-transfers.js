// File transfers of one participant (E2EE-SPEC.md §S10): my offers (one per receiver, fresh key
// each, chunks only after that receiver's authenticated accept) and the offers I received
// (accept/decline, chunk checks, Save only after the hash). The wire format and the checks of one
// incoming file are in files.js; this module keeps the transfers and their rules. The participant
// runs every call in its serial queue and hands in authenticated messages only.

import { b64uDecode, b64uEncode, toHex } from './bytes.js';
import {
  chunkCount, FILE_CHUNK_BYTES, FILE_KEY_BYTES, hashSource, importFileKey, IncomingFile, IncomingState, OutgoingState,
  parseChunkBody, parseOffer, readSlice, sanitizeFileName, sealChunk,
} from './files.js';

const ID_BYTES = 16;
const random = (length) => crypto.getRandomValues(new Uint8Array(length));

export class FileTransfers {
  #outgoing = new Map();
  #incoming = new Map();
  #sendMessage;
  #sendBlob;
  #drained;
  #isEligible;
  #canSend;
  #emit;
  #track;
  sizeLimit;

  /**
   * @param {object} deps
   * @param {(id: string, message: object) => Promise<boolean>} deps.sendMessage over the pairwise channel
   * @param {(id: string, bytes: Uint8Array) => void} deps.sendBlob a FILE_CHUNK blob through the relay
   * @param {(id: string) => Promise<void>} [deps.drained] back-pressure of the relay, if it has any
   * @param {(id: string) => boolean} deps.isEligible ESTABLISHED and admitted (§S6 lobby)
   * @param {(id: string) => boolean} deps.canSend the channel is ESTABLISHED (lobby or not)
   * @param {(type: string, detail: object) => void} deps.emit
   * @param {(promise: Promise) => void} deps.track a transfer running beside the serial queue
   * @param {number} deps.sizeLimit bytes
   */
  constructor({ sendMessage, sendBlob, drained, isEligible, canSend, emit, track, sizeLimit }) {
    this.#sendMessage = sendMessage;
    this.#sendBlob = sendBlob;
    this.#drained = drained;
    this.#isEligible = isEligible;
    this.#canSend = canSend;
    this.#emit = emit;
    this.#track = track;
    this.sizeLimit = sizeLimit;
  }

  #outgoingByFid(fid) {
    const fidBytes = b64uDecode(fid, ID_BYTES);
    return fidBytes ? this.#outgoing.get(toHex(fidBytes)) : undefined;
  }

  /**
   * Offers a file to each of `to` (ids) with a fresh key per receiver. Nothing but the offer is
   * sent until that receiver accepts. The caller checked the size against the limit.
   * @returns {Promise<string[]>} the fids (b64u), one per receiver reached
   */
  async offer(to, { name, type = 'application/octet-stream', data }) {
    const size = data.length ?? data.size;
    const sha256 = await hashSource(data);
    const cleanName = sanitizeFileName(name);
    const fids = [];
    for (const id of to) {
      if (!this.#isEligible(id)) continue;
      const fid = random(ID_BYTES);
      const k = random(FILE_KEY_BYTES);
      const outgoing = { fid, to: id, key: await importFileKey(k, 'encrypt'), size, data, state: OutgoingState.OFFERED, chunksSent: 0 };
      this.#outgoing.set(toHex(fid), outgoing);
      await this.#sendMessage(id, {
        t: 'file_offer', fid: b64uEncode(fid), name: cleanName, size, type: String(type).slice(0, 100),
        sha256: b64uEncode(sha256), chunk: FILE_CHUNK_BYTES, k: b64uEncode(k),
      });
      k.fill(0);
      fids.push(b64uEncode(fid));
    }
    return fids;
  }

  /** The state of an outgoing file (tests, progress UI). */
  outgoingState(fid) {
    const outgoing = this.#outgoingByFid(fid);
    return outgoing ? { state: outgoing.state, chunksSent: outgoing.chunksSent, to: outgoing.to } : null;
  }

  async cancel(fid) {
    const outgoing = this.#outgoingByFid(fid);
    if (!outgoing || outgoing.state === OutgoingState.SENT) return;
    outgoing.state = OutgoingState.CANCELLED;
    if (this.#canSend(outgoing.to)) await this.#sendMessage(outgoing.to, { t: 'file_cancel', fid });
  }

  /** `file_accept {fid}` from `from`, authenticated by its channel. */
  accepted(from, { fid }) {
    const outgoing = this.#outgoingByFid(fid);
    // Only the receiver it was offered to, over its own authenticated channel, and only once.
    if (!outgoing || outgoing.to !== from || outgoing.state !== OutgoingState.OFFERED || !this.#isEligible(from)) return;
    outgoing.state = OutgoingState.SENDING;
    // The transfer runs beside the queue so messages keep flowing.
    this.#track(this.#sendChunks(outgoing).catch((error) => {
      outgoing.state = OutgoingState.CANCELLED;
      this.#emit('error', { error });
    }));
  }

  /** One chunk in memory at a time (read, seal, hand to the relay). */
  async #sendChunks(outgoing) {
    const total = chunkCount(outgoing.size);
    for (let i = 0; i < total; i++) {
      if (outgoing.state !== OutgoingState.SENDING) return;
      const start = i * FILE_CHUNK_BYTES;
      const chunk = await readSlice(outgoing.data, start, Math.min(outgoing.size, start + FILE_CHUNK_BYTES));
      const blob = await sealChunk(outgoing.key, outgoing.fid, i, i === total - 1, outgoing.size, chunk);
      if (outgoing.state !== OutgoingState.SENDING) return;
      this.#sendBlob(outgoing.to, blob);
      outgoing.chunksSent++;
      await this.#drained?.(outgoing.to); // back-pressure, when the transport has it
    }
    outgoing.state = OutgoingState.SENT;
    this.#emit('file-sent', { to: outgoing.to, fid: b64uEncode(outgoing.fid) });
  }

  /** `file_decline {fid}`: the receiver said no — nothing is ever sent. */
  declined(from, { fid }) {
    const outgoing = this.#outgoingByFid(fid);
    if (outgoing && outgoing.to === from && outgoing.state === OutgoingState.OFFERED) {
      outgoing.state = OutgoingState.DECLINED;
      this.#emit('file-declined', { to: from, fid });
    }
  }

  /** `file_cancel {fid}`: the sender withdrew its offer or stopped sending. */
  cancelled(from, { fid }) {
    const incoming = this.#incomingFile(from, fid);
    if (!incoming) return;
    incoming.cancel();
    this.#emit('file-cancelled', { from, fid });
  }

  /** `file_offer` from an eligible peer: shown, never fetched until the user accepts. */
  offered(from, message) {
    if (!this.#isEligible(from)) return;
    const offer = parseOffer(message);
    if (!offer) return;
    const key = `${from}:${toHex(offer.fid)}`;
    if (this.#incoming.has(key)) return;
    const incoming = new IncomingFile(from, offer, this.sizeLimit);
    this.#incoming.set(key, incoming);
    this.#emit('file-offer', {
      from, fid: message.fid, name: offer.name, size: offer.size, tooLarge: incoming.state === IncomingState.TOO_LARGE, risky: incoming.risky,
    });
  }

  #incomingFile(from, fid) {
    const fidBytes = b64uDecode(fid, ID_BYTES);
    return fidBytes ? this.#incoming.get(`${from}:${toHex(fidBytes)}`) : undefined;
  }

  /** The user clicked "Accept" — only now may the sender send chunks. */
  async accept(from, fid) {
    const incoming = this.#incomingFile(from, fid);
    if (!incoming || incoming.state !== IncomingState.OFFERED || !this.#isEligible(from)) return false;
    await incoming.accepted();
    return this.#sendMessage(from, { t: 'file_accept', fid });
  }

  async decline(from, fid) {
    const incoming = this.#incomingFile(from, fid);
    if (!incoming || incoming.state !== IncomingState.OFFERED) return;
    incoming.cancel(IncomingState.DECLINED);
    if (this.#canSend(from)) await this.#sendMessage(from, { t: 'file_decline', fid });
  }

  /** {state, received, size, risky, name, failure} of an incoming file. */
  incomingState(from, fid) {
    const incoming = this.#incomingFile(from, fid);
    if (!incoming) return null;
    return {
      state: incoming.state, received: incoming.received, size: incoming.offer.size, risky: incoming.risky,
      name: incoming.offer.name, failure: incoming.failure,
    };
  }

  /** The bytes for "Save": only after every check passed (§S10), else null. */
  partsForSave(from, fid) {
    return this.#incomingFile(from, fid)?.partsForSave() ?? null;
  }

  /**
   * A Blob for the "Save" link (URL.createObjectURL + <a download=name>): always
   * application/octet-stream, never the type the sender declared (§S10), so the browser neither
   * renders nor runs it. Null before every check passed.
   */
  blobForSave(from, fid) {
    const parts = this.partsForSave(from, fid);
    return parts ? new Blob(parts, { type: 'application/octet-stream' }) : null;
  }

  /**
   * One FILE_CHUNK blob body from `from` (the relay's word for the sender: a chunk is checked
   * against that sender's offer and key). False when it belongs to no transfer (then ignored).
   */
  async chunk(from, body) {
    const chunk = parseChunkBody(body);
    if (!chunk) return false;
    const incoming = this.#incoming.get(`${from}:${toHex(chunk.fid)}`);
    if (!incoming) return false;
    const before = incoming.state;
    const state = await incoming.acceptChunk(chunk);
    const fid = b64uEncode(chunk.fid);
    if (state === IncomingState.COMPLETE) this.#emit('file-complete', { from, fid, risky: incoming.risky });
    else if (state === IncomingState.FAILED && before !== IncomingState.FAILED) {
      this.#emit('file-failed', { from, fid, reason: incoming.failure });
    }
    return true;
  }

  /** The peer departed: its transfers stop both ways. */
  peerDeparted(id) {
    for (const incoming of this.#incoming.values()) if (incoming.from === id) incoming.cancel();
    for (const outgoing of this.#outgoing.values()) if (outgoing.to === id) outgoing.state = OutgoingState.CANCELLED;
  }
}
