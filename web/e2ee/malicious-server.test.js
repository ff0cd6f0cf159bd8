// The malicious-server tests of E2EE-SPEC.md §S16, in node: relays that terminate both
// handshakes with the client's own modules, lie about ids, or hide a participant. Each has a
// positive control showing the same setup succeeds when the server is honest (or the check would
// pass if the attack worked).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { toHex, utf8 } from './bytes.js';
import { ChannelState, FailReason } from './channel.js';
import { FrameKeyring } from './keyring.js';
import { E2eeParticipant } from './participant.js';
import { FakeClock } from './testing/fake-clock.js';
import { makeRoom, MemoryRelay, settle } from './testing/relay.js';

const SECRET = new Uint8Array(32).fill(5);
const ROOM = utf8('тайная-встреча');

/**
 * A server in the middle of two victims X and Y: toward X it plays Y, toward Y it plays X, each
 * time with a full E2eeParticipant of its own (the client's modules) holding `attackerSecret`.
 */
async function middle({ xId, yId, victimSecret, attackerSecret }) {
  const clock = new FakeClock();
  const left = new MemoryRelay(); // X ↔ server-as-Y
  const right = new MemoryRelay(); // server-as-X ↔ Y
  const events = new Map();
  const make = async (relay, id, slot, secret, label) => {
    const log = [];
    events.set(label, log);
    const part = await E2eeParticipant.create({
      room: ROOM, selfId: id, slot, secret, name: `name-${label}`, transport: relay.transportFor(id),
      frames: new FrameKeyring({ now: clock.now }), clock, onEvent: (type, detail) => log.push({ type, ...detail }),
    });
    relay.attach(id, part);
    return part;
  };
  const x = await make(left, xId, 1, victimSecret, 'X');
  const asY = await make(left, yId, 2, attackerSecret, 'server-as-Y');
  const asX = await make(right, xId, 1, attackerSecret, 'server-as-X');
  const y = await make(right, yId, 2, victimSecret, 'Y');
  const parts = [x, asY, asX, y];
  const quiet = () => settle([left, right], parts);
  x.peerJoined(yId, { slot: 2 });
  asY.peerJoined(xId, { slot: 1 });
  asX.peerJoined(yId, { slot: 2 });
  y.peerJoined(xId, { slot: 1 });
  await clock.advance(2_000, quiet);
  await clock.advance(20_000, quiet); // automatic retries included
  return { x, y, asX, asY, events, xId, yId };
}

for (const [xId, yId] of [['a', 'b'], ['b', 'a']]) {
  test(`MITM with the link (victim X is ${xId < yId ? 'C' : 'I'}): both victims fail loudly, nothing is established`, async () => {
    const m = await middle({ xId, yId, victimSecret: SECRET, attackerSecret: null });
    for (const [victim, peerId, label] of [[m.x, yId, 'X'], [m.y, xId, 'Y']]) {
      const state = victim.peerState(peerId);
      assert.equal(state.established, false, `${label} must not be established`);
      assert.equal(state.state, ChannelState.FAILED);
      assert.ok([FailReason.LINK_OR_TAMPER, FailReason.NO_SECRET].includes(state.failure), state.failure);
      assert.ok(m.events.get(label).some((e) => e.type === 'peer-failed'), `${label} shows the failure`);
      assert.equal(victim.sasWith(peerId), null, 'no code before confirmation');
      assert.equal(m.events.get(label).filter((e) => e.type === 'chat').length, 0);
    }
  });

  test(`MITM without the link (X is ${xId < yId ? 'C' : 'I'}): it gets in, but the pair codes and room codes differ`, async () => {
    const m = await middle({ xId, yId, victimSecret: null, attackerSecret: null });
    assert.equal(m.x.peerState(yId).state, ChannelState.ESTABLISHED);
    assert.equal(m.y.peerState(xId).state, ChannelState.ESTABLISHED);
    const codeX = m.x.sasWith(yId).map((e) => e.emoji).join('');
    const codeY = m.y.sasWith(xId).map((e) => e.emoji).join('');
    assert.notEqual(codeX, codeY, 'the victims read different emoji aloud');
    // Each victim's code equals the one the server shows on its own side of that pair:
    assert.equal(codeX, m.asY.sasWith(xId).map((e) => e.emoji).join(''));
    assert.notEqual(toHex(m.x.roomCode.rid), toHex(m.y.roomCode.rid));
    assert.notEqual(m.x.roomCode.emoji.map((e) => e.emoji).join(''), m.y.roomCode.emoji.map((e) => e.emoji).join(''));
  });
}

test('control: an insider server that holds the link gets in — which is exactly why codes exist', async () => {
  const m = await middle({ xId: 'a', yId: 'b', victimSecret: SECRET, attackerSecret: SECRET });
  assert.equal(m.x.peerState('b').state, ChannelState.ESTABLISHED);
  assert.notEqual(m.x.sasWith('b').map((e) => e.en).join(), m.y.sasWith('a').map((e) => e.en).join());
});

