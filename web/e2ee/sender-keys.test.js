// Sender keys (E2EE-SPEC.md §S6) feeding real FrameKeyrings, and frames (§S7) sent and received
// through the real FrameTransformer (§S16 "Keys and frames"). Time runs on the fake clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { b64uEncode } from './bytes.js';
import { TransformSide } from './frame-messages.js';
import { FrameCounters, FrameTransformer } from './frame-pipeline.js';
import { DropReason, splitKid, Stream } from './frame-policy.js';
import { FrameKeyring } from './keyring.js';
import { parseHeader } from './sframe.js';
import { makeRoom } from './testing/relay.js';

const opusFrame = (bytes) => ({ data: bytes.slice().buffer, getMetadata: () => ({ mimeType: 'audio/opus' }) });

/** Encrypts one Opus frame with a participant's keyring; the wire bytes or null (dropped). */
async function sendFrame(r, id, counters = new FrameCounters()) {
  const sender = new FrameTransformer(r.frames.get(id), counters, { side: TransformSide.SEND, kind: 'audio', stream: Stream.MIC });
  const frame = opusFrame(Uint8Array.of(0xfc, 1, 2, 3, 4, 5));
  return (await sender.process(frame)) ? new Uint8Array(frame.data) : null;
}

/** Whether `keyring` decrypts a wire frame from the participant with `ownerSlot`. */
async function decrypts(keyring, ownerSlot, wire, counters = new FrameCounters()) {
  const receiver = new FrameTransformer(keyring, counters, { side: TransformSide.RECEIVE, kind: 'audio', stream: Stream.MIC, ownerSlot });
  return receiver.process(opusFrame(wire));
}

const epochByteOf = (wire) => splitKid(parseHeader(wire, 0).kid).epochByte;

/** Records every key a participant's keyring is ever given (what a leaver keeps forever). */
function recordKeys(r, id) {
  const ring = r.frames.get(id);
  const leaked = [];
  const install = ring.addReceiverKey.bind(ring);
  ring.addReceiverKey = (slot, epoch, key) => {
    leaked.push({ slot, epoch, key: key.slice() });
    return install(slot, epoch, key);
  };
  return leaked;
}

/** A keyring holding every leaked key of `slot` whose epoch byte matches the frame: can it decrypt? */
async function leakerDecrypts(leaked, slot, wire) {
  for (const { epoch, key } of leaked.filter((k) => k.slot === slot && k.epoch % 256 === epochByteOf(wire))) {
    const ring = new FrameKeyring();
    ring.setOwnSlot(0xfff0);
    ring.addReceiverKey(slot, epoch, key);
    if (await decrypts(ring, slot, wire)) return true;
  }
  return false;
}

/** Holds every blob from `from` to `to` until release() (a slow peer: its key_acks arrive late). */
function holdBlobs(r, from, to) {
  const held = [];
  r.relay.tap = (src, dst, bytes) => {
    if (src === from && dst === to) {
      held.push({ from: src, to: dst, bytes });
      return [];
    }
    return undefined;
  };
  return async () => {
    r.relay.tap = null;
    for (const item of held) r.relay.inject(item.from, item.to, item.bytes);
    await r.settle();
  };
}

async function roomWithLeakers(ids, leakers) {
  const r = await makeRoom({ ids, connect: false });
  const leaked = Object.fromEntries(leakers.map((id) => [id, recordKeys(r, id)]));
  await r.announceAll();
  await r.advance(2_000);
  return { r, leaked };
}

/** Sends a frame from p1 every 100 ms for `steps` steps; returns [{at, wire}]. */
async function framesOverTime(r, steps) {
  const out = [];
  for (let i = 0; i < steps; i++) {
    await r.advance(100);
    out.push({ at: r.clock.now(), wire: await sendFrame(r, 'p1') });
  }
  return out;
}

test('everyone decrypts everyone; a peer that was never given a key decrypts nothing (control)', async () => {
  const r = await makeRoom();
  for (const sender of r.parts) {
    const wire = await sendFrame(r, sender.selfId);
    for (const receiver of r.parts) {
      if (receiver === sender) continue;
      assert.ok(await decrypts(r.frames.get(receiver.selfId), sender.slot, wire), `${receiver.selfId} ← ${sender.selfId}`);
    }
    assert.equal(sender.decryptorCount, 2);
  }
  const outsider = new FrameKeyring();
  outsider.setOwnSlot(77);
  outsider.addReceiverKey(1, 0, new Uint8Array(16)); // a wrong key for slot 1, epoch 0
  const counters = new FrameCounters();
  assert.equal(await decrypts(outsider, 1, await sendFrame(r, 'p1'), counters), false);
  assert.deepEqual(counters.snapshot().receiveDropped, { [DropReason.AUTH_FAILED]: 1 });
});

