// One participant's whole end-to-end protocol (E2EE-SPEC.md §S3–§S11): its meeting identity,
// one pairwise channel per peer, the application messages, its sender keys, the room code,
// chat, files and link rotation. No DOM, no WebSocket, no Worker: the server's relay comes in as
// `transport.send(to, bytes)` / `receive(from, bytes)`, frame keys go out through `frames`
// (FrameCrypto in the page, a FrameKeyring in node tests), and everything the UI shows leaves
// through `onEvent(type, detail)`. Node tests run several of these, and hostile relays, in one
// process (see testing/relay.js).
//
// Every input — a relayed blob, a server event, a timer, a user action — runs in one serial
// queue, so the protocol state is never touched by two tasks at once.

import { BlobType, parseBlob } from './blob.js';
import { b64uDecode, b64uEncode, toHex } from './bytes.js';
import { CHANNEL_DEFAULTS, ChannelState, PairChannel } from './channel.js';
import {
  chunkCount, DEFAULT_FILE_SIZE_LIMIT, FILE_CHUNK_BYTES, FILE_KEY_BYTES, hashSource, importFileKey, IncomingFile,
  IncomingState, OutgoingState, parseChunkBody, parseOffer, readSlice, sanitizeFileName, sealChunk,
} from './files.js';
import { linkPsk } from './link.js';
import { generateKeyPair } from './noise.js';
import { compareBytes, PARTICIPANT_ID } from './pair-crypto.js';
import { RoomCodeRound } from './room-code.js';
import { sasEmoji } from './sas.js';

/** §S14 timers and limits, all configurable. */
export const PARTICIPANT_DEFAULTS = Object.freeze({
  ...CHANNEL_DEFAULTS,
  meetingRetries: 10,
  joinDebounceMs: 300,
  leaveSwitchMs: 1_500,
  joinSwitchMs: 5_000,
  periodicRekeyMs: 600_000,
  periodicJitterMs: 60_000,
  roomCodeDebounceMs: 1_000,
  roomCodeStuckMs: 10_000,
  fileSizeLimit: DEFAULT_FILE_SIZE_LIMIT,
});

export const NAME_MAX = 64;
export const CHAT_MAX = 4_000;
const MEDIA_KEY_BYTES = 16;
const ID_BYTES = 16;
const U32_MAX = 0xffffffff;

/** The real clock; tests inject testing/fake-clock.js. */
export const realClock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle),
});

const random = (length) => crypto.getRandomValues(new Uint8Array(length));
const codePoints = (text) => [...text].length;
const isBool = (value) => typeof value === 'boolean';

/** How a participant is verified (§S13). */
export const Verification = Object.freeze({
  UNVERIFIED: 'unverified',
  BY_YOU: 'verified-by-you',
  ROOM_CODE: 'verified-room-code',
  MISMATCH: 'mismatch',
});

export class E2eeParticipant {
  room;
  selfId;
  slot;
  name;
  config;
  /** @type {Map<string, object>} id → peer record */
  peers = new Map();
  /** Ids that left: ignored forever (§S4.8 DEAD). */
  #gone = new Set();
  #transport;
  #frames;
  #clock;
  #onEvent;
  #staticKey;
  #newEphemeral;
  #secret;
  #psk;
  #previousPsk = null;
  gen = 0;
  #admitted;
  #meetingRetries;
  #queue = Promise.resolve();
  #pending = 0;
  /** Unlisted blobs (unknown sender, unknown type) are ignored and counted (§S4.8). */
  ignored = 0;

  // sender keys (§S6)
  #cur = null;
  #pend = null;
  #nextEpoch = 0;
  #joinQueue = new Set();
  #timers = {};

  // room code (§S8)
  #round = null;
  /** id → {rid (hex), c} the latest rc_commit of each peer */
  #commits = new Map();
  roomCode = null;

  // chat (§S9) and files (§S10)
  #chatSeen = new Set();
  #outgoing = new Map();
  #incoming = new Map();

