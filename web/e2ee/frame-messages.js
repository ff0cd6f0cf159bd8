// Messages between the page and the frame Worker (DESIGN.md §6: frame crypto only in a Worker,
// messages tagged with `kind`). Every request carries a numeric `id`; the worker answers each
// with {kind: REPLY, id, error?, stats?} so the page can await, e.g., "key installed" before it
// attaches a track.

export const FrameMessage = Object.freeze({
  /** {slot: u16} — own slot from the server's welcome (§S2). */
  SET_OWN_SLOT: 'set-own-slot',
  /** {epoch: u32, key: Uint8Array(16)} — activate my own sender key (§S6). */
  SET_SENDER_KEY: 'set-sender-key',
  /** {epoch} — answered with {used: boolean}: has my key of that epoch encrypted a frame? */
  SENDER_KEY_USED: 'sender-key-used',
  /** {slot, epoch, key} — a peer's key, decrypt-only (§S6 receivers). */
  ADD_RECEIVER_KEY: 'add-receiver-key',
  /** {slot} — the peer left: forget its keys. */
  REMOVE_RECEIVER_SLOT: 'remove-receiver-slot',
  /**
   * {} — every video sender transform asks its encoder for a key frame (a new sender key was just
   * activated, §S6: receivers that only hold the new key can start decoding at once). Answered with
   * {requested: n}.
   */
  REQUEST_KEY_FRAME: 'request-key-frame',
  /** {} — answered with the frame counters. */
  GET_STATS: 'get-stats',
  /** worker → page: {id, error?: string, stats?: object} */
  REPLY: 'reply',
});

/** The `side` of a transform's options. */
export const TransformSide = Object.freeze({
  SEND: 'send',
  RECEIVE: 'recv',
});
