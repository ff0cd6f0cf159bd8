// The call's end-to-end layer (E2EE-SPEC.md §S3–§S11, docs/e2ee.md "The call page"): one
// E2eeParticipant per page, fed by the signaling client, with the page's FrameCrypto as its key
// sink. The call page talks to it through a small interface:
//
//   const session = new E2eeSession({ client, frames, link, name });
//   session.handle(message)            every signaling message, before the page's own handling
//   session.slotOf(ownerId)            the slot the room listed for a participant (track ownership)
//   session.addEventListener("change") something the panels show changed
//   session.addEventListener("failed") the participant could not be created (no X25519): leave
//   session.leave()                    `bye` to everyone, before the page leaves the room
//
// and the panels (web/ui/panels/) read its model and call its actions. The server only ever sees
// the blobs this module hands to `e2ee` messages: opaque, end-to-end encrypted bytes.

import { b64uDecode, b64uEncode } from "../e2ee/bytes.js";
import { E2eeParticipant } from "../e2ee/participant.js";
import { MessageType } from "../signaling/client.js";

/** WebSocket back-pressure for file chunks: wait while more than this is queued. */
const MAX_BUFFERED_BYTES = 512 * 1024;
/**
 * At most one file chunk per this many ms per page: the server allows `Sotto:MessageRateLimit`
 * (200) messages a second per connection, and chunks must leave room for everything else.
 */