  /**
   * @param {object} options
   * @param {Uint8Array} options.room ROOM bytes (§S2)
   * @param {string} options.selfId my id from the server
   * @param {number} options.slot my slot from the welcome
   * @param {Uint8Array|null} options.secret the link secret S, or null
   * @param {string} options.name my display name (sent only inside `hello`)
   * @param {{send(to: string, bytes: Uint8Array): void}} options.transport the server's e2ee relay
   * @param {object} options.frames setOwnSlot, setSenderKey, senderKeyUsed, addReceiverKey,
   *   removeReceiverSlot (FrameCrypto or FrameKeyring)
   * @param {boolean} [options.admitted=true] false while waiting in the lobby (§S6 lobby)
   */
  constructor({ room, selfId, slot, secret = null, name = '', transport, frames, clock = realClock, config = {}, onEvent = () => {}, admitted = true, staticKey = null, newEphemeral = null }) {
    if (!PARTICIPANT_ID.test(selfId)) throw new RangeError('bad participant id');
    this.room = room;
    this.selfId = selfId;
    this.slot = slot;
    this.name = [...String(name)].slice(0, NAME_MAX).join('');
    this.#secret = secret?.slice() ?? null;
    this.#transport = transport;
    this.#frames = frames;
    this.#clock = clock;
    this.config = { ...PARTICIPANT_DEFAULTS, ...config };
    this.#onEvent = onEvent;
    this.#admitted = admitted;
    this.#meetingRetries = { remaining: this.config.meetingRetries };
    this.#staticKey = staticKey;
    this.#newEphemeral = newEphemeral;
  }

  /** Creates the participant: a fresh static key (§S3), the PSK (§S2), the first sender key. */
  static async create(options) {
    const participant = new E2eeParticipant(options);
    await participant.#init();
    return participant;
  }

