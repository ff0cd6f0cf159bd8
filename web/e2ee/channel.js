// One pairwise channel (E2EE-SPEC.md §S4): commitment, Noise IXpsk2, confirmation, TRANSPORT with
// continuous rekey, RESYNC, diagnosis and pinning, as the state table of §S4.8 says.
//
// A channel does not serialize its own calls: its owner (participant.js) runs every event of a
// participant — blobs, timers, sends — one after another, so channel code never interleaves.

import { BlobType, encodeBlob, parseBlob, SID_BYTES } from './blob.js';
import { equalConstantTime, toHex } from './bytes.js';
import { generateKeyPair, HandshakeState, NoiseError, NoiseFailure, Pattern } from './noise.js';
import {
  commitment, openTransport, prologue, Role, roleFor, sasBytes, sealTransport, sidOf,
} from './pair-crypto.js';

export const ChannelState = Object.freeze({
  NEW: 'NEW',
  WAIT_COMMIT: 'WAIT_COMMIT',
  WAIT_HS1: 'WAIT_HS1',
  WAIT_HS2: 'WAIT_HS2',
  WAIT_CONFIRM: 'WAIT_CONFIRM',
  ESTABLISHED: 'ESTABLISHED',
  BROKEN: 'BROKEN',
  FAILED: 'FAILED',
  DEAD: 'DEAD',
});

/** FAILED(reason) — the exact reasons the UI shows (§S13). */
export const FailReason = Object.freeze({
  TAMPER: 'TAMPER',
  LINK_OR_TAMPER: 'LINK_OR_TAMPER',
  NO_SECRET: 'NO_SECRET',
  OLD_LINK: 'OLD_LINK',
  ROLE_CONFLICT: 'ROLE_CONFLICT',
  TIMEOUT: 'TIMEOUT',
  KEY_CHANGED: 'KEY_CHANGED',
});

/** §S14 timers and limits of the channel, all overridable (tests shrink nothing: they use a fake clock). */
export const CHANNEL_DEFAULTS = Object.freeze({
  stepTimeoutMs: 15_000,
  retriesPerPeerPerMinute: 3,
  brokenToDepartedMs: 10_000,
  linkFailureRetryMs: 3_000,
});

const ZERO_PSK = new Uint8Array(32);

function isZero(bytes) {
  return bytes.every((b) => b === 0);
}

/**
 * @typedef {object} ChannelContext
 * @property {Uint8Array} room ROOM bytes (§S2)
 * @property {string} selfId
 * @property {{privateKey: CryptoKey, publicKey: Uint8Array}} staticKey my meeting identity (§S3)
 * @property {() => {current: Uint8Array, previous: Uint8Array|null}} psks the link PSKs (§S2, §S11)
 * @property {{now(): number, setTimeout(fn, ms): any, clearTimeout(handle): void}} clock
 * @property {(fn: () => Promise<void>|void) => void} schedule runs fn in the owner's serial queue
 * @property {{remaining: number}} meetingRetries ≤ 10 retries per meeting, shared by all channels
 * @property {() => object} hello the `hello` message to send first (§S5)
 * @property {object} config CHANNEL_DEFAULTS overrides
 * @property {(channel, event: string, detail?: object) => void} notify established, message,
 *   state, departed, alarm
 * @property {(bytes: Uint8Array) => void} send the blob to the peer (through the relay)
 * @property {() => Promise<{privateKey, publicKey}>} [newEphemeral] for the vectors' fixed keys
 */