for (const variant of ['acks arrive', 'acks held: deadline']) {
  test(`leave at t0 (${variant}): every frame after t0 + 1.5 s uses a key the leaver never had`, async () => {
    const { r, leaked } = await roomWithLeakers(['p1', 'p2', 'p3'], ['p3']);
    const before = await sendFrame(r, 'p1'); // cur is now used
    assert.ok(await leakerDecrypts(leaked.p3, 1, before), 'control: the leaver could read frames before it left');
    const release = variant.startsWith('acks held') ? holdBlobs(r, 'p2', 'p1') : null;
    const t0 = r.clock.now();
    await r.leave('p3');
    const frames = await framesOverTime(r, 25);
    const late = frames.filter((f) => f.at > t0 + 1_500);
    assert.ok(late.length >= 9);
    for (const { wire, at } of late) {
      assert.equal(await leakerDecrypts(leaked.p3, 1, wire), false, `frame at t0+${at - t0} ms`);
      assert.ok(!leaked.p3.some((k) => k.slot === 1 && k.epoch === r.byId('p1').currentEpoch));
      assert.ok(await decrypts(r.frames.get('p2'), 1, wire), 'the remaining peer still decrypts');
    }
    if (release) {
      // With the acks held, the switch waited for the deadline, not longer.
      const switched = r.eventsOf('p1', 'sender-key-activated').at(-1);
      assert.ok(switched.at <= t0 + 1_500 && switched.at > t0, `switched at t0+${switched.at - t0}`);
      await release();
    }
  });
}

test('two leaves 0.5 s apart: after t0 + 1.5 s frames use a key neither leaver had', async () => {
  const { r, leaked } = await roomWithLeakers(['p1', 'p2', 'p3', 'p4'], ['p3', 'p4']);
  await sendFrame(r, 'p1');
  const release = holdBlobs(r, 'p2', 'p1');
  const t0 = r.clock.now();
  await r.leave('p3');
  await r.advance(500);
  await r.leave('p4'); // p4 had received the pending key made for p3's leave
  const late = (await framesOverTime(r, 20)).filter((f) => f.at > t0 + 1_500);
  assert.ok(late.length >= 10);
  for (const { wire } of late) {
    assert.equal(await leakerDecrypts(leaked.p3, 1, wire), false);
    assert.equal(await leakerDecrypts(leaked.p4, 1, wire), false);
    assert.ok(await decrypts(r.frames.get('p2'), 1, wire));
  }
  await release();
});

test('a join during a pending key: the newcomer gets the pending key, the leaver does not', async () => {
  const { r, leaked } = await roomWithLeakers(['p1', 'p2', 'p3'], ['p3']);
  await sendFrame(r, 'p1');
  const release = holdBlobs(r, 'p2', 'p1');
  const t0 = r.clock.now();
  await r.leave('p3');
  const newcomer = await r.add('p4', { slot: 4 });
  await r.join(newcomer);
  const late = (await framesOverTime(r, 20)).filter((f) => f.at > t0 + 1_500);
  for (const { wire } of late) {
    assert.equal(await leakerDecrypts(leaked.p3, 1, wire), false);
    assert.ok(await decrypts(r.frames.get('p4'), 1, wire), 'the newcomer decrypts');
  }
  await release();
});

test('a newcomer never gets a key that encrypted anything; an unused key is simply handed over (control)', async () => {
  const { r } = await roomWithLeakers(['p1', 'p2'], []);
  const old = await sendFrame(r, 'p1');
  const usedEpoch = r.byId('p1').currentEpoch;
  // p2 never sent a frame: its epoch-0 key is unused.
  const joiner = await r.add('p3', { slot: 3 });
  const leaked = recordKeys(r, 'p3');
  await r.join(joiner);
  await r.advance(6_000); // join debounce + 5 s switch
  const fromP1 = leaked.filter((k) => k.slot === 1).map((k) => k.epoch);
  assert.ok(fromP1.length > 0 && !fromP1.includes(usedEpoch), `p3 got epochs ${fromP1}, p1 had used ${usedEpoch}`);
  assert.equal(await decrypts(r.frames.get('p3'), 1, old), false, 'the past stays unreadable');
  assert.ok(await decrypts(r.frames.get('p3'), 1, await sendFrame(r, 'p1')));
  assert.deepEqual(leaked.filter((k) => k.slot === 2).map((k) => k.epoch), [0], 'control: the unused key is handed over');
});

