// node --test web/link-state.test.js — what the first module to run does with the address bar
// (E2EE-SPEC §S2). The parsing itself is tested in web/e2ee/link.test.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LinkState, readLink, newLinkSecret, fullLink } from "./link-state.js";
import { b64uDecode } from "./e2ee/bytes.js";

function fakeWindow(path, hash = "") {
  const calls = [];
  const win = {
    location: { href: `http://localhost${path}${hash}`, pathname: path, search: "", origin: "http://localhost" },
    history: { replaceState: (...args) => calls.push(args) },
  };
  return { win, calls };
}

const SECRET = "_-" + "A".repeat(40) + "Q";

test("a #k= secret is read into memory and the fragment is removed from the address bar", () => {
  const { win, calls } = fakeWindow("/stage-deny-youth-plunge-book-shift", "#k=" + SECRET);
  const link = readLink(win);
  assert.equal(link.state, LinkState.OK);
  assert.equal(link.secret.length, 32);
  assert.deepEqual(link.room, new TextEncoder().encode("stage-deny-youth-plunge-book-shift"));
  assert.deepEqual(calls, [[null, "", "/stage-deny-youth-plunge-book-shift"]]);
  assert.equal(fullLink(win, link.secret), "http://localhost/stage-deny-youth-plunge-book-shift#k=" + SECRET);
});

test("a room without '#' has no secret, and the address is left alone", () => {
  const { win, calls } = fakeWindow("/room");
  const link = readLink(win);
  assert.equal(link.state, LinkState.NONE);
  assert.equal(link.secret, null);
  assert.deepEqual(calls, []);
});

for (const bad of ["#", "#k=short", "#k=" + "A".repeat(44), "#x=" + "A".repeat(43), "#k=" + "A".repeat(42) + "*", "#secret"]) {
  test(`a malformed fragment (${bad.slice(0, 12)}) is refused, never ignored, and still removed`, () => {
    const { win, calls } = fakeWindow("/room", bad);
    const link = readLink(win);
    assert.equal(link.state, LinkState.MALFORMED);
    assert.equal(link.secret, null);
    assert.equal(calls.length, 1);
  });
}

test("the home page has no room; a stray fragment there is removed too", () => {
  const { win, calls } = fakeWindow("/", "#k=" + SECRET);
  assert.equal(readLink(win).state, LinkState.HOME);
  assert.equal(calls.length, 1);
  assert.equal(readLink(fakeWindow("/").win).state, LinkState.HOME);
});

test("new link secrets are 32 random bytes as 43 base64url characters", () => {
  const a = newLinkSecret();
  const b = newLinkSecret();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(b64uDecode(a, 32).length, 32);
  assert.notEqual(a, b);
});