export class PairChannel {
  /** @type {ChannelContext} */ #ctx;
  peerId;
  role;
  state = ChannelState.NEW;
  /** @type {string|null} FAILED(reason) or the reason a channel departed */
  failure = null;
  /** Pinned after the first confirmation (§S4.6): the peer's static key and the pair's SAS. */
  pinnedStatic = null;
  sas = null;
  /** Unlisted messages are ignored and counted (§S4.8). */
  ignored = 0;
  /** Every sid this channel has seen: a handshake message with an old sid is a replay. */
  #seenSids = new Set();
  /** The handshake in progress: {sid, c, hs, keys?} */
  #attempt = null;
  /** The confirmed session: {sid, send, receive, h, helloReceived, broken} */
  #session = null;
  #stepTimer = null;
  #brokenTimer = null;
  #retryTimer = null;
  #retryTimes = [];
  #autoLinkRetryUsed = false;
  /** name → clock handle: step, broken, retry */
  #timers = {};
  /** I pokes a lobby peer with RESYNC(0⁸) while waiting for its COMMIT [C24]. */
  #poke = false;
  departed = false;

  /** @param {ChannelContext} ctx */
  constructor(ctx, peerId) {
    this.#ctx = ctx;
    this.peerId = peerId;
    this.role = roleFor(ctx.selfId, peerId);
    this.config = { ...CHANNEL_DEFAULTS, ...ctx.config };
  }

  get established() {
    return this.#session !== null && !this.#session.broken && this.state !== ChannelState.DEAD && !this.departed;
  }

  /** The current session's sid (for tests and diagnostics). */
  get sessionSid() {
    return this.#session?.sid ?? null;
  }

  /**
   * The peer is listed (§S4.8 NEW): C commits, I waits for the commitment. With `poke` (the peer
   * waits in the lobby and was told nobody), I also sends RESYNC(0⁸) so that it learns of me and
   * commits [C24]; it is repeated on every step timeout.
   */
  async start({ poke = false } = {}) {
    if (this.state !== ChannelState.NEW) return;
    this.#poke = poke;
    if (this.role === null) return this.#fail(FailReason.TAMPER);
    if (this.role === Role.COMMITTER) return this.#commit();
    this.#setState(ChannelState.WAIT_COMMIT);
    this.#armStepTimer();
    this.#sendPoke();
  }

