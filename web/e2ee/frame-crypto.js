// Page-side API of frame encryption (E2EE-SPEC.md §S7, DESIGN.md §1.2). The keys live only in the
// frame Worker; the page (through participant.js) hands it the per-sender keys of §S6 and attaches
// one RTCRtpScriptTransform per sender and receiver. There is no fallback: a browser without RTCRtpScriptTransform cannot join.

import { FrameMessage, TransformSide } from './frame-messages.js';
import { streamMediaKind } from './frame-policy.js';

/**
 * True when this browser can encrypt frames. False → show the blocking "this browser cannot
 * encrypt calls" page (§S13); never join without encryption.
 */
export function canEncryptFrames() {
  return typeof globalThis.RTCRtpScriptTransform === 'function';
}

/** The frame Worker script: a same-origin file, since CSP forbids blob: workers (DESIGN.md §9). */
export const FRAME_WORKER_URL = new URL('./frame-worker.js', import.meta.url);

export class FrameCrypto {
  #worker;
  #nextId = 1;
  #pending = new Map();

  /**
   * @param {Worker|MessagePort} worker anything with postMessage and 'message' events; in the page
   *   the frame Worker from start(), in node tests a MessagePort to a FrameWorkerCore
   */
  constructor(worker) {
    this.#worker = worker;
    worker.addEventListener('message', (event) => this.#onReply(event.data));
    worker.start?.(); // a MessagePort delivers only after start()
  }

  /** Starts the frame Worker. Throws when the browser cannot encrypt frames. */
  static start(url = FRAME_WORKER_URL) {
    if (!canEncryptFrames()) throw new Error('this browser cannot encrypt frames (no RTCRtpScriptTransform)');
    return new FrameCrypto(new Worker(url, { type: 'module', name: 'sotto-frames' }));
  }

  #request(kind, fields = {}, transfer = []) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ kind, id, ...fields }, transfer);
    });
  }

  #onReply(message) {
    if (message?.kind !== FrameMessage.REPLY) return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.error) pending.reject(new Error(message.error));
    else pending.resolve(message);
  }

  /** Own slot from the server's welcome (§S2); needed before any frame can be sent. */
  async setOwnSlot(slot) {
    await this.#request(FrameMessage.SET_OWN_SLOT, { slot });
  }

  /** Asks the video encoders for a key frame (after a sender key activation, §S6). Resolves to how many were asked. */
  async requestKeyFrame() {
    return (await this.#request(FrameMessage.REQUEST_KEY_FRAME)).requested;
  }

  /** {encrypted, decrypted, sendDropped: {reason: n}, receiveDropped: {reason: n}} */
  async getStats() {
    return (await this.#request(FrameMessage.GET_STATS)).stats;
  }

  // --- per-sender keys (§S6): the `frames` interface participant.js drives ---------------------

  /** Activates my own sender key; the page's copy is zeroed (keys live in the worker). */
  async setSenderKey(epoch, key) {
    const copy = key.slice();
    await this.#request(FrameMessage.SET_SENDER_KEY, { epoch, key: copy }, [copy.buffer]);
  }

  /** Whether my key of `epoch` has encrypted a frame (§S6: a used key never goes to a newcomer). */
  async senderKeyUsed(epoch) {
    return (await this.#request(FrameMessage.SENDER_KEY_USED, { epoch })).used;
  }

  /** A peer's key, decrypt-only. */
  async addReceiverKey(slot, epoch, key) {
    const copy = key.slice();
    await this.#request(FrameMessage.ADD_RECEIVER_KEY, { slot, epoch, key: copy }, [copy.buffer]);
  }

  async removeReceiverSlot(slot) {
    await this.#request(FrameMessage.REMOVE_RECEIVER_SLOT, { slot });
  }

  /**
   * Encrypts everything `sender` sends. Call it right after addTransceiver and BEFORE
   * replaceTrack (§S7): frames pass in the clear until the transform is set (DESIGN.md §9).
   * @param {RTCRtpSender} sender
   * @param {{stream: number, codecs?: Record<string,string>}} options stream from frame-policy
   *   Stream; codecs maps negotiated payload types to MIME types, used when the browser's frame
   *   metadata lacks mimeType
   */
  attachSenderTransform(sender, { stream, codecs = {} }) {
    const kind = streamMediaKind(stream);
    if (kind === null) throw new RangeError(`bad stream ${stream}`);
    // A sender that already has a track may have sent frames in the clear: refuse, loudly.
    if (sender.track) throw new Error('attach the frame transform before the track (§S7: addTransceiver → transform → replaceTrack)');
    sender.transform = new RTCRtpScriptTransform(this.#worker, { side: TransformSide.SEND, kind, stream, codecs });
  }

  /**
   * Decrypts everything `receiver` gets; frames whose KID is not the signalled owner's slot and
   * stream are dropped. Call it from `ontrack` (it fires inside setRemoteDescription, before media
   * flows). Attach a new transform when a transceiver is reused for another owner or stream.
   * @param {RTCRtpReceiver} receiver
   * @param {{stream: number, ownerSlot: number, codecs?: Record<string,string>}} options
   */
  attachReceiverTransform(receiver, { stream, ownerSlot, codecs = {} }) {
    const kind = streamMediaKind(stream);
    if (kind === null || receiver.track.kind !== kind) throw new RangeError(`stream ${stream} does not fit a ${receiver.track.kind} track`);
    receiver.transform = new RTCRtpScriptTransform(this.#worker, { side: TransformSide.RECEIVE, kind, stream, ownerSlot, codecs });
  }

  terminate() {
    this.#worker.terminate?.();
    for (const { reject } of this.#pending.values()) reject(new Error('frame worker terminated'));
    this.#pending.clear();
  }
}
