// The first module to run (app.js imports it before anything else): it takes the link from the
// address bar with web/e2ee/link.js — which removes the fragment with history.replaceState before
// parsing, so the secret stays out of the URL bar, screen shares and bookmarks (E2EE-SPEC §S2) —
// and keeps the result only in memory. The fragment is never sent to the server.

import { MalformedLinkError, takeLinkFromAddressBar } from "./e2ee/link.js";
import { b64uEncode } from "./e2ee/bytes.js";

/** What the address bar held when the page loaded. */
export const LinkState = Object.freeze({
  HOME: "home", //           no room in the path: the home page
  OK: "ok", //               /<room>#k=<43 characters>
  NONE: "none", //           /<room> without '#': joins, but the media key is known to the server
  MALFORMED: "malformed", // anything else after '#', or a room name that cannot be used: never join
});

/**
 * Reads the link once. Never throws: a malformed link becomes {state: MALFORMED}, so the page can
 * say "the link is incomplete" instead of joining without the secret the link promised.
 * @param {{location: Location, history: History}} win globalThis in a page; fakes in tests
 * @returns {{state: string, room: Uint8Array|null, secret: Uint8Array|null}}
 */
export function readLink(win = globalThis) {
  const hasRoom = win.location.pathname.split("/").some((s) => s.length > 0);
  try {
    const { room, secret } = takeLinkFromAddressBar(win);
    return { state: secret ? LinkState.OK : LinkState.NONE, room, secret };
  } catch (e) {
    if (!(e instanceof MalformedLinkError)) throw e;
    return { state: hasRoom ? LinkState.MALFORMED : LinkState.HOME, room: null, secret: null };
  }
}

/** The link of this page load (null outside a browser, e.g. when node tests import this module). */
export const pageLink = typeof location === "undefined" ? null : readLink(globalThis);

/** A fresh link secret for "Start a call": 32 random bytes as 43 base64url characters (§S2). */
export function newLinkSecret() {
  return b64uEncode(crypto.getRandomValues(new Uint8Array(32)));
}

/** The full link rebuilt from memory (the address bar no longer has the fragment). */
export function fullLink(win, secret) {
  const base = `${win.location.origin}${win.location.pathname}`;
  return secret ? `${base}#k=${b64uEncode(secret)}` : base;
}