test('no key → no output; a peer\'s key never encrypts and another sender\'s key never decrypts', async () => {
  const ring = new FrameKeyring();
  ring.setOwnSlot(3);
  const counters = new FrameCounters();
  const sender = new FrameTransformer(ring, counters, { side: TransformSide.SEND, kind: 'audio', stream: Stream.MIC });
  assert.equal(await sender.process(opusFrame(Uint8Array.of(1, 2, 3))), false);
  assert.deepEqual(counters.snapshot().sendDropped, { [DropReason.NO_KEY]: 1 });
  ring.setSenderKey(0, new Uint8Array(16).fill(1));
  assert.equal(await sender.process(opusFrame(Uint8Array.of(1, 2, 3))), true, 'control: with a key the frame goes out');
  // A receiver that holds only another sender's keys drops the frame as an unknown KID.
  const receiverRing = new FrameKeyring();
  receiverRing.setOwnSlot(4);
  receiverRing.addReceiverKey(5, 0, new Uint8Array(16).fill(1));
  const receiveCounters = new FrameCounters();
  const frame = opusFrame(Uint8Array.of(1, 2, 3));
  await sender.process(frame);
  assert.equal(await decrypts(receiverRing, 3, new Uint8Array(frame.data), receiveCounters), false);
  assert.deepEqual(receiveCounters.snapshot().receiveDropped, { [DropReason.UNKNOWN_KID]: 1 });
});

test('a key message for another participant\'s slot, an old epoch or a bad key is refused; a good one is installed (control)', async () => {
  const r = await makeRoom();
  const p2ToP1 = r.byId('p2').peers.get('p1').channel;
  const k = b64uEncode(new Uint8Array(16).fill(9));
  await p2ToP1.sendMessage({ t: 'key', epoch: 50, slot: 3, k }); // claims p3's slot
  await p2ToP1.sendMessage({ t: 'key', epoch: 51, slot: 1, k }); // claims p1's own slot
  await p2ToP1.sendMessage({ t: 'key', epoch: 52, slot: 2, k: 'short' });
  await p2ToP1.sendMessage({ t: 'key', epoch: 0, slot: 2, k }); // not newer than epoch 0 already held
  await r.settle();
  const ring = r.frames.get('p1');
  assert.deepEqual(ring.receiverEpochs(3), [0]);
  assert.deepEqual(ring.receiverEpochs(2), [0]);
  await p2ToP1.sendMessage({ t: 'key', epoch: 53, slot: 2, k });
  await r.settle();
  assert.deepEqual(ring.receiverEpochs(2), [0, 53]);
});

test('300 periodic rekeys: epochs wrap the KID byte cleanly, ≤ 3 epochs kept, every frame decrypts', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2'], config: { periodicJitterMs: 0 } });
  const ring = r.frames.get('p2');
  let last = r.byId('p1').currentEpoch;
  for (let i = 0; i < 300; i++) {
    const wire = await sendFrame(r, 'p1');
    assert.ok(await decrypts(ring, 1, wire), `epoch ${r.byId('p1').currentEpoch}`);
    await r.advance(600_000);
    const epoch = r.byId('p1').currentEpoch;
    assert.equal(epoch, last + 1);
    last = epoch;
    assert.ok(ring.receiverEpochs(1).length <= 3);
  }
  assert.equal(last, 300);
  const wire = await sendFrame(r, 'p1');
  assert.equal(epochByteOf(wire), 300 % 256);
  assert.ok(await decrypts(ring, 1, wire));
});

test('a rekey is skipped while the current key is unused (nothing to protect)', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2'], config: { periodicJitterMs: 0 } });
  const epoch = r.byId('p1').currentEpoch;
  await r.advance(2 * 660_000);
  assert.equal(r.byId('p1').currentEpoch, epoch);
});

test('2 s after the first good frame under a new epoch the older epochs are deleted', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'p3'] });
  const ring = r.frames.get('p2');
  const oldFrames = [await sendFrame(r, 'p1'), await sendFrame(r, 'p1')];
  await r.leave('p3');
  await r.advance(2_000);
  assert.deepEqual(ring.receiverEpochs(1), [0, 1]);
  assert.ok(await decrypts(ring, 1, await sendFrame(r, 'p1')));
  assert.ok(await decrypts(ring, 1, oldFrames[0]), 'control: a late frame of the old epoch still plays within 2 s');
  await r.advance(2_100);
  assert.ok(await decrypts(ring, 1, await sendFrame(r, 'p1')));
  assert.deepEqual(ring.receiverEpochs(1), [1]);
  const counters = new FrameCounters();
  assert.equal(await decrypts(ring, 1, oldFrames[1], counters), false, 'after 2 s the old epoch is gone');
  assert.deepEqual(counters.snapshot().receiveDropped, { [DropReason.UNKNOWN_KID]: 1 });
});

