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
import { b64uDecode, b64uEncode, toHex, utf8 } from './bytes.js';
import { CHANNEL_DEFAULTS, ChannelState, PairChannel } from './channel.js';
import { FileTransfers } from './file-transfers.js';
import { DEFAULT_FILE_SIZE_LIMIT } from './files.js';
import { linkPsk } from './link.js';
import { generateKeyPair } from './noise.js';
import { compareBytes, PARTICIPANT_ID } from './pair-crypto.js';
import { RoomCodeRound } from './room-code.js';
import { SenderKeySchedule } from './sender-keys.js';
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
  lobbyMaxPeers: 64,
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

  /** @type {SenderKeySchedule} my own sender keys (§S6) */
  #keys;
  #timers = {};

  // room code (§S8)
  #round = null;
  /** id → {rid (hex), c} the latest rc_commit of each peer */
  #commits = new Map();
  roomCode = null;

  // chat (§S9) and files (§S10)
  #chatSeen = new Set();
  /** My in-call state {mic, cam, hand} as last set (sent to each newcomer, §S5). */
  #callState = {};
  /** @type {FileTransfers} */
  #files;

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
    this.#files = new FileTransfers({
      sendMessage: (id, message) => this.#send(this.peers.get(id), message),
      sendBlob: (id, bytes) => this.#transport.send(id, bytes),
      drained: transport.drained?.bind(transport),
      isEligible: (id) => this.#eligible(this.peers.get(id)),
      canSend: (id) => Boolean(this.peers.get(id)?.channel.established),
      emit: (type, detail) => this.#emit(type, detail),
      track: (promise) => {
        this.#pending++; // settle (tests) and whenIdle wait for running transfers too
        promise.finally(() => this.#pending--);
      },
      sizeLimit: this.config.fileSizeLimit,
    });
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
    this.#keys = new SenderKeySchedule({
      frames: this.#frames,
      now: this.#clock.now,
      timers: { arm: (name, ms, fn) => this.#armTimer(`keys-${name}`, ms, fn), clear: (name) => this.#clearTimer(`keys-${name}`) },
      config: this.config,
      isEligible: (id) => this.#eligible(this.peers.get(id)),
      eligibleIds: () => this.#eligiblePeers().map((peer) => peer.id),
      sendKey: (id, key) => this.#send(this.peers.get(id), { t: 'key', epoch: key.epoch, slot: this.slot, k: b64uEncode(key.baseKey) }),
      emit: (type, detail) => this.#emit(type, detail),
    });
    await this.#keys.start();
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
    return this.#keys.decryptorCount;
  }

  get currentEpoch() {
    return this.#keys.currentEpoch;
  }

  get pendingEpoch() {
    return this.#keys.pendingEpoch;
  }

  /** The peers holding my current / pending key (tests and the security panel). */
  keyHolders() {
    return this.#keys.holders();
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
      if (id === this.selfId || !PARTICIPANT_ID.test(id) || this.#gone.has(id)) return;
      if (!Number.isInteger(slot) || slot < 1 || slot > 0xffff) return;
      // Slots are unique in a room (§S2); a duplicate means the server is lying about someone.
      if (slot === this.slot || [...this.peers.values()].some((peer) => peer.id !== id && peer.slot === slot)) {
        this.#emit('alarm', { id, reason: 'DUPLICATE_SLOT' });
        return;
      }
      const known = this.peers.get(id);
      if (known) {
        // A member I met from the lobby (slot unknown until admission) is now listed.
        if (known.slot === null) known.slot = slot;
        if (admitted && !known.admitted) await this.#admit(known);
        return;
      }
      await this.#addPeer(id, slot, admitted);
    });
  }

  async #addPeer(id, slot, admitted) {
    const peer = {
      id, slot, admitted, name: null, maxEpoch: -1, callState: {}, verifiedByYou: null, peerSaysMatch: null, roomCodeRid: null,
    };
    peer.channel = new PairChannel(this.#channelContext(id), id);
    this.peers.set(id, peer);
    // A lobby participant is told nobody (docs/protocol.md): as I, poke it so that it commits.
    await peer.channel.start({ poke: !admitted });
    return peer;
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
      if (peer && !peer.admitted) await this.#admit(peer);
    });
  }

  async #admit(peer) {
    peer.admitted = true;
    if (this.#eligible(peer)) await this.#peerBecameEligible(peer);
  }

  /**
   * I was admitted from the lobby; `members` is the member list of the server's `joined`
   * [{id, slot}]. Channels opened from the lobby with ids not in it are closed [C24].
   */
  selfAdmitted(members = null) {
    return this.#serial(async () => {
      if (this.#admitted) return;
      this.#admitted = true;
      if (members) {
        const listed = new Map(members.map((member) => [member.id, member.slot]));
        for (const peer of [...this.peers.values()]) {
          if (!listed.has(peer.id)) {
            this.#gone.add(peer.id);
            await peer.channel.kill('not-a-member');
          } else if (peer.slot === null) {
            peer.slot = listed.get(peer.id);
          }
        }
        for (const { id, slot } of members) if (!this.peers.has(id) && id !== this.selfId) await this.#addPeer(id, slot, true);
      }
      for (const peer of this.peers.values()) if (this.#eligible(peer)) await this.#peerBecameEligible(peer);
    });
  }

  /** One relayed blob, `from` as the server added it. */
  receive(from, bytes) {
    return this.#serial(async () => {
      let peer = this.peers.get(from);
      if (!peer && this.#mayMeetFromLobby(from, bytes)) peer = await this.#addPeer(from, null, true);
      if (!peer) {
        this.ignored++; // not listed: a hidden participant cannot even start a handshake
        return;
      }
      if (bytes.length >= 2 && bytes[0] === 0x01 && bytes[1] === BlobType.FILE_CHUNK) {
        const blob = parseBlob(bytes);
        if (!blob || !(await this.#files.chunk(peer.id, blob.body))) this.ignored++;
        return;
      }
      await peer.channel.receive(bytes);
    });
  }

  /**
   * In the lobby the server lists nobody to me (docs/protocol.md); only members can address me,
   * so the first handshake blob of an unknown id (COMMIT, or a member's RESYNC poke) opens a
   * channel, at most `lobbyMaxPeers` of them. Nothing but `hello` flows on them until admission,
   * and admission's member list closes any id that is not a member [C24].
   */
  #mayMeetFromLobby(from, bytes) {
    if (this.#admitted || !PARTICIPANT_ID.test(from) || from === this.selfId || this.#gone.has(from)) return false;
    if (this.peers.size >= this.config.lobbyMaxPeers) return false;
    const blob = parseBlob(bytes);
    return blob !== null && !blob.unknownVersion && (blob.type === BlobType.COMMIT || blob.type === BlobType.RESYNC);
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
        if (this.#eligible(peer)) await this.#peerBecameEligible(peer);
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

  async #peerBecameEligible(peer) {
    this.#keys.peerEligible(peer.id);
    this.#viewChanged();
    // A newcomer learns my current mute/camera/hand state at once, not at my next toggle.
    if (Object.keys(this.#callState).length > 0) await this.#send(peer, { t: 'state', ...this.#callState });
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
      case 'file_offer': return this.#files.offered(peer.id, message);
      case 'file_accept': return this.#files.accepted(peer.id, message);
      case 'file_decline': return this.#files.declined(peer.id, message);
      case 'file_cancel': return this.#files.cancelled(peer.id, message);
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

  /**
   * The user changed their display name during the call: a fresh `hello` to every established
   * peer (a later `hello` only renames; the first one still confirms the channel, §S4.6) [C25].
   */
  setName(name) {
    return this.#serial(async () => {
      this.name = [...String(name)].slice(0, NAME_MAX).join('');
      for (const peer of this.peers.values()) {
        if (peer.channel.established) await this.#send(peer, { t: 'hello', name: this.name, gen: this.gen });
      }
    });
  }

  /** In-call state (mute, camera, raised hand) travels only encrypted (§S5). */
  setCallState(state) {
    return this.#serial(async () => {
      const clean = {};
      for (const key of ['mic', 'cam', 'hand']) if (isBool(state[key])) clean[key] = state[key];
      this.#callState = { ...this.#callState, ...clean };
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

  // --- sender keys (§S6): my schedule in sender-keys.js, peers' keys here ---------------------

  /** A peer departs (left, BYE, BROKEN > 10 s, KEY_CHANGED, removed). */
  async #onDeparted(peer, reason) {
    this.#gone.add(peer.id);
    this.#emit('peer-departed', { id: peer.id, reason });
    await this.#frames.removeReceiverSlot(peer.slot);
    this.#files.peerDeparted(peer.id);
    await this.#keys.peerDeparted(peer.id);
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
    await this.#keys.acknowledged(peer.id, epoch);
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

  // --- files (§S10): the transfers live in file-transfers.js -------------------------------

  /**
   * Offers a file to each of `to` (ids) with a fresh key per receiver. Nothing but the offer is
   * sent until that receiver accepts.
   * @param {string[]} to
   * @param {{name: string, type?: string, data: Uint8Array|Blob}} file
   * @returns {Promise<string[]>} the fids (b64u), one per receiver reached
   */
  offerFile(to, file) {
    const size = file.data.length ?? file.data.size;
    // Checked before queueing: the queue reports errors as events, a caller's mistake should throw.
    if (!Number.isSafeInteger(size) || size > this.config.fileSizeLimit) return Promise.reject(new RangeError('file too large'));
    return this.#serial(() => this.#files.offer(to, file));
  }

  /** {state, chunksSent, to} of an outgoing file (progress UI). */
  outgoingFile(fid) {
    return this.#files.outgoingState(fid);
  }

  cancelFile(fid) {
    return this.#serial(() => this.#files.cancel(fid));
  }

  /** The user clicked "Accept" — only now may the sender send chunks. */
  acceptFile(from, fid) {
    return this.#serial(() => this.#files.accept(from, fid));
  }

  declineFile(from, fid) {
    return this.#serial(() => this.#files.decline(from, fid));
  }

  /** {state, received, size, risky, name, failure} of an incoming file. */
  incomingFile(from, fid) {
    return this.#files.incomingState(from, fid);
  }

  /** The bytes for "Save": only after every check passed (§S10), else null. */
  fileForSave(from, fid) {
    return this.#files.partsForSave(from, fid);
  }

  /** An application/octet-stream Blob for "Save", or null before every check passed. */
  fileBlobForSave(from, fid) {
    return this.#files.blobForSave(from, fid);
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

  /**
   * Names as the UI shows them (§S13): self-asserted, so duplicates (of each other or of mine) get
   * a suffix " (2)", " (3)" in id order; a peer without a hello yet has no name (null).
   */
  displayNames() {
    const out = new Map();
    const taken = new Map([[this.name, 1]]);
    const peers = [...this.peers.values()].filter((peer) => peer.name !== null && !this.#gone.has(peer.id))
      .sort((a, b) => compareBytes(utf8(a.id), utf8(b.id)));
    for (const peer of peers) {
      const count = (taken.get(peer.name) ?? 0) + 1;
      taken.set(peer.name, count);
      out.set(peer.id, count === 1 ? peer.name : `${peer.name} (${count})`);
    }
    return out;
  }

  /**
   * What the participant list shows for a peer (§S13): {status: 'connecting' | 'unverified' |
   * 'verified-by-you' | 'verified-room-code' | 'mismatch' | 'failed' | 'left', reason?}.
   */
  peerStatus(id) {
    const peer = this.peers.get(id);
    if (!peer) return null;
    const channel = peer.channel;
    if (channel.state === ChannelState.DEAD || (channel.departed && channel.failure === null)) return { status: 'left' };
    if (channel.state === ChannelState.FAILED && !channel.established) return { status: 'failed', reason: channel.failure };
    if (!channel.established) return { status: 'connecting' };
    return { status: this.verification(id) };
  }

  /** The UI's "try again" after FAILED (not after KEY_CHANGED, which stays an alarm). */
  retryPeer(id) {
    return this.#serial(async () => {
      await this.peers.get(id)?.channel.retry();
    });
  }

  /** Channel state of a peer (tests, UI). */
  peerState(id) {
    const channel = this.peers.get(id)?.channel;
    return channel ? { state: channel.state, failure: channel.failure, established: channel.established } : null;
  }
}

export { ChannelState };
