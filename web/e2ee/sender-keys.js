// My own sender key schedule (E2EE-SPEC.md §S6): the current key `cur`, an optional pending key
// `pend`, and the triggers that replace them — a peer joins, a peer departs, ten minutes pass.
//
//   join (debounced 300 ms): pend exists → send pend to the newcomer; cur never encrypted a frame
//                            → send cur; else a fresh pend for everyone, deadline now + 5 s
//   departure:               the leaver got pend (or cur, with no pend) → a fresh pend for the
//                            rest; deadline = min(existing, now + 1.5 s)  [docs/e2ee.md C10]
//   periodic:                600 ± 60 s after activation, if cur was used → a fresh pend, + 5 s
//   activation:              every still-eligible recipient acked, or the deadline passed:
//                            cur := pend, the worker's old key is deleted, a key frame requested
//
// The schedule knows peers only by id; the participant tells it who is eligible (ESTABLISHED and
// admitted), sends the key messages, and runs every call and timer in its serial queue.

const MEDIA_KEY_BYTES = 16;
const U32_MAX = 0xffffffff;

export class SenderKeySchedule {
  #cur = null;
  #pend = null;
  #nextEpoch = 0;
  #joinQueue = new Set();
  #frames;
  #now;
  #timers;
  #config;
  #isEligible;
  #eligibleIds;
  #sendKey;
  #emit;

  /**
   * @param {object} deps
   * @param {object} deps.frames setSenderKey(epoch, key), senderKeyUsed(epoch)
   * @param {() => number} deps.now
   * @param {{arm(name, ms, fn), clear(name)}} deps.timers timers whose callbacks run in the owner's queue
   * @param {object} deps.config joinDebounceMs, joinSwitchMs, leaveSwitchMs, periodicRekeyMs, periodicJitterMs
   * @param {(id: string) => boolean} deps.isEligible
   * @param {() => string[]} deps.eligibleIds
   * @param {(id: string, key: {epoch, baseKey}) => Promise<void>} deps.sendKey
   * @param {(type: string, detail: object) => void} deps.emit
   */
  constructor({ frames, now, timers, config, isEligible, eligibleIds, sendKey, emit }) {
    this.#frames = frames;
    this.#now = now;
    this.#timers = timers;
    this.#config = config;
    this.#isEligible = isEligible;
    this.#eligibleIds = eligibleIds;
    this.#sendKey = sendKey;
    this.#emit = emit;
  }

  /** The first key: installed at once, given to peers as they come while unused. */
  async start() {
    this.#cur = { epoch: this.#nextEpoch++, baseKey: crypto.getRandomValues(new Uint8Array(MEDIA_KEY_BYTES)), recipients: new Set() };
    await this.#frames.setSenderKey(this.#cur.epoch, this.#cur.baseKey);
    this.#armPeriodicRekey(); // the first key counts as activated at creation [C12]
  }

  get currentEpoch() {
    return this.#cur?.epoch ?? null;
  }

  get pendingEpoch() {
    return this.#pend?.epoch ?? null;
  }

