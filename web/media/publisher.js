// The publish peer connection (docs/media.md, docs/protocol.md "publish"): the browser offers, the
// SFU answers; media flows browser → SFU only. Every sender gets its frame-encryption transform
// right after addTransceiver and before any track (E2EE-SPEC §S7: addTransceiver → transform →
// replaceTrack), so no frame ever leaves in the clear. Renegotiations are serialized.

import { answerPolicyViolations } from "./answer-policy.js";
import { NegotiationQueue } from "./negotiation-queue.js";
import { CAMERA_ENCODINGS, Source, preferredCodecs, streamOfSource } from "./media-sources.js";
import { activeEncodings } from "./adaptation.js";

const PC_CONFIG = Object.freeze({ bundlePolicy: "max-bundle", rtcpMuxPolicy: "require" });

export class Publisher {
  #signaling;
  #frames;
  #queue = new NegotiationQueue();
  /** @type {Map<string, RTCRtpTransceiver>} source → transceiver (kept and reused once created) */
  #transceivers = new Map();

  /**
   * @param {{request(message: object): Promise<object>}} signaling
   * @param {import("../e2ee/frame-crypto.js").FrameCrypto} frames
   */
  constructor(signaling, frames) {
    this.#signaling = signaling;
    this.#frames = frames;
    this.pc = new RTCPeerConnection(PC_CONFIG);
  }

  /** The source sent on m-line `mid`, or null. */
  sourceOfMid(mid) {
    for (const [source, transceiver] of this.#transceivers) if (transceiver.mid === mid) return source;
    return null;
  }

  /** The track a source currently sends, or null. */
  track(source) {
    const transceiver = this.#transceivers.get(source);
    return transceiver && transceiver.direction === "sendonly" ? transceiver.sender.track : null;
  }

  /**
   * Starts sending each {source, track, stream} (mic, camera or screen) and renegotiates once.
   * A transceiver stopped earlier is reused: its sender keeps its transform. mic and camera share
   * one msid stream (lip sync).
   * @param {{source: string, track: MediaStreamTrack, stream: MediaStream}[]} items
   */
  start(items) {
    return this.#queue.run(async () => {
      for (const { source, track, stream } of items) {
        let transceiver = this.#transceivers.get(source);
        if (!transceiver) {
          transceiver = this.pc.addTransceiver(track.kind, {
            direction: "sendonly",
            streams: [stream],
            sendEncodings: source === Source.CAMERA ? CAMERA_ENCODINGS.map((e) => ({ ...e })) : undefined,
          });
          transceiver.setCodecPreferences(preferredCodecs(track.kind));
          // Before the track: frames pass in the clear until sender.transform is set (DESIGN.md §9).
          this.#frames.attachSenderTransform(transceiver.sender, { stream: streamOfSource(source) });
          this.#transceivers.set(source, transceiver);
        } else {
          transceiver.direction = "sendonly";
          transceiver.sender.setStreams(stream);
        }
        await transceiver.sender.replaceTrack(track);
      }
      await this.#negotiate();
    });
  }

  /**
   * Swaps the track a source sends (another camera or microphone) on the same sender: the
   * encryption transform stays and nothing is renegotiated.
   */
  replaceTrack(source, track) {
    return this.#queue.run(async () => {
      const transceiver = this.#transceivers.get(source);
      if (!transceiver || transceiver.direction !== "sendonly") throw new Error(`${source} is not being sent`);
      await transceiver.sender.replaceTrack(track);
    });
  }

  /** Stops sending `source`: the m-line becomes inactive, which ends its producer at the SFU. */
  stop(source) {
    return this.#queue.run(async () => {
      const transceiver = this.#transceivers.get(source);
      if (!transceiver || transceiver.direction === "inactive") return;
      const track = transceiver.sender.track;
      await transceiver.sender.replaceTrack(null);
      track?.stop();
      transceiver.direction = "inactive";
      await this.#negotiate();
    });
  }

  /**
   * The SFU's `publish-layers`: only `rids` of m-line `mid` are needed by anyone, so the other
   * simulcast encoders stop (the lowest always runs). No renegotiation: setParameters only.
   */
  async setActiveLayers(mid, rids) {
    const source = this.sourceOfMid(mid);
    const sender = source && this.#transceivers.get(source)?.sender;
    if (!sender) return;
    const parameters = sender.getParameters();
    if (!parameters.encodings || parameters.encodings.length < 2) return;
    parameters.encodings = activeEncodings(parameters.encodings, rids);
    await sender.setParameters(parameters);
  }

  async #negotiate() {
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    const tracks = [];
    for (const [source, transceiver] of this.#transceivers) {
      if (transceiver.mid !== null) tracks.push({ mid: transceiver.mid, source });
    }
    const reply = await this.#signaling.request({ type: "publish", sdp: offer.sdp, tracks });
    // §S7: check what the server negotiated; on a violation nothing is ever sent on this answer.
    const violations = answerPolicyViolations(reply.sdp);
    if (violations.length > 0) {
      this.close();
      throw new Error(`the server's answer breaks the codec policy: ${violations.join(", ")}`);
    }
    await this.pc.setRemoteDescription({ type: "answer", sdp: reply.sdp });
  }

  close() {
    for (const transceiver of this.#transceivers.values()) transceiver.sender.track?.stop();
    this.pc.close();
  }
}
