// node --test web/ui/home.test.js — what the home screen's join box makes of what people paste or type.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJoinInput, roomPath } from "./home.js";

const ORIGIN = "https://sotto.example";

test("a pasted full link keeps its path and fragment", () => {
  assert.deepEqual(parseJoinInput("  https://sotto.example/stage-deny-youth#k=abc  ", ORIGIN), { kind: "link", path: "/stage-deny-youth", hash: "#k=abc" });
  assert.deepEqual(parseJoinInput("/room-x#k=abc", ORIGIN), { kind: "link", path: "/room-x", hash: "#k=abc" });
  assert.deepEqual(parseJoinInput("http://other.host/room-y", ORIGIN), { kind: "link", path: "/room-y", hash: "" });
});

test("anything else is a room name; empty and path-less links are nothing", () => {
  assert.deepEqual(parseJoinInput("наша встреча", ORIGIN), { kind: "name", name: "наша встреча" });
  assert.equal(parseJoinInput("   ", ORIGIN), null);
  assert.equal(parseJoinInput("https://sotto.example/", ORIGIN), null);
});

test("room paths are percent-encoded", () => {
  assert.equal(roomPath("a b/c"), "/a%20b%2Fc");
});
