// The frame Worker's logic, free of Worker and WebRTC globals so node tests can drive it with
// fake frames ({data: ArrayBuffer, type, getMetadata()}) through real streams. frame-worker.js
// only wires it to `self`.
//
// Send:    out = prefix ‖ header ‖ AES-GCM(key, salt ⊕ ctr, aad = header ‖ prefix, rest)   (§S7)
// Receive: codec → prefix → header → KID vs. track → key → replay window → decrypt → out
// Any failure drops the frame and counts the reason; nothing is ever forwarded unencrypted.

import { FrameMessage, TransformSide } from './frame-messages.js';
import {
  checkKidForTrack, clearPrefix, codecMediaKind, codecOfFrame, DropReason, splitKid, streamMediaKind,
} from './frame-policy.js';
import { FrameKeyring } from './keyring.js';
import { parseHeader, TAG_BYTES } from './sframe.js';

/** Frames encrypted / decrypted and dropped by reason, per side (stats panel and tests). */
export class FrameCounters {
  #sides = {
    [TransformSide.SEND]: { passed: 0, dropped: {} },
    [TransformSide.RECEIVE]: { passed: 0, dropped: {} },
  };

  passed(side) {
    this.#sides[side].passed++;
  }

  dropped(side, reason) {
    const dropped = this.#sides[side].dropped;
    dropped[reason] = (dropped[reason] ?? 0) + 1;
  }

  /** A plain, structured-cloneable copy: {encrypted, decrypted, sendDropped, receiveDropped}. */
  snapshot() {
    const send = this.#sides[TransformSide.SEND];
    const receive = this.#sides[TransformSide.RECEIVE];
    return {
      encrypted: send.passed,
      decrypted: receive.passed,
      sendDropped: { ...send.dropped },
      receiveDropped: { ...receive.dropped },
    };
  }
}

/**
 * Checks the options the page gave `new RTCRtpScriptTransform(worker, options)`. Returns the
 * normalized options or null (then every frame of that transform is dropped).
 * @returns {{side:string, kind:string, stream:number, ownerSlot:number|null, codecs:object}|null}
 */
function checkTransformOptions(options) {
  if (typeof options !== 'object' || options === null) return null;
  const { side, kind, stream, ownerSlot, codecs = {} } = options;
  if (side !== TransformSide.SEND && side !== TransformSide.RECEIVE) return null;
  if (streamMediaKind(stream) === null || streamMediaKind(stream) !== kind) return null;
  if (typeof codecs !== 'object' || codecs === null) return null;
  if (side === TransformSide.RECEIVE && !(Number.isInteger(ownerSlot) && ownerSlot >= 1 && ownerSlot <= 0xffff)) {
    return null;
  }
  return { side, kind, stream, ownerSlot: side === TransformSide.RECEIVE ? ownerSlot : null, codecs };
}

/** One transform (one RTCRtpSender or RTCRtpReceiver): encrypts or decrypts its frames in place. */
export class FrameTransformer {
  #keyring;
  #counters;
  #options;
  #side;

  constructor(keyring, counters, rawOptions) {
    this.#keyring = keyring;
    this.#counters = counters;
    this.#options = checkTransformOptions(rawOptions);
    this.#side = rawOptions?.side === TransformSide.RECEIVE ? TransformSide.RECEIVE : TransformSide.SEND;
  }

  /**
   * Transforms one frame. Resolves true when frame.data now holds the output, false when the
   * frame must be dropped. Never rejects: an unexpected error is a drop too.
   */
  async process(frame) {
    let reason;
    try {
      reason = this.#side === TransformSide.SEND ? await this.#send(frame) : await this.#receive(frame);
    } catch {
      reason = DropReason.INTERNAL_ERROR;
    }
    if (reason) {
      this.#counters.dropped(this.#side, reason);
      return false;
    }
    this.#counters.passed(this.#side);
    return true;
  }

  /** A TransformStream that forwards only frames process() accepted. */
  stream() {
    return new TransformStream({
      transform: async (frame, controller) => {
        if (await this.process(frame)) controller.enqueue(frame);
      },
    });
  }

  /** Sender path (§S7). Returns a DropReason or null when frame.data was replaced. */
  async #send(frame) {
    const options = this.#options;
    if (options === null) return DropReason.BAD_TRANSFORM_OPTIONS;
    const codec = codecOfFrame(frame, options.codecs);
    if (codec === null) return DropReason.UNSUPPORTED_CODEC;
    if (codecMediaKind(codec) !== options.kind) return DropReason.CODEC_STREAM_MISMATCH;

    const data = new Uint8Array(frame.data);
    const { prefix, drop } = clearPrefix(codec, data);
    if (drop) return drop;

    const keyPromise = this.#keyring.senderKey(options.stream);
    if (keyPromise === null) return DropReason.NO_KEY;
    const key = await keyPromise;
    const metadata = data.subarray(0, prefix);
    const sealed = await key.encrypt(metadata, data.subarray(prefix));
    if (sealed === null) return DropReason.COUNTER_EXHAUSTED;

