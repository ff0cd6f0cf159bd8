// node --test web/ui/screens.test.js — which error page a server refusal shows, and that the page reads
// in both languages (docs/protocol.md error codes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { pageOfServerError, ErrorPage } from "./screens.js";
import { catalogs } from "../i18n/i18n.js";

test("a full room (members or the media limit) shows the room-full page", () => {
  assert.equal(pageOfServerError("room-full"), ErrorPage.ROOM_FULL);
  assert.equal(pageOfServerError("slots-exhausted"), ErrorPage.ROOM_FULL);
  // Control: a code the client does not know falls back to the generic page.
  assert.equal(pageOfServerError("no-such-code"), ErrorPage.GENERIC);
});

test("the room-full page has its own title, text and hint in English and Russian", () => {
  for (const part of ["title", "text", "hint"]) {
    const key = `error.${ErrorPage.ROOM_FULL}.${part}`;
    assert.ok(catalogs.en[key], `en is missing ${key}`);
    assert.ok(catalogs.ru[key], `ru is missing ${key}`);
    assert.notEqual(catalogs.ru[key], catalogs.en[key], `${key} is not translated`);
    assert.notEqual(catalogs.en[key], catalogs.en[`error.${ErrorPage.GENERIC}.${part}`]);
  }
});