  /** "N people can decrypt what you send". */
  get decryptorCount() {
    return [...(this.#cur?.recipients ?? [])].filter((id) => this.#isEligible(id)).length;
  }

  holders() {
    return { current: [...(this.#cur?.recipients ?? [])], pending: [...(this.#pend?.recipients ?? [])] };
  }

  /** A peer became eligible: handled together with others arriving within the join debounce. */
  peerEligible(id) {
    this.#joinQueue.add(id);
    this.#timers.arm('join', this.#config.joinDebounceMs, () => this.#onJoinDebounced());
  }

  async #onJoinDebounced() {
    const joined = [...this.#joinQueue].filter((id) => this.#isEligible(id));
    this.#joinQueue.clear();
    // A peer that re-established after BROKEN and still holds the key is no newcomer [C11].
    const newcomers = joined.filter((id) => !this.#cur.recipients.has(id) && !this.#pend?.recipients.has(id));
    if (newcomers.length === 0) return;
    if (this.#pend) {
      for (const id of newcomers) {
        this.#pend.recipients.add(id);
        await this.#sendKey(id, this.#pend);
      }
    } else if (!(await this.#frames.senderKeyUsed(this.#cur.epoch))) {
      // Never used: giving it to the newcomer reveals nothing of the past.
      for (const id of newcomers) {
        this.#cur.recipients.add(id);
        await this.#sendKey(id, this.#cur);
      }
    } else {
      // A key that encrypted anything is never given to a newcomer.
      await this.#newPending(this.#now() + this.#config.joinSwitchMs);
    }
  }

  /** A peer departed (left, BYE, BROKEN > 10 s, KEY_CHANGED, removed). */
  async peerDeparted(id) {
    this.#joinQueue.delete(id);
    const deadline = Math.min(this.#pend?.deadline ?? Infinity, this.#now() + this.#config.leaveSwitchMs);
    const heldPending = this.#pend?.recipients.has(id) ?? false;
    const heldCurrent = this.#cur.recipients.has(id);
    this.#cur.recipients.delete(id);
    if (heldPending || (heldCurrent && !this.#pend)) {
      // The leaver holds the key that is about to be used: make one it never had.
      await this.#newPending(deadline);
    } else if (this.#pend) {
      // The pending key is already unknown to the leaver: just switch to it within 1.5 s [C10].
      this.#pend.recipients.delete(id);
      this.#pend.deadline = deadline;
      this.#armDeadline();
      await this.#maybeActivate();
    }
  }

  /** A `key_ack {epoch}` from a peer. */
  async acknowledged(id, epoch) {
    const pend = this.#pend;
    if (!pend || epoch !== pend.epoch || !pend.recipients.has(id)) return;
    pend.acks.add(id);
    await this.#maybeActivate();
  }

  /** A fresh pending key for every eligible peer; activation on all acks or at the deadline. */
  async #newPending(deadline) {
    this.#discardPending();
    if (this.#nextEpoch > U32_MAX) throw new Error('epochs exhausted');
    const pend = {
      epoch: this.#nextEpoch++, baseKey: crypto.getRandomValues(new Uint8Array(MEDIA_KEY_BYTES)), recipients: new Set(), acks: new Set(), deadline,
    };
    this.#pend = pend;
    for (const id of this.#eligibleIds()) {
      pend.recipients.add(id);
      await this.#sendKey(id, pend);
    }
    this.#armDeadline();
    await this.#maybeActivate();
  }

  #discardPending() {
    if (!this.#pend) return;
    this.#pend.baseKey.fill(0);
    this.#pend = null;
    this.#timers.clear('deadline');
  }

  #armDeadline() {
    this.#timers.arm('deadline', Math.max(0, this.#pend.deadline - this.#now()), () => this.#activate());
  }

  async #maybeActivate() {
    const pend = this.#pend;
    if (!pend) return;
    const waiting = [...pend.recipients].filter((id) => this.#isEligible(id) && !pend.acks.has(id));
    if (waiting.length === 0) await this.#activate();
  }

  /** cur := pend, delete the old key, request a key frame. */
  async #activate() {
    const pend = this.#pend;
    if (!pend) return;
    this.#pend = null;
    this.#timers.clear('deadline');
    await this.#frames.setSenderKey(pend.epoch, pend.baseKey);
    this.#cur.baseKey.fill(0);
    this.#cur = { epoch: pend.epoch, baseKey: pend.baseKey, recipients: new Set([...pend.recipients].filter((id) => this.#isEligible(id))) };
    this.#emit('sender-key-activated', { epoch: pend.epoch, decryptors: this.decryptorCount });
    this.#emit('request-key-frame', {});
    this.#armPeriodicRekey();
  }

  #armPeriodicRekey() {
    const jitter = (Math.random() * 2 - 1) * this.#config.periodicJitterMs;
    this.#timers.arm('periodic', this.#config.periodicRekeyMs + jitter, () => this.#periodicRekey());
  }

  async #periodicRekey() {
    if (this.#pend || !(await this.#frames.senderKeyUsed(this.#cur.epoch))) {
      this.#timers.arm('periodic', this.#config.periodicRekeyMs, () => this.#periodicRekey());
      return;
    }
    await this.#newPending(this.#now() + this.#config.joinSwitchMs);
  }
}
