// Test-only stand-ins for the server (no production module imports this file):
// - MemoryRelay relays e2ee blobs like the signaling server (docs/protocol.md): FIFO per
//   (from, to), `from` added by the relay, and records everything it relayed so tests can look
//   for leaks. A `tap` lets a test play a malicious server: drop, reorder, replay, rewrite,
//   redirect or inject blobs.
// - makeRoom builds n participants on one relay and one fake clock, each with a real FrameKeyring.

import { FrameKeyring } from '../keyring.js';
import { E2eeParticipant } from '../participant.js';
import { FakeClock } from './fake-clock.js';

export class MemoryRelay {
  /** id → {receive(from, bytes)} */
  endpoints = new Map();
  /** Every blob the relay forwarded: {from, to, bytes}. */
  log = [];
  #queue = [];
  #scheduled = false;
  /**
   * (from, to, bytes) → array of {from, to, bytes} to deliver instead (empty array = drop);
   * undefined = deliver unchanged.
   */
  tap = null;

  attach(id, endpoint) {
    this.endpoints.set(id, endpoint);
  }

  /** The transport handed to a participant: what the page's signaling client does. */
  transportFor(id) {
    return { send: (to, bytes) => this.relay(id, to, bytes) };
  }

  relay(from, to, bytes) {
    const copy = bytes.slice();
    const out = this.tap ? this.tap(from, to, copy) : undefined;
    for (const item of out ?? [{ from, to, bytes: copy }]) this.#queue.push(item);
    this.#schedule();
  }

  /** Puts a blob on the wire as if `from` had sent it (for replays and injections). */
  inject(from, to, bytes) {
    this.#queue.push({ from, to, bytes: bytes.slice() });
    this.#schedule();
  }

  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      while (this.#queue.length > 0) {
        const item = this.#queue.shift();
        this.log.push(item);
        this.endpoints.get(item.to)?.receive(item.from, item.bytes);
      }
    });
  }

  get idle() {
    return this.#queue.length === 0 && !this.#scheduled;
  }
}

// setImmediate in node; a zero timeout in browsers (browser-check/protocol-check.js runs this too).
const tick = () => new Promise((resolve) => (globalThis.setImmediate ?? globalThis.setTimeout)(resolve, 0));

/** Waits until the relay (or every relay of an array) is empty and no participant has work queued. */
export async function settle(relays, participants) {
  const all = Array.isArray(relays) ? relays : [relays];
  let quiet = 0;
  while (quiet < 3) {
    await tick();
    const busy = all.some((relay) => !relay.idle) || participants.some((p) => p.busy);
    if (busy) {
      quiet = 0;
      await Promise.all(participants.map((p) => p.whenIdle()));
    } else {
      quiet++;
    }
  }
}

/**
 * A room of participants p1..pn (ids "p1".. unless given) on one relay and one fake clock.
 * @returns {{clock, relay, parts: E2eeParticipant[], events: Map<string, object[]>, settle, advance,
 *   join(part), add(options)}}
 */
export async function makeRoom({ ids = ['p1', 'p2', 'p3'], secret = new Uint8Array(32).fill(7), secrets = {}, room = new TextEncoder().encode('room'), config = {}, admitted = {}, connect = true } = {}) {
  const clock = new FakeClock();
  const relay = new MemoryRelay();
  const parts = [];
  const events = new Map();
  const frames = new Map();
  const ctx = {
    clock, relay, parts, events, frames,
    settle: () => settle(relay, parts),
    advance: (ms) => clock.advance(ms, () => settle(relay, parts)),
    /** Creates a participant and attaches it to the relay (not yet announced to anyone). */
    async add(id, options = {}) {
      const log = [];
      events.set(id, log);
      const keyring = new FrameKeyring({ now: clock.now });
      frames.set(id, keyring);
      const slot = options.slot ?? parts.length + 1;
      const part = await E2eeParticipant.create({
        room, selfId: id, slot, secret: id in secrets ? secrets[id] : secret, name: `name-${id}`,
        transport: relay.transportFor(id), frames: keyring, clock, config, admitted: admitted[id] ?? true,
        onEvent: (type, detail) => log.push({ type, ...detail, at: clock.now() }), ...options,
      });
      parts.push(part);
      relay.attach(id, part);
      return part;
    },
    /** The server announces everyone to everyone (welcome lists / joined events). */
    async announceAll() {
      for (const a of parts) for (const b of parts) if (a !== b) a.peerJoined(b.selfId, { slot: b.slot, admitted: admitted[b.selfId] ?? true });
      await ctx.settle();
    },
    /** A newcomer joins: it learns everyone, everyone learns it. */
    async join(part) {
      for (const other of parts) {
        if (other === part) continue;
        part.peerJoined(other.selfId, { slot: other.slot });
        other.peerJoined(part.selfId, { slot: part.slot, admitted: admitted[part.selfId] ?? true });
      }
      await ctx.settle();
    },
    /** The server announces that `id` left to everyone else. */
    async leave(id) {
      for (const other of parts) if (other.selfId !== id) other.peerLeft(id);
      relay.endpoints.delete(id);
      await ctx.settle();
    },
    byId: (id) => parts.find((p) => p.selfId === id),
    eventsOf: (id, type) => events.get(id).filter((e) => e.type === type),
  };
  for (const id of ids) await ctx.add(id);
  if (connect) {
    await ctx.announceAll();
    await ctx.advance(2_000); // join debounce and room-code debounce
  }
  return ctx;
}
