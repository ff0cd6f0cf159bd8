// node --test web/link.test.js — the fragment handling of the first module to run (E2EE-SPEC §S2).
import { test } from "node:test";
import assert from "node:assert/strict";

function page(hash) {
  const calls = [];
  globalThis.location = { hash, pathname: "/stage-deny-youth-plunge-book-shift", search: "" };
  globalThis.history = { replaceState: (...args) => calls.push(args) };
  return calls;
}

let instance = 0;
const load = () => import(`./link.js?instance=${instance++}`); // a fresh module per page load

test("a #k= secret of 43 base64url characters is read into memory and removed from the address bar", async () => {
  const secret = "_-" + "A".repeat(40) + "Q";
  const calls = page("#k=" + secret);
  const link = await load();
  assert.equal(link.linkState, "ok");
  assert.equal(link.linkSecret.length, 32);
  assert.equal(link.toBase64Url(link.linkSecret), secret);
  assert.deepEqual(calls, [[null, "", "/stage-deny-youth-plunge-book-shift"]]);
});

test("no fragment means no secret, and the address is left alone", async () => {
  const calls = page("");
  const link = await load();
  assert.equal(link.linkState, "none");
  assert.equal(link.linkSecret, null);
  assert.deepEqual(calls, []);
});

for (const bad of ["#k=short", "#k=" + "A".repeat(44), "#x=" + "A".repeat(43), "#k=" + "A".repeat(42) + "*", "#secret"]) {
  test(`a malformed fragment (${bad.slice(0, 12)}…) is refused, never ignored, and still removed`, async () => {
    const calls = page(bad);
    const link = await load();
    assert.equal(link.linkState, "malformed");
    assert.equal(link.linkSecret, null);
    assert.equal(calls.length, 1);
  });
}

test("new link secrets are 32 random bytes as 43 base64url characters", async () => {
  page("");
  const link = await load();
  const a = link.newLinkSecret();
  const b = link.newLinkSecret();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, b);
});