const CHUNK_INTERVAL_MS = 12;
/** `bye` gets this long to leave before the page closes the socket. */
const BYE_TIMEOUT_MS = 500;
/** Chat lines kept on screen (in memory only: nothing is kept after the call, DESIGN.md §1.3). */
const CHAT_KEPT = 500;

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class E2eeSession extends EventTarget {
  #client;
  #frames;
  #link;
  #name;
  #config;
  /** @type {Promise<E2eeParticipant>|null} */
  #ready = null;
  /** @type {E2eeParticipant|null} */
  participant = null;
  /** id → slot as the room listed it (joined, participant-joined, knock) */
  #slots = new Map();
  #lastChunkAt = 0;

  // --- what the panels show (all in memory, gone with the page) ---
  /** [{from, name, text, mine, to}] */
  chat = [];
  /** key "from:fid" → {from, fid, name, size, risky, tooLarge, state, failure} */
  incoming = new Map();
  /** [{fid, to, name, size}] */
  outgoing = [];
  /** [{id, reason}] */
  alarms = [];
  /** {waiting, different} while the room code is stuck, else null */
  roomCodeStuck = null;
  /** {by, gen} of the last link rotation, or null */
  rotated = null;
  /** Tracks whose signalled (owner, slot) did not match the room's list: never shown. */
  relabelledTracks = 0;

  /**
   * @param {object} options
   * @param {import("../signaling/client.js").SignalingClient} options.client
   * @param {import("../e2ee/frame-crypto.js").FrameCrypto} options.frames the call's frame Worker
   * @param {{room: Uint8Array, secret: Uint8Array|null}} options.link from link-state.js
   * @param {string} [options.name] display name, sent only inside `hello` (§S5)
   * @param {object} [options.config] §S14 overrides (tests)
   */
  constructor({ client, frames, link, name = "", config = {} }) {
    super();
    this.#client = client;
    this.#frames = frames;
    this.#link = link;
    this.#name = name;
    this.#config = config;
  }

  get selfId() {
    return this.participant?.selfId ?? null;
  }

  get name() {
    return this.participant?.name ?? this.#name;
  }

  /** The slot the room listed for `id`, or null: a track claiming another slot is not that person's. */
  slotOf(id) {
    return this.#slots.get(id) ?? null;
  }

  /** The link secret now in force (it changes when someone rotates the link, §S11). */
  get linkSecret() {
    return this.participant?.linkSecret ?? this.#link.secret;
  }

  /** Every signaling message, in order. */
  handle(m) {
    switch (m.type) {
      case MessageType.Joined:
        for (const p of m.participants ?? []) this.#slots.set(p.id, p.slot);
        if (!this.#ready) {
          this.#start(m, true);
          this.#then((p) => { for (const { id, slot } of m.participants ?? []) p.peerJoined(id, { slot }); });
        } else {
          // Admitted from the lobby, or a resumed seat (snapshot: apply idempotently).
          this.#then((p) => {
            p.selfAdmitted(m.participants ?? []);
            for (const { id, slot } of m.participants ?? []) p.peerJoined(id, { slot });
          });
        }
        break;
      case MessageType.Lobby:
        this.#slots.set(m.id, m.slot);
        if (!this.#ready) this.#start(m, false);
        break;
      case MessageType.ParticipantJoined:
        this.#slots.set(m.id, m.slot);
        this.#then((p) => p.peerJoined(m.id, { slot: m.slot }));
        break;
      case MessageType.ParticipantLeft:
        this.#then((p) => p.peerLeft(m.id));
        break;
      case MessageType.Knock:
        this.#slots.set(m.id, m.slot);
        this.#then((p) => p.peerJoined(m.id, { slot: m.slot, admitted: false }));
        break;
      case MessageType.KnockEnded:
        this.#then((p) => (m.reason === "admitted" ? p.peerAdmitted(m.id) : p.peerLeft(m.id)));
        break;
      case MessageType.E2ee: {
        const bytes = b64uDecode(m.blob);
        if (bytes !== null && typeof m.from === "string") this.#then((p) => p.receive(m.from, bytes));
        break;
      }
      default:
    }
  }

  #start(m, admitted) {
    const transport = {
      send: (to, bytes) => {
        if (this.#client.open) this.#client.send({ type: "e2ee", to, blob: b64uEncode(bytes) });
      },
      drained: () => this.#drained(),
    };
    this.#ready = E2eeParticipant.create({
      room: this.#link.room,
      selfId: m.id,
      slot: m.slot,
      secret: this.#link.secret,
      name: this.#name,
      transport,
      frames: this.#frames,
      admitted,
      config: this.#config,
      onEvent: (type, detail) => this.#onEvent(type, detail),
    }).then((participant) => {
      this.participant = participant;
      this.#changed();
      return participant;
    }, (error) => {
      // No X25519 in this browser's WebCrypto, or the worker refused the first key: the call cannot
      // be end-to-end encrypted, so the page must not stay in it (§S13 blocking page).
      this.dispatchEvent(new CustomEvent("failed", { detail: error }));
      throw error;
    });
  }

  /** Runs fn(participant) once it exists, in the order handle() was called. */
  #then(fn) {
    this.#ready?.then(fn).catch(() => {});
  }

  /** File chunks wait for the socket to drain and keep under the server's message rate. */
  async #drained() {
    while (this.#client.open && this.#client.bufferedAmount > MAX_BUFFERED_BYTES) await delay(20);
    const wait = this.#lastChunkAt + CHUNK_INTERVAL_MS - Date.now();
    if (wait > 0) await delay(wait);
    this.#lastChunkAt = Date.now();
  }

  #changed() {
    this.dispatchEvent(new Event("change"));
  }

  #onEvent(type, detail) {
    switch (type) {
      case "chat":
        this.#addChat({ from: detail.from, text: detail.text, mine: false });
        break;
      case "file-offer":
        this.incoming.set(`${detail.from}:${detail.fid}`, {
          from: detail.from, fid: detail.fid, name: detail.name, size: detail.size, risky: detail.risky,
          tooLarge: detail.tooLarge, state: detail.tooLarge ? "too-large" : "offered", failure: null,
        });
        break;
      case "file-complete":
      case "file-failed":
      case "file-cancelled":
        this.#refreshIncoming(detail.from, detail.fid);
        break;
      case "alarm":
        this.alarms.push({ id: detail.id, reason: detail.reason });
        break;
      case "room-code":
        this.roomCodeStuck = null;
        break;
      case "room-code-stuck":
        this.roomCodeStuck = { waiting: detail.waiting, different: detail.different };
        break;
      case "link-rotated":
        this.rotated = { by: detail.by, gen: detail.gen };
        break;
      case "request-key-frame":
        // §S6 activation: receivers that hold only the new key decode from the next key frame.
        this.#frames.requestKeyFrame().catch(() => {});
        break;
      default:
    }
    this.#changed();
  }

  #addChat(line) {
    this.chat.push(line);
    if (this.chat.length > CHAT_KEPT) this.chat.splice(0, this.chat.length - CHAT_KEPT);
  }

  #refreshIncoming(from, fid) {
    const entry = this.incoming.get(`${from}:${fid}`);
    const state = this.participant?.incomingFile(from, fid);
    if (entry && state) {
      entry.state = state.state;
      entry.failure = state.failure;
    }
  }

  // --- actions (the panels call these) ---

  async sendChat(text) {
    const p = await this.#ready;
    const to = await p.sendChat(text);
    this.#addChat({ from: p.selfId, text, mine: true, to });
    this.#changed();
    return to;
  }

  async setName(name) {
    this.#name = name;
    await (await this.#ready)?.setName(name);
    this.#changed();
  }

  async setCallState(state) {
    await (await this.#ready)?.setCallState(state);
  }

  async offerFile(to, file) {
    const p = await this.#ready;
    const fids = await p.offerFile(to, file);
    fids.forEach((fid, i) => this.outgoing.push({ fid, to: to[i], name: file.name, size: file.data.size ?? file.data.length }));
    this.#changed();
    return fids;
  }

  async acceptFile(from, fid) {
    await this.participant?.acceptFile(from, fid);
    this.#refreshIncoming(from, fid);
    this.#changed();
  }

  async declineFile(from, fid) {
    await this.participant?.declineFile(from, fid);
    this.#refreshIncoming(from, fid);
    this.#changed();
  }

  /** The bytes of a received file as an application/octet-stream Blob, only after every check (§S10). */
  fileBlob(from, fid) {
    return this.participant?.fileBlobForSave(from, fid) ?? null;
  }

  async confirmSas(id, match) {
    await this.participant?.confirmSas(id, match);
    this.#changed();
  }

  async confirmRoomCode() {
    await this.participant?.confirmRoomCode();
    this.#changed();
  }

  async retryPeer(id) {
    await this.participant?.retryPeer(id);
    this.#changed();
  }

  async rotateLink() {
    const p = await this.#ready;
    await p.rotateLink();
    this.#changed();
  }

  /** `bye` to everyone (they switch keys at once, §S6), bounded so leaving never hangs. */
  async leave() {
    if (!this.participant) return;
    await Promise.race([this.participant.leave(), delay(BYE_TIMEOUT_MS)]);
  }

  /** Counters for window.sotto.stats(): epochs and counts only — never keys, names or the link. */
  stats() {
    const p = this.participant;
    if (!p) return null;
    return {
      currentEpoch: p.currentEpoch,
      pendingEpoch: p.pendingEpoch,
      decryptors: p.decryptorCount,
      established: [...p.peers.keys()].filter((id) => !["connecting", "failed", "left"].includes(p.peerStatus(id)?.status)).length,
      relabelledTracks: this.relabelledTracks,
    };
  }
}
