// The subscribe peer connection (docs/media.md, docs/protocol.md "subscribe-offer"): the SFU
// offers, the browser answers; media flows SFU → browser only. Each offer's `tracks` names the
// owner (participant id and slot) and source of every active m-line; the receiver transform is
// attached with that owner's slot before frames can flow (the SFU starts forwarding a track only
// after it has our answer), and again whenever a reused m-line gets a new owner or source.
// The offer's (owner, slot) must match the slot the room listed for that owner (E2EE-SPEC §S7:
// KID ownership is checked against the track's owner): a track the server relabels as someone
// else's is never shown, and the worker drops any frame whose KID is not the owner's slot.

import { NegotiationQueue } from "./negotiation-queue.js";
import { streamOfSource } from "./media-sources.js";

const PC_CONFIG = Object.freeze({ bundlePolicy: "max-bundle", rtcpMuxPolicy: "require" });

/**
 * @typedef {{mid: string, owner: string, slot: number, source: string, kind: string}} RemoteTrack
 */

export class Subscriber extends EventTarget {
  #signaling;
  #frames;
  #queue = new NegotiationQueue();
  /** @type {Map<string, RemoteTrack>} mid → the active track of the last applied offer */
  #tracksByMid = new Map();
  /** @type {WeakMap<RTCRtpReceiver, string>} receiver → "owner/slot/source" its transform was made for */
  #attached = new WeakMap();
  #slotOf;
  /** Offer entries whose slot was not the listed slot of their owner (ignored). */
  relabelled = 0;

  /**
   * @param {{send(message: object): void}} signaling
   * @param {import("../e2ee/frame-crypto.js").FrameCrypto} frames
   * @param {(owner: string) => number|null} slotOf the slot the room listed for a participant
   */
  constructor(signaling, frames, slotOf) {
    super();
    this.#signaling = signaling;
    this.#frames = frames;
    this.#slotOf = slotOf;
    this.pc = new RTCPeerConnection(PC_CONFIG);
    // ontrack fires inside setRemoteDescription, before any frame of the track can arrive.
    this.pc.addEventListener("track", ({ transceiver }) => this.#attach(transceiver));
  }

  /** The active remote tracks: [{mid, owner, slot, source, kind, track}] */
  remoteTracks() {
    const out = [];
    for (const transceiver of this.pc.getTransceivers()) {
      const info = transceiver.mid === null ? undefined : this.#tracksByMid.get(transceiver.mid);
      if (info) out.push({ ...info, track: transceiver.receiver.track, receiver: transceiver.receiver });
    }
    return out;
  }

  /** Applies a `subscribe-offer` and sends the answer; offers are handled strictly in order. */
  onOffer(message) {
    return this.#queue.run(async () => {
      const tracks = (message.tracks ?? []).filter((t) => t.owner);
      const owned = tracks.filter((t) => this.#slotOf(t.owner) === t.slot);
      this.relabelled += tracks.length - owned.length;
      this.#tracksByMid = new Map(owned.map((t) => [t.mid, t]));
      await this.pc.setRemoteDescription({ type: "offer", sdp: message.sdp });
      // A reused m-line whose direction did not change fires no track event: sweep all of them.
      for (const transceiver of this.pc.getTransceivers()) this.#attach(transceiver);
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription(answer);
      this.#signaling.send({ type: "subscribe-answer", version: message.version, sdp: answer.sdp });
      this.dispatchEvent(new Event("tracks"));
    });
  }

  #attach(transceiver) {
    const info = transceiver.mid === null ? undefined : this.#tracksByMid.get(transceiver.mid);
    if (!info) return; // inactive m-line: nothing flows on it
    const stream = streamOfSource(info.source);
    const key = `${info.owner}/${info.slot}/${info.source}`;
    if (stream === undefined || this.#attached.get(transceiver.receiver) === key) return;
    this.#frames.attachReceiverTransform(transceiver.receiver, { stream, ownerSlot: info.slot });
    this.#attached.set(transceiver.receiver, key);
  }

  close() {
    this.pc.close();
  }
}
