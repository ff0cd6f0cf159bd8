// node --test web/media/negotiation-queue.test.js — renegotiations never overlap (DESIGN.md §9).
import { test } from "node:test";
import assert from "node:assert/strict";
import { NegotiationQueue } from "./negotiation-queue.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

test("tasks run one at a time, in order, even when each awaits", async () => {
  const queue = new NegotiationQueue();
  const log = [];
  let running = 0;
  const task = (name) => async () => {
    running++;
    assert.equal(running, 1, "two negotiations in flight");
    log.push(`${name}:start`);
    await tick();
    log.push(`${name}:end`);
    running--;
    return name;
  };
  const results = await Promise.all([queue.run(task("a")), queue.run(task("b")), queue.run(task("c"))]);
  assert.deepEqual(results, ["a", "b", "c"]);
  assert.deepEqual(log, ["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
});

test("a failed task rejects its own promise and does not block the next", async () => {
  const queue = new NegotiationQueue();
  const failed = queue.run(async () => { await tick(); throw new Error("refused"); });
  const next = queue.run(async () => "ran");
  await assert.rejects(failed, /refused/);
  assert.equal(await next, "ran");
});

test("positive control: without the queue the same tasks overlap", async () => {
  let running = 0;
  let overlapped = false;
  const task = async () => {
    running++;
    overlapped ||= running > 1;
    await tick();
    running--;
  };
  await Promise.all([task(), task()]);
  assert.equal(overlapped, true);
});
