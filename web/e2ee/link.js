// The meeting link `https://host/<room>#k=<secret>` (E2EE-SPEC.md §S2, DESIGN.md §1.6).
// The room name is what the server sees; the fragment never leaves the browser and carries the
// only credential. This module turns a link into ROOM bytes and the optional 32-byte secret S,
// and derives from them the keys that depend only on the link.

import { b64uDecode, concat, hkdf, lp16, utf8 } from './bytes.js';

export const LINK_SECRET_LENGTH = 32;
export const ROOM_MIN_BYTES = 1;
export const ROOM_MAX_BYTES = 256;

const FRAGMENT_PREFIX = 'k=';
const SECRET_CHARS = 43; // b64u of 32 bytes, no padding

/** Why a link was refused; shown to the user as "the link is incomplete" or similar (§S13). */
export const LinkProblem = Object.freeze({
  MALFORMED_FRAGMENT: 'malformed-fragment',
  BAD_ROOM: 'bad-room',
});

/**
 * A link that must not be used to join. §S2: anything after `#` other than `k=` + 43 b64u
 * characters is malformed — refuse, never fall back to joining without the secret.
 */
export class MalformedLinkError extends Error {
  constructor(problem, detail) {
    super(`malformed link (${problem}): ${detail}`);
    this.name = 'MalformedLinkError';
    this.problem = problem;
  }
}

/**
 * The secret S from the fragment text (what follows `#`), or null when the link has no `#` at all.
 * @param {string|null} fragment text after '#', or null when there is no '#'
 * @returns {Uint8Array|null}
 * @throws {MalformedLinkError}
 */
export function parseLinkFragment(fragment) {
  if (fragment === null || fragment === undefined) return null;
  // An empty fragment ("room#") is a link cut short, not a link without a secret.
  if (!fragment.startsWith(FRAGMENT_PREFIX) || fragment.length !== FRAGMENT_PREFIX.length + SECRET_CHARS) {
    throw new MalformedLinkError(LinkProblem.MALFORMED_FRAGMENT, 'expected #k= and 43 characters');
  }
  const secret = b64uDecode(fragment.slice(FRAGMENT_PREFIX.length), LINK_SECRET_LENGTH);
  if (secret === null) {
    throw new MalformedLinkError(LinkProblem.MALFORMED_FRAGMENT, 'the secret is not base64url');
  }
  return secret;
}

/**
 * ROOM = UTF-8(NFC(percent-decode(first path segment))), 1–256 bytes (§S2). NFC makes a Cyrillic
 * name typed with combining marks (NFD, e.g. "й" as "и" + U+0306) give the same bytes, hence the
 * same keys. The server computes the same bytes from the same path.
 * @param {string} pathname e.g. location.pathname, "/%D0%B9..."
 * @returns {Uint8Array}
 * @throws {MalformedLinkError}
 */
export function roomFromPathname(pathname) {
  const segment = (pathname.startsWith('/') ? pathname.slice(1) : pathname).split('/')[0];
  let decoded;
  try {
    decoded = decodeURIComponent(segment); // throws on a stray '%' or invalid UTF-8
  } catch {
    throw new MalformedLinkError(LinkProblem.BAD_ROOM, 'the room name is not valid percent-encoded UTF-8');
  }
  const room = utf8(decoded.normalize('NFC'));
  if (room.length < ROOM_MIN_BYTES || room.length > ROOM_MAX_BYTES) {
    throw new MalformedLinkError(LinkProblem.BAD_ROOM, `the room name must be ${ROOM_MIN_BYTES}–${ROOM_MAX_BYTES} bytes`);
  }
  return room;
}

/**
 * Parses a whole link. The fragment is split off by hand rather than with URL.hash, which
 * reports "" both for "no '#'" and for an empty fragment — the latter must be refused.
 * @param {string} href
 * @returns {{room: Uint8Array, secret: Uint8Array|null}}
 * @throws {MalformedLinkError}
 */
export function parseLink(href) {
  const hashAt = href.indexOf('#');
  const fragment = hashAt < 0 ? null : href.slice(hashAt + 1);
  const base = hashAt < 0 ? href : href.slice(0, hashAt);
  let pathname;
  try {
    pathname = new URL(base).pathname;
  } catch {
    throw new MalformedLinkError(LinkProblem.BAD_ROOM, 'not a URL');
  }
  return { room: roomFromPathname(pathname), secret: parseLinkFragment(fragment) };
}

/**
 * What the first module to run does (§S2): read the link from the address bar, then remove the
 * fragment from it with history.replaceState — even when the fragment is malformed, since a
 * damaged secret is still (part of) a secret — so it stays out of the URL bar, screen shares and
 * bookmarks. The secret then lives only in memory.
 * @param {{location: Location, history: History}} win globalThis in a page; fakes in tests
 */
export function takeLinkFromAddressBar(win = globalThis) {
  const href = win.location.href;
  if (href.includes('#')) {
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
  }
  return parseLink(href);
}

/**
 * PSK = HKDF(S, "sotto/v1/psk" ‖ lp16(ROOM), 32) with a link secret; 32 zero bytes without one
 * (§S2: the Noise dummy PSK, so both modes look identical on the wire).
 */
export async function linkPsk(secret, room) {
  if (secret === null || secret === undefined) return new Uint8Array(32);
  return hkdf(secret, concat(utf8('sotto/v1/psk'), lp16(room)), 32);
}
