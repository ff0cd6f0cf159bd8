// The room code (E2EE-SPEC.md §S8): one 7-emoji code for the whole room, from a commit-then-
// reveal round over the pairwise channels. Everyone's random r is committed before anyone
// reveals, so a server that shows two groups different views cannot grind the views until the
// short codes collide. This module is the pure round; participant.js sends and receives.
//
//   rid  = SHA-256("sotto/v1/room-view" ‖ lp16(ROOM) ‖ u16(n) ‖ Σ(lp8(ID) ‖ s_pub))  sorted by ID
//   c    = SHA-256("sotto/v1/room-commit" ‖ rid ‖ lp8(ID_self) ‖ r)
//   code = HKDF(rid ‖ Σ sorted(lp8(ID) ‖ r_ID), "sotto/v1/room-code", 6)

import { concat, equalConstantTime, hkdf, lp16, lp8, u16, utf8 } from './bytes.js';
import { sha256 } from './noise.js';
import { compareBytes } from './pair-crypto.js';

export const ROOM_R_BYTES = 32;

function sortedById(entries) {
  return [...entries].sort((a, b) => compareBytes(utf8(a.id), utf8(b.id)));
}

/** rid of a view [{id, staticPublic}] (self included). */
export function roomViewId(room, view) {
  const members = sortedById(view).map(({ id, staticPublic }) => concat(lp8(utf8(id)), staticPublic));
  return sha256(utf8('sotto/v1/room-view'), lp16(room), u16(view.length), ...members);
}

export function roomCommit(rid, selfId, r) {
  return sha256(utf8('sotto/v1/room-commit'), rid, lp8(utf8(selfId)), r);
}

/** The 6 code bytes from rid and everyone's revealed r: [{id, r}]. */
export function roomCodeBytes(rid, reveals) {
  const parts = sortedById(reveals).map(({ id, r }) => concat(lp8(utf8(id)), r));
  return hkdf(concat(rid, ...parts), utf8('sotto/v1/room-code'), 6);
}

/**
 * One round for one view. Feed it the peers' commits and reveals; it says when I may reveal and
 * when the code is ready. A reveal that does not match its commit is a TAMPER alarm.
 */
export class RoomCodeRound {
  rid;
  r;
  c;
  selfId;
  /** Peer ids of the view (without me). */
  peers;
  #commits = new Map();
  #reveals = new Map();
  revealed = false;
  code = null;

  static async start(room, selfId, view, r = crypto.getRandomValues(new Uint8Array(ROOM_R_BYTES))) {
    const round = new RoomCodeRound();
    round.selfId = selfId;
    round.peers = view.map((entry) => entry.id).filter((id) => id !== selfId);
    round.n = view.length;
    round.rid = await roomViewId(room, view);
    round.r = r;
    round.c = await roomCommit(round.rid, selfId, r);
    return round;
  }

  /** An rc_commit from a peer of this view for this rid (others are the caller's business). */
  acceptCommit(from, c) {
    if (!this.peers.includes(from) || this.#commits.has(from)) return;
    this.#commits.set(from, c.slice());
  }

  /** §S8.3: reveal only after every peer in V sent rc_commit with my rid. */
  get readyToReveal() {
    return !this.revealed && this.peers.every((id) => this.#commits.has(id));
  }

  /** Peers that have not committed to my rid yet (§S8.4 "waiting for X"). */
  get missingCommits() {
    return this.peers.filter((id) => !this.#commits.has(id));
  }

  /** Peers whose reveal is still missing. */
  get missingReveals() {
    return this.peers.filter((id) => !this.#reveals.has(id));
  }

  /**
   * An rc_reveal. Returns 'tamper' when it does not match the commit, 'ignored' when there is no
   * commit from that peer, otherwise 'ok' (and computes the code once every reveal is in).
   */
  async acceptReveal(from, r) {
    const committed = this.#commits.get(from);
    if (!committed || this.#reveals.has(from)) return 'ignored';
    if (!equalConstantTime(await roomCommit(this.rid, from, r), committed)) return 'tamper';
    this.#reveals.set(from, r.slice());
    if (this.revealed) await this.#complete();
    return 'ok';
  }

  /** After my own reveal was sent: the code may already be complete (reveals came first). */
  async markRevealed() {
    this.revealed = true;
    await this.#complete();
  }

  async #complete() {
    if (this.code !== null || this.missingReveals.length > 0) return;
    const reveals = [{ id: this.selfId, r: this.r }, ...[...this.#reveals].map(([id, r]) => ({ id, r }))];
    this.code = await roomCodeBytes(this.rid, reveals);
  }
}