    const out = new Uint8Array(prefix + sealed.length);
    out.set(metadata, 0);
    out.set(sealed, prefix);
    frame.data = out.buffer;
    return null;
  }

  /** Receiver path (§S7). Returns a DropReason or null when frame.data was replaced. */
  async #receive(frame) {
    const options = this.#options;
    if (options === null) return DropReason.BAD_TRANSFORM_OPTIONS;
    const codec = codecOfFrame(frame, options.codecs);
    if (codec === null) return DropReason.UNSUPPORTED_CODEC;
    if (codecMediaKind(codec) !== options.kind) return DropReason.CODEC_STREAM_MISMATCH;

    const data = new Uint8Array(frame.data);
    // Chromium 156 hands the receive transform an occasional zero-length audio frame (measured:
    // one near the start of a call). It cannot be authenticated; counted apart from forgeries.
    if (data.length === 0) return DropReason.EMPTY_FRAME;
    const { prefix, drop } = clearPrefix(codec, data);
    if (drop) return drop;
    const header = parseHeader(data, prefix);
    if (header === null || data.length < prefix + header.length + TAG_BYTES) return DropReason.MALFORMED;

    const parts = splitKid(header.kid);
    const mismatch = checkKidForTrack(parts, options);
    if (mismatch) return mismatch;
    // My own KIDs never arrive on a remote track; if they do, the SFU reflected my frames.
    if (parts.slot === this.#keyring.ownSlot) return DropReason.WRONG_OWNER;

    const keyPromise = this.#keyring.receiverKey(header.kid, parts);
    if (keyPromise === null) return DropReason.UNKNOWN_KID;
    const key = await keyPromise;
    const headerEnd = prefix + header.length;
    const result = await key.decrypt(
      data.subarray(prefix, headerEnd), header.ctr, data.subarray(0, prefix), data.subarray(headerEnd),
    );
    if (result.failure) return result.failure;
    this.#keyring.frameDecrypted(parts.slot, parts.epochByte);

    const out = new Uint8Array(prefix + result.plaintext.length);
    out.set(data.subarray(0, prefix), 0);
    out.set(result.plaintext, prefix);
    frame.data = out.buffer;
    return null;
  }
}

/**
 * Everything the Worker holds: the keyring, the counters, and the handlers for page messages and
 * new transforms. One instance per Worker, so every transform shares the keys and counters.
 */
export class FrameWorkerCore {
  keyring = new FrameKeyring();
  counters = new FrameCounters();
  /** The live video sender transformers (RTCRtpScriptTransformer has generateKeyFrame()). */
  #videoSenders = new Set();

  /**
   * Handles one request from the page and returns the reply to post back.
   * @param {{kind:string, id:number}} message
   */
  handleMessage(message) {
    const id = message?.id;
    try {
      switch (message?.kind) {
        case FrameMessage.SET_OWN_SLOT:
          this.keyring.setOwnSlot(message.slot);
          return { kind: FrameMessage.REPLY, id };
        case FrameMessage.SET_SENDER_KEY:
          this.keyring.setSenderKey(message.epoch, message.key);
          return { kind: FrameMessage.REPLY, id };
        case FrameMessage.SENDER_KEY_USED:
          return this.keyring.senderKeyUsed(message.epoch).then((used) => ({ kind: FrameMessage.REPLY, id, used }));
        case FrameMessage.ADD_RECEIVER_KEY:
          this.keyring.addReceiverKey(message.slot, message.epoch, message.key);
          return { kind: FrameMessage.REPLY, id };
        case FrameMessage.REMOVE_RECEIVER_SLOT:
          this.keyring.removeReceiverSlot(message.slot);
          return { kind: FrameMessage.REPLY, id };
        case FrameMessage.REQUEST_KEY_FRAME:
          return this.#requestKeyFrames().then((requested) => ({ kind: FrameMessage.REPLY, id, requested }));
        case FrameMessage.GET_STATS:
          return { kind: FrameMessage.REPLY, id, stats: this.counters.snapshot() };
        default:
          return { kind: FrameMessage.REPLY, id, error: `unknown message kind ${String(message?.kind)}` };
      }
    } catch (error) {
      return { kind: FrameMessage.REPLY, id, error: error.message };
    }
  }

  /**
   * Runs one RTCRtpScriptTransformer: readable → encrypt/decrypt → writable, for as long as the
   * browser keeps the transform.
   * @param {{readable: ReadableStream, writable: WritableStream, options: object}} transformer
   */
  attach(transformer) {
    const frames = new FrameTransformer(this.keyring, this.counters, transformer.options);
    const videoSender = transformer.options?.side === TransformSide.SEND && transformer.options?.kind === 'video';
    if (videoSender) this.#videoSenders.add(transformer);
    return transformer.readable.pipeThrough(frames.stream()).pipeTo(transformer.writable)
      .finally(() => this.#videoSenders.delete(transformer));
  }

  /** Asks every live video sender for a key frame; resolves to how many accepted the request. */
  async #requestKeyFrames() {
    let requested = 0;
    for (const transformer of this.#videoSenders) {
      try {
        await transformer.generateKeyFrame?.();
        requested++;
      } catch {
        // No track right now (camera off), or a layer that is not sending: nothing to refresh.
      }
    }
    return requested;
  }
}