  async #init() {
    this.#staticKey ??= await generateKeyPair();
    this.#psk = await linkPsk(this.#secret, this.room);
    await this.#frames.setOwnSlot(this.slot);
    this.#cur = { epoch: this.#nextEpoch++, baseKey: random(MEDIA_KEY_BYTES), recipients: new Set() };
    await this.#frames.setSenderKey(this.#cur.epoch, this.#cur.baseKey);
    this.#armPeriodicRekey();
  }

  get staticPublicKey() {
    return this.#staticKey.publicKey;
  }

  /** Whether the link has a secret ("Protected by link", §S13). */
  get protectedByLink() {
    return this.#secret !== null;
  }

  /** The current link secret (to rebuild the link for the copy button; never logged). */
  get linkSecret() {
    return this.#secret?.slice() ?? null;
  }

  /** "N people can decrypt what you send" (§S6). */
  get decryptorCount() {
    return [...(this.#cur?.recipients ?? [])].filter((id) => this.#eligible(this.peers.get(id))).length;
  }

  get currentEpoch() {
    return this.#cur?.epoch ?? null;
  }

  get pendingEpoch() {
    return this.#pend?.epoch ?? null;
  }

  /** The peers holding my current / pending key (tests and the security panel). */
  keyHolders() {
    return { current: [...(this.#cur?.recipients ?? [])], pending: [...(this.#pend?.recipients ?? [])] };
  }

  // --- the serial queue --------------------------------------------------------------------

  #serial(fn) {
    this.#pending++;
    const run = this.#queue.then(fn).catch((error) => this.#emit('error', { error })).finally(() => this.#pending--);
    this.#queue = run;
    return run;
  }

  /** Resolves when no task is queued or running (tests settle on this). */
  async whenIdle() {
    // WebCrypto completes on the event loop, not in microtasks: yield to it between checks.
    while (this.#pending > 0) await new Promise((resolve) => globalThis.setTimeout(resolve, 0));
  }

  get busy() {
    return this.#pending > 0;
  }

  #emit(type, detail = {}) {
    try {
      this.#onEvent(type, detail);
    } catch {
      // a UI handler's bug must not break the protocol
    }
  }

  // --- server events -----------------------------------------------------------------------

  /** The server listed a participant (welcome list or "joined"). */
  peerJoined(id, { slot, admitted = true } = {}) {
    return this.#serial(async () => {
      if (id === this.selfId || !PARTICIPANT_ID.test(id) || this.#gone.has(id) || this.peers.has(id)) return;
      if (!Number.isInteger(slot) || slot < 1 || slot > 0xffff) return;
      // Slots are unique in a room (§S2); a duplicate means the server is lying about someone.
      if (slot === this.slot || [...this.peers.values()].some((peer) => peer.slot === slot)) {
        this.#emit('alarm', { id, reason: 'DUPLICATE_SLOT' });
        return;
      }
      const peer = {
        id, slot, admitted, name: null, maxEpoch: -1, callState: {}, verifiedByYou: null, peerSaysMatch: null, roomCodeRid: null,
      };
      peer.channel = new PairChannel(this.#channelContext(id), id);
      this.peers.set(id, peer);
      await peer.channel.start();
    });
  }

  /** The server says the participant left (or was removed): DEAD, departed (§S4.8). */
  peerLeft(id) {
    return this.#serial(async () => {
      const peer = this.peers.get(id);
      this.#gone.add(id);
      if (peer) await peer.channel.kill('left');
    });
  }

  /** A lobby participant was admitted by the moderator (§S6 lobby). */
  peerAdmitted(id) {
    return this.#serial(async () => {
      const peer = this.peers.get(id);
      if (!peer || peer.admitted) return;
      peer.admitted = true;
      if (this.#eligible(peer)) this.#peerBecameEligible(peer);
    });
  }

  /** I was admitted from the lobby. */
  selfAdmitted() {
    return this.#serial(async () => {
      if (this.#admitted) return;
      this.#admitted = true;
      for (const peer of this.peers.values()) if (this.#eligible(peer)) this.#peerBecameEligible(peer);
    });
  }

  /** One relayed blob, `from` as the server added it. */
  receive(from, bytes) {
    return this.#serial(async () => {
      const peer = this.peers.get(from);
      if (!peer) {
        this.ignored++; // not listed: a hidden participant cannot even start a handshake
        return;
      }
      if (bytes.length >= 2 && bytes[0] === 0x01 && bytes[1] === BlobType.FILE_CHUNK) {
        const blob = parseBlob(bytes);
        if (blob) await this.#onFileChunk(peer, blob.body);
        else this.ignored++;
        return;
      }
      await peer.channel.receive(bytes);
    });
  }

  // --- channels ----------------------------------------------------------------------------

  #channelContext(peerId) {
    return {
      room: this.room,
      selfId: this.selfId,
      staticKey: this.#staticKey,
      psks: () => ({ current: this.#psk, previous: this.#previousPsk }),
      clock: this.#clock,
      schedule: (fn) => this.#serial(fn),
      meetingRetries: this.#meetingRetries,
      hello: () => ({ t: 'hello', name: this.name, gen: this.gen }),
      config: this.config,
      notify: (channel, event, detail) => this.#onChannelEvent(channel, event, detail),
      send: (bytes) => this.#transport.send(peerId, bytes),
      newEphemeral: this.#newEphemeral,
    };
  }

  async #onChannelEvent(channel, event, detail = {}) {
    const peer = this.peers.get(channel.peerId);
    if (!peer) return;
    switch (event) {
      case 'state':
        this.#emit('peer-state', { id: peer.id, state: detail.state, failure: channel.failure });
        break;
      case 'established':
        this.#emit('peer-established', { id: peer.id, sas: sasEmoji(channel.sas) });
        if (this.#eligible(peer)) this.#peerBecameEligible(peer);
        break;
      case 'message':
        await this.#onMessage(peer, detail.message);
        break;
      case 'broken':
        this.#viewChanged();
        break;
      case 'failed':
        this.#emit('peer-failed', { id: peer.id, reason: detail.reason });
        break;
      case 'attempt-failed':
        this.#emit('peer-attempt-failed', { id: peer.id, reason: detail.reason });
        break;
      case 'alarm':
        this.#emit('alarm', { id: peer.id, reason: detail.reason });
        break;
      case 'departed':
        await this.#onDeparted(peer, detail.reason);
        break;
      case 'incompatible-version':
        this.#emit('incompatible-version', { id: peer.id });
        break;
      default:
    }
  }

  /** Keys, chat, files and the room view only for established, admitted peers (§S6 lobby). */
  #eligible(peer) {
    return Boolean(peer) && this.#admitted && peer.admitted && peer.channel.established;
  }

  #eligiblePeers() {
    return [...this.peers.values()].filter((peer) => this.#eligible(peer));
  }

  #peerBecameEligible(peer) {
    this.#joinQueue.add(peer.id);
    this.#armTimer('join', this.config.joinDebounceMs, () => this.#onJoinDebounced());
    this.#viewChanged();
  }

  async #send(peer, message) {
    return peer.channel.sendMessage(message);
  }

  // --- application messages (§S5) ----------------------------------------------------------

  async #onMessage(peer, message) {
    switch (message.t) {
      case 'hello': return this.#onHello(peer, message);
      case 'key': return this.#onKey(peer, message);
      case 'key_ack': return this.#onKeyAck(peer, message);
      case 'bye': return peer.channel.kill('bye');
      case 'state': return this.#onCallState(peer, message);
      case 'sas': return this.#onSas(peer, message);
      case 'rc_commit': return this.#onRoomCommit(peer, message);
      case 'rc_reveal': return this.#onRoomReveal(peer, message);
      case 'chat': return this.#onChat(peer, message);
      case 'file_offer': return this.#onFileOffer(peer, message);
      case 'file_accept': return this.#onFileAccept(peer, message);
      case 'file_decline': return this.#onFileDeclineOrCancel(peer, message, false);
      case 'file_cancel': return this.#onFileDeclineOrCancel(peer, message, true);
      case 'rotate': return this.#onRotate(peer, message);
      default: return undefined; // unknown types are ignored (§S5)
    }
  }

  #onHello(peer, { name, gen }) {
    if (typeof name !== 'string' || codePoints(name) > NAME_MAX || !Number.isInteger(gen) || gen < 0 || gen > U32_MAX) return;
    peer.name = name;
    // The link carries no generation; a newcomer with the current secret learns it here (§S11).
    if (gen > this.gen) this.gen = gen;
    this.#emit('peer-hello', { id: peer.id, name });
  }

  /** In-call state (mute, camera, raised hand) travels only encrypted (§S5). */
  setCallState(state) {
    return this.#serial(async () => {
      const clean = {};
      for (const key of ['mic', 'cam', 'hand']) if (isBool(state[key])) clean[key] = state[key];
      for (const peer of this.#eligiblePeers()) await this.#send(peer, { t: 'state', ...clean });
    });
  }

  #onCallState(peer, message) {
    if (!this.#eligible(peer)) return;
    const state = {};
    for (const key of ['mic', 'cam', 'hand']) if (isBool(message[key])) state[key] = message[key];
    peer.callState = { ...peer.callState, ...state };
    this.#emit('peer-call-state', { id: peer.id, state: peer.callState });
  }

  /** Leaving: `bye` to everyone, so they switch keys at once instead of waiting for the server. */
  leave() {
    return this.#serial(async () => {
      for (const peer of this.peers.values()) if (peer.channel.established) await this.#send(peer, { t: 'bye' });
      this.#clearTimers();
    });
  }

  // --- sender keys (§S6) -------------------------------------------------------------------

  async #sendKey(peer, key) {
    await this.#send(peer, { t: 'key', epoch: key.epoch, slot: this.slot, k: b64uEncode(key.baseKey) });
  }

  /** Peers became ESTABLISHED (debounced 300 ms). */
  async #onJoinDebounced() {
    const joined = [...this.#joinQueue].map((id) => this.peers.get(id)).filter((peer) => this.#eligible(peer));
    this.#joinQueue.clear();
    // A peer that re-established after BROKEN and already holds the key needs nothing new.
    const newcomers = joined.filter((peer) => !this.#cur.recipients.has(peer.id) && !this.#pend?.recipients.has(peer.id));
    if (newcomers.length === 0) return;
    if (this.#pend) {
      for (const peer of newcomers) {
        this.#pend.recipients.add(peer.id);
        await this.#sendKey(peer, this.#pend);
      }
    } else if (!(await this.#frames.senderKeyUsed(this.#cur.epoch))) {
      // Never used: giving it to the newcomer reveals nothing of the past.
      for (const peer of newcomers) {
        this.#cur.recipients.add(peer.id);
        await this.#sendKey(peer, this.#cur);
      }
    } else {
      // A key that encrypted anything is never given to a newcomer.
      await this.#newPending(this.#clock.now() + this.config.joinSwitchMs);
    }
  }

  /** A fresh pending key for every eligible peer; activation on all acks or at the deadline. */
  async #newPending(deadline) {
    this.#discardPending();
    const pend = { epoch: this.#nextEpoch++, baseKey: random(MEDIA_KEY_BYTES), recipients: new Set(), acks: new Set(), deadline };
    if (pend.epoch > U32_MAX) throw new Error('epochs exhausted');
    this.#pend = pend;
    for (const peer of this.#eligiblePeers()) {
      pend.recipients.add(peer.id);
      await this.#sendKey(peer, pend);
    }
    this.#armDeadline();
    await this.#maybeActivate();
  }

  #discardPending() {
    if (!this.#pend) return;
    this.#pend.baseKey.fill(0);
    this.#pend = null;
    this.#clearTimer('deadline');
  }

  #armDeadline() {
    const delay = Math.max(0, this.#pend.deadline - this.#clock.now());
    this.#armTimer('deadline', delay, () => this.#activate());
  }

  async #maybeActivate() {
    const pend = this.#pend;
    if (!pend) return;
    const waiting = [...pend.recipients].filter((id) => this.#eligible(this.peers.get(id)) && !pend.acks.has(id));
    if (waiting.length === 0) await this.#activate();
  }

  /** cur := pend, delete the old key, request a key frame (§S6 activation). */
  async #activate() {
    const pend = this.#pend;
    if (!pend) return;
    this.#pend = null;
    this.#clearTimer('deadline');
    await this.#frames.setSenderKey(pend.epoch, pend.baseKey);
    this.#cur.baseKey.fill(0);
    this.#cur = {
      epoch: pend.epoch, baseKey: pend.baseKey, recipients: new Set([...pend.recipients].filter((id) => this.#eligible(this.peers.get(id)))),
    };
    this.#emit('sender-key-activated', { epoch: pend.epoch, decryptors: this.decryptorCount });
    this.#emit('request-key-frame', {});
    this.#armPeriodicRekey();
  }

  /** 600 ± 60 s after activation (§S6); the first key counts as activated at creation. */
  #armPeriodicRekey() {
    const jitter = (Math.random() * 2 - 1) * this.config.periodicJitterMs;
    this.#armTimer('periodic', this.config.periodicRekeyMs + jitter, () => this.#periodicRekey());
  }

  async #periodicRekey() {
    if (this.#pend || !(await this.#frames.senderKeyUsed(this.#cur.epoch))) {
      this.#armTimer('periodic', this.config.periodicRekeyMs, () => this.#periodicRekey());
      return;
    }
    await this.#newPending(this.#clock.now() + this.config.joinSwitchMs);
  }

  /** A peer departs (left, BYE, BROKEN > 10 s, KEY_CHANGED, removed). */
  async #onDeparted(peer, reason) {
    this.#gone.add(peer.id);
    this.#joinQueue.delete(peer.id);
    this.#emit('peer-departed', { id: peer.id, reason });
    await this.#frames.removeReceiverSlot(peer.slot);
    for (const incoming of this.#incoming.values()) if (incoming.from === peer.id) incoming.cancel();
    for (const outgoing of this.#outgoing.values()) if (outgoing.to === peer.id) outgoing.state = OutgoingState.CANCELLED;
    const deadline = Math.min(this.#pend?.deadline ?? Infinity, this.#clock.now() + this.config.leaveSwitchMs);
    const heldPending = this.#pend?.recipients.has(peer.id) ?? false;
    const heldCurrent = this.#cur.recipients.has(peer.id);
    this.#cur.recipients.delete(peer.id);
    if (heldPending || (heldCurrent && !this.#pend)) {
      // The leaver holds the key that is about to be used: make one it never had.
      await this.#newPending(deadline);
    } else if (this.#pend) {
      // The pending key is already unknown to the leaver: just switch to it within 1.5 s.
      this.#pend.recipients.delete(peer.id);
      this.#pend.deadline = deadline;
      this.#armDeadline();
      await this.#maybeActivate();
    }
    this.#viewChanged();
  }

  async #onKey(peer, { epoch, slot, k }) {
    if (!this.#eligible(peer)) return;
    const key = b64uDecode(k, MEDIA_KEY_BYTES);
    if (!Number.isInteger(epoch) || epoch < 0 || epoch > U32_MAX || key === null) return;
    if (epoch <= peer.maxEpoch) return; // epochs only rise
    // The slot must be the sender's own, so no resulting KID belongs to another peer or to me.
    if (slot !== peer.slot || slot === this.slot) return;
    if ([...this.peers.values()].some((other) => other !== peer && other.slot === slot)) return;
    await this.#frames.addReceiverKey(slot, epoch, key);
    key.fill(0);
    peer.maxEpoch = epoch;
    await this.#send(peer, { t: 'key_ack', epoch });
  }

  async #onKeyAck(peer, { epoch }) {
    const pend = this.#pend;
    if (!pend || epoch !== pend.epoch || !pend.recipients.has(peer.id)) return;
    pend.acks.add(peer.id);
    await this.#maybeActivate();
  }

  // --- pairwise codes and verification (§S4.6, §S13) ---------------------------------------

  /** The 7 emoji of the pair code with a peer, or null before confirmation. */
  sasWith(id) {
    const sas = this.peers.get(id)?.channel.sas;
    return sas ? sasEmoji(sas) : null;
  }

  /** "They match" / "They don't match" in the pair dialog. */
  confirmSas(id, match) {
    return this.#serial(async () => {
      const peer = this.peers.get(id);
      if (!peer || !peer.channel.sas) return;
      peer.verifiedByYou = match;
      if (!match) this.#emit('alarm', { id, reason: 'SAS_MISMATCH' });
      if (peer.channel.established) await this.#send(peer, { t: 'sas', match });
    });
  }

  #onSas(peer, { match }) {
    if (!isBool(match)) return;
    peer.peerSaysMatch = match;
    this.#emit('peer-sas', { id: peer.id, match });
    if (!match) this.#emit('alarm', { id: peer.id, reason: 'SAS_MISMATCH' });
  }

  verification(id) {
    const peer = this.peers.get(id);
    if (!peer) return null;
    if (peer.verifiedByYou === false) return Verification.MISMATCH;
    if (peer.verifiedByYou === true) return Verification.BY_YOU;
    if (peer.roomCodeRid !== null && this.#round && peer.roomCodeRid === toHex(this.#round.rid)) return Verification.ROOM_CODE;
    return Verification.UNVERIFIED;
  }

  // --- room code (§S8) ---------------------------------------------------------------------

  #viewChanged() {
    this.roomCode = null;
    this.#armTimer('room-code', this.config.roomCodeDebounceMs, () => this.#startRound());
  }

  #view() {
    const view = [{ id: this.selfId, staticPublic: this.#staticKey.publicKey }];
    for (const peer of this.#eligiblePeers()) view.push({ id: peer.id, staticPublic: peer.channel.pinnedStatic });
    return view;
  }

  async #startRound() {
    const round = await RoomCodeRound.start(this.room, this.selfId, this.#view());
    this.#round = round;
    const rid = toHex(round.rid);
    for (const [id, commit] of this.#commits) if (commit.rid === rid) round.acceptCommit(id, commit.c);
    for (const id of round.peers) await this.#send(this.peers.get(id), { t: 'rc_commit', rid: b64uEncode(round.rid), c: b64uEncode(round.c) });
    this.#armTimer('room-code-stuck', this.config.roomCodeStuckMs, () => this.#roomCodeStuck(round));
    await this.#maybeReveal();
  }

  async #maybeReveal() {
    const round = this.#round;
    if (!round || !round.readyToReveal) return;
    for (const id of round.peers) await this.#send(this.peers.get(id), { t: 'rc_reveal', rid: b64uEncode(round.rid), r: b64uEncode(round.r) });
    await round.markRevealed();
    this.#roomCodeMaybeDone(round);
  }

  #roomCodeMaybeDone(round) {
    if (round.code === null || round !== this.#round || this.roomCode) return;
    this.#clearTimer('room-code-stuck');
    this.roomCode = { rid: round.rid, emoji: sasEmoji(round.code), n: round.n, ids: [this.selfId, ...round.peers] };
    this.#emit('room-code', this.roomCode);
  }

  #roomCodeStuck(round) {
    if (round !== this.#round || round.code !== null) return;
    const rid = toHex(round.rid);
    const different = round.missingCommits.filter((id) => this.#commits.has(id) && this.#commits.get(id).rid !== rid);
    const waiting = round.missingCommits.filter((id) => !different.includes(id));
    this.#emit('room-code-stuck', { waiting, different, missingReveals: round.missingReveals });
  }

  async #onRoomCommit(peer, { rid, c }) {
    if (!this.#eligible(peer)) return;
    const ridBytes = b64uDecode(rid, 32);
    const commit = b64uDecode(c, 32);
    if (!ridBytes || !commit) return;
    this.#commits.set(peer.id, { rid: toHex(ridBytes), c: commit });
    const round = this.#round;
    if (round && toHex(round.rid) === toHex(ridBytes)) {
      round.acceptCommit(peer.id, commit);
      await this.#maybeReveal();
    }
  }

  async #onRoomReveal(peer, { rid, r }) {
    const round = this.#round;
    const ridBytes = b64uDecode(rid, 32);
    const reveal = b64uDecode(r, 32);
    if (!round || !ridBytes || !reveal || toHex(round.rid) !== toHex(ridBytes)) return;
    const result = await round.acceptReveal(peer.id, reveal);
    if (result === 'tamper') this.#emit('alarm', { id: peer.id, reason: 'ROOM_CODE_TAMPER' });
    this.#roomCodeMaybeDone(round);
  }

  /** "Everyone confirmed": everyone in the code's view is verified (room code) until the view changes. */
  confirmRoomCode() {
    return this.#serial(async () => {
      if (!this.roomCode) return;
      const rid = toHex(this.roomCode.rid);
      for (const id of this.roomCode.ids) {
        const peer = this.peers.get(id);
        if (peer) peer.roomCodeRid = rid;
      }
    });
  }

  // --- chat (§S9) --------------------------------------------------------------------------

  /** Sends a chat line to every established peer; resolves to how many it went to. */
  sendChat(text) {
    // Checked before queueing: the queue reports errors as events, a caller's mistake should throw.
    if (typeof text !== 'string' || codePoints(text) > CHAT_MAX || text.length === 0) {
      return Promise.reject(new RangeError('chat text must be 1–4000 characters'));
    }
    return this.#serial(async () => {
      const mid = b64uEncode(random(ID_BYTES));
      this.#chatSeen.add(`${this.selfId}:${mid}`);
      let count = 0;
      for (const peer of this.#eligiblePeers()) if (await this.#send(peer, { t: 'chat', mid, text })) count++;
      return count;
    });
  }

  #onChat(peer, { mid, text }) {
    if (!this.#eligible(peer)) return;
    if (b64uDecode(mid, ID_BYTES) === null || typeof text !== 'string' || codePoints(text) > CHAT_MAX) return;
    const key = `${peer.id}:${mid}`;
    if (this.#chatSeen.has(key)) return; // dedupe by (sender, mid)
    this.#chatSeen.add(key);
    this.#emit('chat', { from: peer.id, mid, text });
  }

  // --- files (§S10) ------------------------------------------------------------------------

  /**
   * Offers a file to each of `to` (ids) with a fresh key per receiver. Nothing but the offer is
   * sent until that receiver accepts.
   * @param {string[]} to
   * @param {{name: string, type?: string, data: Uint8Array|Blob}} file
   * @returns {Promise<string[]>} the fids (b64u), one per receiver reached
   */
  offerFile(to, { name, type = 'application/octet-stream', data }) {
    const size = data.length ?? data.size;
    if (!Number.isSafeInteger(size) || size > this.config.fileSizeLimit) return Promise.reject(new RangeError('file too large'));
    return this.#serial(async () => {
      const sha256 = await hashSource(data);
      const cleanName = sanitizeFileName(name);
      const fids = [];
      for (const id of to) {
        const peer = this.peers.get(id);
        if (!this.#eligible(peer)) continue;
        const fid = random(ID_BYTES);
        const k = random(FILE_KEY_BYTES);
        const outgoing = { fid, to: id, key: await importFileKey(k, 'encrypt'), size, data, state: OutgoingState.OFFERED, chunksSent: 0 };
        this.#outgoing.set(toHex(fid), outgoing);
        await this.#send(peer, {
          t: 'file_offer', fid: b64uEncode(fid), name: cleanName, size, type: String(type).slice(0, 100),
          sha256: b64uEncode(sha256), chunk: FILE_CHUNK_BYTES, k: b64uEncode(k),
        });
        k.fill(0);
        fids.push(b64uEncode(fid));
      }
      return fids;
    });
  }

  /** The state of an outgoing file (tests, progress UI). */
  outgoingFile(fid) {
    const outgoing = this.#outgoing.get(toHex(b64uDecode(fid, ID_BYTES) ?? new Uint8Array(0)));
    return outgoing ? { state: outgoing.state, chunksSent: outgoing.chunksSent, to: outgoing.to } : null;
  }

  cancelFile(fid) {
    return this.#serial(async () => {
      const outgoing = this.#outgoing.get(toHex(b64uDecode(fid, ID_BYTES) ?? new Uint8Array(0)));
      if (!outgoing || outgoing.state === OutgoingState.SENT) return;
      outgoing.state = OutgoingState.CANCELLED;
      const peer = this.peers.get(outgoing.to);
      if (peer?.channel.established) await this.#send(peer, { t: 'file_cancel', fid });
    });
  }

  async #onFileAccept(peer, { fid }) {
    const fidBytes = b64uDecode(fid, ID_BYTES);
    const outgoing = fidBytes && this.#outgoing.get(toHex(fidBytes));
    // Only the receiver it was offered to, over its own authenticated channel, and only once.
    if (!outgoing || outgoing.to !== peer.id || outgoing.state !== OutgoingState.OFFERED || !this.#eligible(peer)) return;
    outgoing.state = OutgoingState.SENDING;
    this.#pending++; // the transfer runs beside the queue so messages keep flowing; settle waits for it
    this.#sendChunks(outgoing).finally(() => this.#pending--);
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
      this.#transport.send(outgoing.to, blob);
      outgoing.chunksSent++;
      await this.#transport.drained?.(outgoing.to); // back-pressure, when the transport has it
    }
    outgoing.state = OutgoingState.SENT;
    this.#emit('file-sent', { to: outgoing.to, fid: b64uEncode(outgoing.fid) });
  }

  #onFileDeclineOrCancel(peer, { fid }, cancelled) {
    const fidBytes = b64uDecode(fid, ID_BYTES);
    if (!fidBytes) return;
    if (cancelled) {
      const incoming = this.#incoming.get(`${peer.id}:${toHex(fidBytes)}`);
      incoming?.cancel();
      if (incoming) this.#emit('file-cancelled', { from: peer.id, fid });
      return;
    }
    const outgoing = this.#outgoing.get(toHex(fidBytes));
    if (outgoing && outgoing.to === peer.id && outgoing.state === OutgoingState.OFFERED) outgoing.state = OutgoingState.DECLINED;
  }

  #onFileOffer(peer, message) {
    if (!this.#eligible(peer)) return;
    const offer = parseOffer(message);
    if (!offer) return;
    const key = `${peer.id}:${toHex(offer.fid)}`;
    if (this.#incoming.has(key)) return;
    const incoming = new IncomingFile(peer.id, offer, this.config.fileSizeLimit);
    this.#incoming.set(key, incoming);
    this.#emit('file-offer', {
      from: peer.id, fid: message.fid, name: offer.name, size: offer.size, tooLarge: incoming.state === IncomingState.TOO_LARGE, risky: incoming.risky,
    });
  }

  #incomingFile(from, fid) {
    const fidBytes = b64uDecode(fid, ID_BYTES);
    return fidBytes ? this.#incoming.get(`${from}:${toHex(fidBytes)}`) : undefined;
  }

  /** The user clicked "Accept" — only now may the sender send chunks. */
  acceptFile(from, fid) {
    return this.#serial(async () => {
      const incoming = this.#incomingFile(from, fid);
      const peer = this.peers.get(from);
      if (!incoming || incoming.state !== IncomingState.OFFERED || !this.#eligible(peer)) return false;
      await incoming.accepted();
      return this.#send(peer, { t: 'file_accept', fid });
    });
  }

  declineFile(from, fid) {
    return this.#serial(async () => {
      const incoming = this.#incomingFile(from, fid);
      const peer = this.peers.get(from);
      if (!incoming || incoming.state !== IncomingState.OFFERED) return;
      incoming.cancel(IncomingState.DECLINED);
      if (peer?.channel.established) await this.#send(peer, { t: 'file_decline', fid });
    });
  }

  /** {state, received, size, risky, name, failure} of an incoming file. */
  incomingFile(from, fid) {
    const incoming = this.#incomingFile(from, fid);
    if (!incoming) return null;
    return {
      state: incoming.state, received: incoming.received, size: incoming.offer.size, risky: incoming.risky,
      name: incoming.offer.name, failure: incoming.failure,
    };
  }

  /** The bytes for "Save": only after every check passed (§S10), else null. */
  fileForSave(from, fid) {
    return this.#incomingFile(from, fid)?.partsForSave() ?? null;
  }

  async #onFileChunk(peer, body) {
    const chunk = parseChunkBody(body);
    if (!chunk) {
      this.ignored++;
      return;
    }
    const incoming = this.#incoming.get(`${peer.id}:${toHex(chunk.fid)}`);
    if (!incoming) {
      this.ignored++;
      return;
    }
    const before = incoming.state;
    const state = await incoming.acceptChunk(chunk);
    const fid = b64uEncode(chunk.fid);
    if (state === IncomingState.COMPLETE) this.#emit('file-complete', { from: peer.id, fid, risky: incoming.risky });
    else if (state === IncomingState.FAILED && before !== IncomingState.FAILED) {
      this.#emit('file-failed', { from: peer.id, fid, reason: incoming.failure });
    }
  }

  // --- rotate link (§S11) ------------------------------------------------------------------

  /**
   * A new link secret for everyone established except `exclude` (remove someone first, then
   * rotate: the removed person never gets `rotate`). Resolves to the new secret.
   */
  rotateLink({ exclude = [] } = {}) {
    return this.#serial(async () => {
      const secret = random(32);
      const gen = this.gen + 1;
      await this.#adoptLink(gen, secret, this.selfId);
      for (const peer of this.#eligiblePeers()) {
        if (exclude.includes(peer.id)) continue;
        await this.#send(peer, { t: 'rotate', gen, s: b64uEncode(secret) });
      }
      return secret.slice();
    });
  }

  async #onRotate(peer, { gen, s }) {
    if (!this.#eligible(peer)) return;
    const secret = b64uDecode(s, 32);
    if (!secret || !Number.isInteger(gen) || gen < 0 || gen > U32_MAX) return;
    // Adopt if newer, or same generation and bytewise greater: concurrent rotations converge.
    const newer = gen > this.gen || (gen === this.gen && compareBytes(secret, this.#secret ?? new Uint8Array(0)) > 0);
    if (newer) await this.#adoptLink(gen, secret, peer.id);
  }

  async #adoptLink(gen, secret, by) {
    this.#previousPsk = this.#psk;
    this.#secret?.fill(0);
    this.#secret = secret.slice();
    this.gen = gen;
    this.#psk = await linkPsk(this.#secret, this.room);
    this.#emit('link-rotated', { by, gen });
    for (const peer of this.peers.values()) await peer.channel.pskChanged();
  }

  // --- timers ------------------------------------------------------------------------------

  #armTimer(name, ms, fn) {
    this.#clearTimer(name);
    this.#timers[name] = this.#clock.setTimeout(() => {
      delete this.#timers[name];
      this.#serial(fn);
    }, ms);
  }

  #clearTimer(name) {
    if (this.#timers[name] !== undefined) {
      this.#clock.clearTimeout(this.#timers[name]);
      delete this.#timers[name];
    }
  }

  #clearTimers() {
    for (const name of Object.keys(this.#timers)) this.#clearTimer(name);
  }

  /** Channel state of a peer (tests, UI). */
  peerState(id) {
    const channel = this.peers.get(id)?.channel;
    return channel ? { state: channel.state, failure: channel.failure, established: channel.established } : null;
  }
}

export { ChannelState };