test('control: an honest relay gives both victims the same pair code and room code', async () => {
  const r = await makeRoom({ ids: ['a', 'b'], secret: null, room: ROOM });
  assert.deepEqual(r.byId('a').sasWith('b'), r.byId('b').sasWith('a'));
  assert.equal(toHex(r.byId('a').roomCode.rid), toHex(r.byId('b').roomCode.rid));
});

/** X knows Y as `yAsSeenByX`; Y believes its own id is `yId`. The relay forwards between them. */
async function lyingIds(yId) {
  const clock = new FakeClock();
  const relay = new MemoryRelay();
  const log = { x: [], y: [] };
  const make = (selfId, wire, slot, key) => E2eeParticipant.create({
    room: ROOM, selfId, slot, secret: SECRET, name: key, transport: relay.transportFor(wire), frames: new FrameKeyring(), clock,
    onEvent: (type, detail) => log[key].push({ type, ...detail }),
  });
  const x = await make('a', 'a', 1, 'x');
  const y = await make(yId, 'b', 2, 'y'); // relayed as "b", but told it is yId
  relay.attach('a', x);
  relay.attach('b', y);
  x.peerJoined('b', { slot: 2 });
  y.peerJoined('a', { slot: 1 });
  const quiet = () => settle(relay, [x, y]);
  await clock.advance(30_000, quiet);
  return { x, y, log };
}

test('inconsistent ids: the server names a participant differently to each side → no channel', async () => {
  const sameRoles = await lyingIds('x'); // both still agree a < the other, but the names differ
  assert.equal(sameRoles.x.peerState('b').established, false);
  assert.equal(sameRoles.y.peerState('a').established, false);
  assert.equal(sameRoles.x.peerState('b').failure, FailReason.TAMPER);
  const swappedRoles = await lyingIds('A'); // "A" < "a": both think they commit
  assert.equal(swappedRoles.x.peerState('b').failure, FailReason.ROLE_CONFLICT);
  assert.equal(swappedRoles.y.peerState('a').failure, FailReason.ROLE_CONFLICT);
  const honest = await lyingIds('b'); // control: consistent ids establish
  assert.equal(honest.x.peerState('b').state, ChannelState.ESTABLISHED);
});

test('a hidden participant: A never hears of H, so A\'s and B\'s room views differ and no common code appears', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'h'], connect: false });
  const [p1, p2, h] = r.parts;
  p1.peerJoined('p2', { slot: 2 });
  p2.peerJoined('p1', { slot: 1 });
  p2.peerJoined('h', { slot: 3 }); // the server shows H to p2 only
  h.peerJoined('p2', { slot: 2 });
  h.peerJoined('p1', { slot: 1 }); // and lets H try p1, which has never heard of H
  await r.advance(15_000);
  assert.equal(p1.peers.has('h'), false);
  assert.ok(p1.ignored > 0, 'blobs from an unlisted sender are dropped and counted');
  assert.equal(p1.roomCode, null);
  const stuck = r.eventsOf('p1', 'room-code-stuck').at(-1);
  assert.deepEqual(stuck.different, ['p2'], 'p1 learns that p2 sees a different set of people');
  assert.equal(p2.roomCode, null);
  // Control: once the server is honest with p1 too, everyone gets one code.
  p1.peerJoined('h', { slot: 3 });
  await r.advance(30_000); // h's next commitment retry reaches p1 now
  const codes = r.parts.map((p) => p.roomCode && p.roomCode.emoji.map((e) => e.emoji).join(''));
  assert.ok(codes[0]);
  assert.deepEqual(new Set(codes).size, 1);
  assert.equal(p1.roomCode.n, 3);
});

test('the server\'s view of the wire: the link secret, names and chat text never appear in any relayed blob', async () => {
  const marker = 'MARKER-Ω-name';
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const r = await makeRoom({ ids: ['a', 'b'], secret, connect: false });
  r.byId('a').name = marker;
  await r.announceAll();
  await r.byId('a').sendChat('MARKER-chat-text');
  await r.settle();
  const wire = Buffer.concat(r.relay.log.map((item) => Buffer.from(item.bytes)));
  const needles = [Buffer.from(marker), Buffer.from('MARKER-chat-text'), Buffer.from(secret), Buffer.from(toHex(secret))];
  for (const needle of needles) assert.equal(wire.indexOf(needle), -1);
  // Control: the detector finds a marker when it is there (the receiver did get both in clear).
  assert.equal(r.byId('b').peers.get('a').name, marker);
  assert.ok(Buffer.concat([wire, Buffer.from(marker)]).indexOf(Buffer.from(marker)) >= 0);
});