test('lobby: a waiting participant completes channels but gets no key, chat or room view until admitted', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'p9'], admitted: { p9: false } });
  const p1 = r.byId('p1');
  assert.equal(p1.peerState('p9').state, 'ESTABLISHED');
  assert.equal(p1.peers.get('p9').name, 'name-p9', 'the moderator sees the name before admitting');
  assert.deepEqual(p1.keyHolders().current.sort(), ['p2']);
  await p1.sendChat('members only');
  await r.settle();
  assert.equal(r.eventsOf('p9', 'chat').length, 0);
  assert.equal(r.eventsOf('p2', 'chat').length, 1);
  assert.equal(p1.roomCode.n, 2);
  assert.ok(!(await decrypts(r.frames.get('p9'), 1, await sendFrame(r, 'p1'))));
  // Admission (announced by the server to everyone, and to p9 itself).
  for (const part of r.parts) if (part.selfId !== 'p9') part.peerAdmitted('p9');
  r.byId('p9').selfAdmitted();
  await r.advance(6_000);
  assert.ok(await decrypts(r.frames.get('p9'), 1, await sendFrame(r, 'p1')));
  assert.equal(p1.roomCode.n, 3);
});

test('bye: the others switch keys at once, before the server even says "left"', async () => {
  const { r, leaked } = await roomWithLeakers(['p1', 'p2', 'p3'], ['p3']);
  await sendFrame(r, 'p1');
  await r.byId('p3').leave();
  await r.settle();
  assert.ok(r.eventsOf('p1', 'peer-departed').some((e) => e.id === 'p3' && e.reason === 'bye'));
  const wire = await sendFrame(r, 'p1');
  assert.equal(await leakerDecrypts(leaked.p3, 1, wire), false, 'acks arrived: switched without waiting 1.5 s');
  assert.ok(await decrypts(r.frames.get('p2'), 1, wire));
});

for (const lobbyId of ['p0', 'z9']) {
  test(`lobby as the protocol has it (${lobbyId < 'p1' ? 'lobby commits' : 'lobby initiates'}): told nobody, met by the moderator, admitted with the member list`, async () => {
    const r = await makeRoom({ ids: ['p1', 'p2'] });
    const lobby = await r.add(lobbyId, { slot: 3, admitted: false });
    const p1 = r.byId('p1');
    const p2 = r.byId('p2');
    p1.peerJoined(lobbyId, { slot: 3, admitted: false }); // the moderator's `knock`
    r.relay.inject('ghost', lobbyId, new Uint8Array([1, 5, 0, 0, 0, 0, 0, 0, 0, 0])); // the server invents someone
    await r.advance(2_000);
    assert.equal(p1.peerState(lobbyId).state, 'ESTABLISHED');
    assert.equal(p1.peers.get(lobbyId).name, `name-${lobbyId}`, 'the moderator sees the name before admitting');
    assert.equal(lobby.peers.get('p1').slot, null, 'the lobby learnt p1 from its first handshake blob');
    assert.equal(p2.peers.has(lobbyId), false);
    assert.deepEqual(p1.keyHolders().current, ['p2']);
    assert.equal(await decrypts(r.frames.get(lobbyId), 1, await sendFrame(r, 'p1')), false);
    // Admission: `admit` → participant-joined to members, `joined` with the member list to the lobby.
    p1.peerAdmitted(lobbyId);
    p2.peerJoined(lobbyId, { slot: 3 });
    lobby.selfAdmitted([{ id: 'p1', slot: 1 }, { id: 'p2', slot: 2 }, { id: lobbyId, slot: 3 }]);
    await r.advance(20_000);
    assert.equal(lobby.peers.get('p1').slot, 1);
    assert.equal(lobby.peerState('p2').state, 'ESTABLISHED');
    assert.equal(lobby.peerState('ghost').state, 'DEAD', 'not a member: closed at admission');
    assert.ok(await decrypts(r.frames.get(lobbyId), 1, await sendFrame(r, 'p1')));
    assert.ok(await decrypts(r.frames.get('p2'), 3, await sendFrame(r, lobbyId)));
    const codes = [p1, p2, lobby].map((p) => p.roomCode?.emoji.map((e) => e.emoji).join(''));
    assert.ok(codes[0] && new Set(codes).size === 1);
    assert.equal(lobby.roomCode.n, 3);
  });
}

test('control: an admitted participant never opens a channel for an unlisted sender', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2'] });
  r.relay.inject('ghost', 'p1', new Uint8Array([1, 5, 0, 0, 0, 0, 0, 0, 0, 0]));
  await r.settle();
  assert.equal(r.byId('p1').peers.has('ghost'), false);
});
