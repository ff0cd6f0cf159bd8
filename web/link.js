// The first module to run (app.js imports it before anything else): it reads the link secret from the
// fragment, keeps it only in memory and removes the fragment from the address bar (E2EE-SPEC §S2), so it
// stays out of screen shares, bookmarks and history. The fragment is never sent to the server.

const SECRET_BYTES = 32;
const SECRET_CHARS = 43; // b64u(32 bytes), unpadded

/** @type {"none" | "ok" | "malformed"} */
export let linkState = "none";
/** @type {Uint8Array | null} */
export let linkSecret = null;

const fragment = location.hash;
if (fragment.length > 1) {
  const match = /^#k=([A-Za-z0-9_-]{43})$/.exec(fragment);
  const bytes = match ? fromBase64Url(match[1]) : null;
  if (bytes && bytes.length === SECRET_BYTES) {
    linkSecret = bytes;
    linkState = "ok";
  } else {
    linkState = "malformed"; // never fall back silently: the page refuses to join
  }
  history.replaceState(null, "", location.pathname + location.search);
}

export function newLinkSecret() {
  const bytes = new Uint8Array(SECRET_BYTES);
  crypto.getRandomValues(bytes);
  return toBase64Url(bytes);
}

export function toBase64Url(bytes) {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  if (text.length !== SECRET_CHARS) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=");
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