  #sendPoke() {
    if (this.#poke && this.role === Role.INITIATOR && this.state === ChannelState.WAIT_COMMIT) {
      this.#ctx.send(encodeBlob(BlobType.RESYNC, new Uint8Array(SID_BYTES)));
    }
  }

  /** BYE or the server's "left": DEAD, departed, the id is ignored forever (§S4.8). */
  async kill(reason = 'left') {
    if (this.state === ChannelState.DEAD) return;
    this.#clearTimers();
    this.#forgetAttempt();
    this.#session = null;
    this.#setState(ChannelState.DEAD);
    await this.#depart(reason);
  }

  /** Manual retry after FAILED (the UI's "try again"). */
  async retry() {
    if (this.state !== ChannelState.FAILED || this.failure === FailReason.KEY_CHANGED) return;
    this.failure = null;
    this.#autoLinkRetryUsed = false;
    this.#retryTimes = [];
    this.#setState(ChannelState.NEW);
    await this.start();
  }

  /**
   * The link PSK changed (§S11): a handshake that has not yet used the psk token restarts under
   * the new one (§S4.8 "a handshake begun under a PSK that has since changed is restarted").
   * C restarts its attempt; I, which mixes the PSK only when HS2 arrives, simply uses the new one.
   */
  async pskChanged() {
    if (this.role === Role.COMMITTER && (this.state === ChannelState.WAIT_HS1 || this.state === ChannelState.WAIT_CONFIRM)) {
      await this.#commit();
    }
  }

  /** Sends one application message (§S5) over the confirmed session. False if there is none. */
  async sendMessage(message) {
    if (!this.established) return false;
    const session = this.#session;
    this.#ctx.send(await sealTransport(session.send, session.sid, JSON.stringify(message)));
    return true;
  }

  /** One blob from this peer, in relay order. */
  async receive(bytes) {
    if (this.state === ChannelState.DEAD) return this.#ignore();
    const blob = parseBlob(bytes);
    if (blob === null) return this.#ignore();
    if (blob.unknownVersion) {
      await this.#ctx.notify(this, 'incompatible-version');
      return this.#ignore();
    }
    switch (blob.type) {
      case BlobType.COMMIT: return this.#onCommit(blob);
      case BlobType.HS1: return this.#onHs1(blob);
      case BlobType.HS2: return this.#onHs2(blob);
      case BlobType.TRANSPORT: return this.#onTransport(blob);
      case BlobType.RESYNC: return this.#onResync(blob);
      default: return this.#ignore();
    }
  }

  // --- committer (C, Noise responder) ------------------------------------------------------

  /** NEW → fresh e_C, COMMIT → WAIT_HS1 (§S4.3, §S4.8). Ephemerals are never reused. */
  async #commit() {
    this.#forgetAttempt();
    const ctx = this.#ctx;
    const e = await (ctx.newEphemeral ?? generateKeyPair)();
    const c = await commitment(ctx.room, ctx.selfId, this.peerId, e.publicKey, ctx.staticKey.publicKey);
    const sid = sidOf(c);
    this.#seenSids.add(toHex(sid));
    const hs = await HandshakeState.initialize({
      pattern: Pattern.IXpsk2, initiator: false, prologue: prologue(ctx.room, ctx.selfId, this.peerId, c),
      s: ctx.staticKey, e, psk: ctx.psks().current,
    });
    this.#attempt = { sid, c, hs };
    this.#setState(ChannelState.WAIT_HS1);
    this.#armStepTimer();
    ctx.send(encodeBlob(BlobType.COMMIT, c));
  }

  async #onHs1(blob) {
    if (this.role !== Role.COMMITTER) return this.#fail(FailReason.ROLE_CONFLICT);
    const attempt = this.#attempt;
    if (this.state !== ChannelState.WAIT_HS1 || !equalConstantTime(blob.sid, attempt.sid)) return this.#ignore();
    try {
      await attempt.hs.readMessage(blob.message);
    } catch (error) {
      return this.#fail(FailReason.TAMPER, error);
    }
    if (this.pinnedStatic && !equalConstantTime(this.pinnedStatic, attempt.hs.rs)) return this.#fail(FailReason.KEY_CHANGED);
    // The PSK is the one current when the psk token is processed (§S11 races: see docs/e2ee.md).
    attempt.hs.psk = this.#ctx.psks().current.slice();
    const msg2 = await attempt.hs.writeMessage();
    const [initiatorToCommitter, committerToInitiator] = await attempt.hs.split();
    attempt.keys = { send: committerToInitiator, receive: initiatorToCommitter };
    this.#setState(ChannelState.WAIT_CONFIRM);
    this.#armStepTimer();
    this.#ctx.send(encodeBlob(BlobType.HS2, attempt.sid, msg2));
  }

  // --- initiator (I) -----------------------------------------------------------------------

  async #onCommit(blob) {
    if (this.role !== Role.INITIATOR) return this.#fail(FailReason.ROLE_CONFLICT);
    const sid = sidOf(blob.c);
    const sidHex = toHex(sid);
    if (this.#seenSids.has(sidHex)) return this.#ignore(); // a replayed or repeated commitment
    const fresh = this.state === ChannelState.NEW || this.state === ChannelState.WAIT_COMMIT;
    const newAttempt = this.state === ChannelState.WAIT_HS2 || this.state === ChannelState.ESTABLISHED ||
      this.state === ChannelState.BROKEN;
    const autoRetry = this.state === ChannelState.FAILED && this.failure !== FailReason.KEY_CHANGED &&
      this.failure !== FailReason.ROLE_CONFLICT && this.failure !== FailReason.TAMPER && !this.#autoLinkRetryUsed;
    if (!fresh && !newAttempt && !autoRetry) return this.#ignore();
    if (newAttempt && !this.#takeRetry()) return this.#ignore();
    if (autoRetry) this.#autoLinkRetryUsed = true;
    this.#seenSids.add(sidHex);
    this.#forgetAttempt();
    const ctx = this.#ctx;
    const hs = await HandshakeState.initialize({
      pattern: Pattern.IXpsk2, initiator: true, prologue: prologue(ctx.room, this.peerId, ctx.selfId, blob.c),
      s: ctx.staticKey, e: ctx.newEphemeral ? await ctx.newEphemeral() : null, psk: ctx.psks().current,
    });
    const msg1 = await hs.writeMessage();
    this.#attempt = { sid, c: blob.c, hs };
    this.failure = null;
    this.#setState(ChannelState.WAIT_HS2);
    this.#armStepTimer();
    ctx.send(encodeBlob(BlobType.HS1, sid, msg1));
  }

  /** §S4.5: e_C, ee, se, s_C → check c → es, psk, payload. */
  async #onHs2(blob) {
    if (this.role !== Role.INITIATOR) return this.#fail(FailReason.ROLE_CONFLICT);
    const attempt = this.#attempt;
    // HS2 is never processed without a stored COMMIT (§S4.8).
    if (this.state !== ChannelState.WAIT_HS2 || !equalConstantTime(blob.sid, attempt.sid)) return this.#ignore();
    const ctx = this.#ctx;
    attempt.hs.psk = ctx.psks().current.slice();
    let keyChanged = false;
    try {
      await attempt.hs.readMessage(blob.message, {
        onRemoteStatic: async (rs, re) => {
          const expected = await commitment(ctx.room, this.peerId, ctx.selfId, re, rs);
          if (!equalConstantTime(expected, attempt.c)) throw new NoiseError(NoiseFailure.FORMAT, 'HS2 does not match the commitment');
          if (this.pinnedStatic && !equalConstantTime(this.pinnedStatic, rs)) {
            keyChanged = true;
            throw new NoiseError(NoiseFailure.FORMAT, 'static key changed');
          }
        },
      });
    } catch (error) {
      if (keyChanged) return this.#fail(FailReason.KEY_CHANGED);
      const afterPsk = attempt.hs.beforePsk !== null;
      if (!afterPsk || error.reason === NoiseFailure.BAD_DH) return this.#fail(FailReason.TAMPER, error);
      // The payload tag failed after the psk token: a different link or tampering (§S4.5).
      // RESYNC makes C fail the same way instead of timing out.
      ctx.send(encodeBlob(BlobType.RESYNC, attempt.sid));
      const reason = await this.#diagnose(attempt.hs, blob.message.subarray(blob.message.length - 16));
      return this.#fail(reason);
    }
    const [initiatorToCommitter, committerToInitiator] = await attempt.hs.split();
    // I is confirmed when HS2 verifies (§S4.6); its first TRANSPORT is hello.
    await this.#confirm(attempt, { send: initiatorToCommitter, receive: committerToInitiator });
  }

  /**
   * §S4.9: replay the step from just before the psk token with the zero PSK (the peer has no
   * secret) and with the previous generation's PSK (the peer has the old link). Only a diagnosis:
   * a channel is never accepted on such a retry.
   */
  async #diagnose(hs, payloadTag) {
    const { current, previous } = this.#ctx.psks();
    if (isZero(current)) return FailReason.NO_SECRET; // I am the one without the secret
    const tryPsk = async (psk) => {
      const trial = hs.beforePsk.clone();
      await trial.mixKeyAndHash(psk);
      try {
        await trial.decryptAndHash(payloadTag);
        return true;
      } catch {
        return false;
      }
    };
    if (await tryPsk(ZERO_PSK)) return FailReason.NO_SECRET;
    if (previous && await tryPsk(previous)) return FailReason.OLD_LINK;
    return FailReason.LINK_OR_TAMPER;
  }

  // --- both roles --------------------------------------------------------------------------

  async #onTransport(blob) {
    const attempt = this.#attempt;
    // C: the first TRANSPORT of the attempt is its confirmation (§S4.6).
    if (this.role === Role.COMMITTER && this.state === ChannelState.WAIT_CONFIRM && equalConstantTime(blob.sid, attempt.sid)) {
      const json = await openTransport(attempt.keys.receive, attempt.sid, blob.ciphertext);
      if (json === null) return this.#fail(FailReason.LINK_OR_TAMPER);
      const message = parseMessage(json);
      if (message === null || message.t !== 'hello') return this.#fail(FailReason.TAMPER);
      await this.#confirm(attempt, attempt.keys, message);
      return;
    }
    const session = this.#session;
    if (!session || session.broken || !equalConstantTime(blob.sid, session.sid)) return this.#ignore();
    const json = await openTransport(session.receive, session.sid, blob.ciphertext);
    const message = json === null ? null : parseMessage(json);
    // hello comes first each way (§S5); anything else first is a violation, like a bad tag.
    if (message === null || (!session.helloReceived && message.t !== 'hello')) return this.#broken();
    session.helloReceived = true;
    await this.#ctx.notify(this, 'message', { message });
  }

  async #onResync(blob) {
    const attempt = this.#attempt;
    if (this.role === Role.COMMITTER && this.state === ChannelState.WAIT_CONFIRM && equalConstantTime(blob.sid, attempt.sid)) {
      // I could not verify HS2. C holds no ciphertext under I's PSK, so it can diagnose only its
      // own missing secret (docs/e2ee.md, correction 2).
      return this.#fail(isZero(this.#ctx.psks().current) ? FailReason.NO_SECRET : FailReason.LINK_OR_TAMPER);
    }
    const session = this.#session;
    if (session && !session.broken && equalConstantTime(blob.sid, session.sid)) return this.#broken();
    return this.#ignore();
  }

  /** Both: the session is confirmed. Pins on the first success, computes the SAS, sends hello. */
  async #confirm(attempt, keys, firstMessage = null) {
    const hs = attempt.hs;
    const h = hs.handshakeHash;
    const peerStatic = hs.rs.slice();
    if (this.pinnedStatic && !equalConstantTime(this.pinnedStatic, peerStatic)) return this.#fail(FailReason.KEY_CHANGED);
    if (!this.pinnedStatic) {
      this.pinnedStatic = peerStatic;
      this.sas = await sasBytes(h);
    }
    hs.forgetSecrets(); // §S4.6: delete e and ck
    this.#clearTimer('step');
    this.#clearTimer('broken');
    this.#session = { sid: attempt.sid, send: keys.send, receive: keys.receive, h, helloReceived: firstMessage !== null, broken: false };
    this.#attempt = null;
    this.failure = null;
    this.#setState(ChannelState.ESTABLISHED);
    await this.sendMessage(this.#ctx.hello()); // hello first, each way (§S5)
    await this.#ctx.notify(this, 'established');
    if (firstMessage) await this.#ctx.notify(this, 'message', { message: firstMessage });
  }

  /** A bad TRANSPORT on the session: stop sending keys; C re-handshakes, I asks with RESYNC. */
  async #broken() {
    const session = this.#session;
    session.broken = true;
    // A newer attempt already in flight keeps its WAIT_* state, so its next message still counts.
    if (!this.#attempt) this.#setState(ChannelState.BROKEN);
    await this.#ctx.notify(this, 'broken');
    this.#armTimer('broken', this.config.brokenToDepartedMs, async () => {
      if (!this.established) await this.#depart('broken');
    });
    if (this.role === Role.COMMITTER) {
      if (this.#takeRetry()) await this.#commit();
    } else {
      this.#ctx.send(encodeBlob(BlobType.RESYNC, session.sid));
    }
  }

  async #fail(reason, error) {
    this.#clearTimer('step');
    this.#forgetAttempt();
    // An attempt that fails while an older session still works leaves that session alone
    // ("keep the old channel until the new one is ESTABLISHED"), except for the fatal reasons.
    const fatal = reason === FailReason.KEY_CHANGED || reason === FailReason.ROLE_CONFLICT;
    if (this.established && !fatal) {
      this.#setState(ChannelState.ESTABLISHED);
      await this.#ctx.notify(this, 'attempt-failed', { reason, error });
      return;
    }
    this.failure = reason;
    this.#session = null;
    this.#setState(ChannelState.FAILED);
    await this.#ctx.notify(this, 'failed', { reason, error });
    if (reason === FailReason.KEY_CHANGED || reason === FailReason.ROLE_CONFLICT || reason === FailReason.TAMPER) {
      await this.#ctx.notify(this, 'alarm', { reason });
    }
    if (reason === FailReason.KEY_CHANGED) await this.#depart(reason);
    const linkFailure = reason === FailReason.LINK_OR_TAMPER || reason === FailReason.NO_SECRET || reason === FailReason.OLD_LINK;
    // One automatic retry after 3 s (rotation races), then manual (§S4.8). C drives it; I accepts
    // one more COMMIT in FAILED.
    if (linkFailure && this.role === Role.COMMITTER && !this.#autoLinkRetryUsed) {
      this.#autoLinkRetryUsed = true;
      this.#armTimer('retry', this.config.linkFailureRetryMs, async () => {
        if (this.state === ChannelState.FAILED && this.#takeRetry()) await this.#commit();
      });
    }
  }

  async #depart(reason) {
    if (this.departed) return;
    this.departed = true;
    await this.#ctx.notify(this, 'departed', { reason });
  }

  #ignore() {
    this.ignored++;
  }

  /** Retries: ≤ 3 per peer per minute and ≤ 10 per meeting (§S4.8). */
  #takeRetry() {
    const now = this.#ctx.clock.now();
    this.#retryTimes = this.#retryTimes.filter((t) => now - t < 60_000);
    if (this.#retryTimes.length >= this.config.retriesPerPeerPerMinute) return false;
    if (this.#ctx.meetingRetries.remaining <= 0) return false;
    this.#ctx.meetingRetries.remaining--;
    this.#retryTimes.push(now);
    return true;
  }

  /** Every step times out after 15 s: retry from NEW with a fresh ephemeral, else TIMEOUT. */
  #armStepTimer() {
    this.#armTimer('step', this.config.stepTimeoutMs, async () => {
      const waiting = this.state.startsWith('WAIT_');
      if (!waiting) return;
      if (!this.#takeRetry()) return this.#fail(FailReason.TIMEOUT);
      if (this.role === Role.COMMITTER) return this.#commit();
      this.#forgetAttempt();
      if (this.established) return this.#setState(ChannelState.ESTABLISHED);
      this.#setState(ChannelState.WAIT_COMMIT);
      this.#armStepTimer();
      this.#sendPoke();
    });
  }

  #armTimer(name, ms, fn) {
    this.#clearTimer(name);
    const clock = this.#ctx.clock;
    this.#timers[name] = clock.setTimeout(() => {
      delete this.#timers[name];
      this.#ctx.schedule(async () => {
        if (this.state !== ChannelState.DEAD) await fn();
      });
    }, ms);
  }

  #clearTimer(name) {
    if (this.#timers[name] !== undefined) {
      this.#ctx.clock.clearTimeout(this.#timers[name]);
      delete this.#timers[name];
    }
  }

  #clearTimers() {
    for (const name of Object.keys(this.#timers)) this.#clearTimer(name);
  }

  #forgetAttempt() {
    if (this.#attempt) this.#attempt.hs.forgetSecrets();
    this.#attempt = null;
  }

  #setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.#ctx.notify(this, 'state', { state });
  }
}

/** JSON object with a string `t`, or null (§S5: a malformed message is dropped). */
export function parseMessage(json) {
  try {
    const message = JSON.parse(json);
    if (typeof message !== 'object' || message === null || Array.isArray(message) || typeof message.t !== 'string') return null;
    return message;
  } catch {
    return null;
  }
}
