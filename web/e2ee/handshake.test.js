// Pairwise channels end to end (E2EE-SPEC.md §S4, §S16 "Handshake negatives"): participants on
// the test relay (testing/relay.js), which a test can turn hostile with a tap. Every negative has
// a positive control.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BlobType, encodeBlob, parseBlob } from './blob.js';
import { toHex, utf8 } from './bytes.js';
import { ChannelState, FailReason } from './channel.js';
import { generateKeyPair, HandshakeState, Pattern } from './noise.js';
import { commitment, prologue, roleFor, sidOf } from './pair-crypto.js';
import { makeRoom } from './testing/relay.js';

const SECRET_A = new Uint8Array(32).fill(1);
const SECRET_B = new Uint8Array(32).fill(2);
const LOW_ORDER = new Uint8Array(32); // the zero point
LOW_ORDER[0] = 1;

const typeOf = (bytes) => bytes[1];
const blobsOf = (relay, type) => relay.log.filter((item) => typeOf(item.bytes) === type);

function state(r, self, peer) {
  return r.byId(self).peerState(peer);
}

test('two participants establish in both role orders; C is the bytewise-smaller id; SAS and names agree', async () => {
  for (const ids of [['Alice', 'bob'], ['bob', 'Alice']]) {
    const r = await makeRoom({ ids });
    const [x, y] = r.parts;
    assert.equal(state(r, ids[0], ids[1]).state, ChannelState.ESTABLISHED);
    assert.equal(state(r, ids[1], ids[0]).state, ChannelState.ESTABLISHED);
    // 'A' (0x41) < 'b' (0x62): Alice commits.
    const commits = blobsOf(r.relay, BlobType.COMMIT);
    assert.ok(commits.length > 0 && commits.every((item) => item.from === 'Alice'));
    assert.ok(blobsOf(r.relay, BlobType.HS1).every((item) => item.from === 'bob'));
    assert.deepEqual(x.sasWith(y.selfId), y.sasWith(x.selfId));
    assert.equal(x.sasWith(y.selfId).length, 7);
    assert.equal(x.peers.get(y.selfId).name, `name-${y.selfId}`);
  }
});

test('blob sizes follow §S4.2 and are identical with and without a link secret', async () => {
  const shape = async (secret) => {
    const r = await makeRoom({ ids: ['a', 'b'], secret });
    await r.byId('a').sendChat('same text');
    await r.settle();
    return r.relay.log.map((item) => `${item.from}>${item.to}:${typeOf(item.bytes)}:${item.bytes.length}`);
  };
  const withSecret = await shape(SECRET_A);
  const without = await shape(null);
  assert.deepEqual(withSecret, without);
  const sizes = (type) => withSecret.filter((s) => s.split(':')[1] === String(type)).map((s) => Number(s.split(':')[2]));
  assert.deepEqual([...new Set(sizes(BlobType.COMMIT))], [34]);
  assert.deepEqual([...new Set(sizes(BlobType.HS1))], [106]);
  assert.deepEqual([...new Set(sizes(BlobType.HS2))], [106]);
  assert.ok(sizes(BlobType.TRANSPORT).every((n) => n >= 282 && (n - 26) % 256 === 0));
});

test('a different link fails at HS2 on I (RESYNC), then on C, with LINK_OR_TAMPER; same link works (control)', async () => {
  const r = await makeRoom({ ids: ['a', 'b'], secrets: { a: SECRET_A, b: SECRET_B } });
  assert.equal(state(r, 'a', 'b').failure, FailReason.LINK_OR_TAMPER);
  assert.equal(state(r, 'b', 'a').failure, FailReason.LINK_OR_TAMPER);
  assert.deepEqual(r.byId('a').peerStatus('b'), { status: 'failed', reason: FailReason.LINK_OR_TAMPER });
  const sequence = r.relay.log.slice(0, 4).map((item) => `${item.from}:${typeOf(item.bytes)}`);
  assert.deepEqual(sequence, ['a:1', 'b:2', 'a:3', 'b:5']); // COMMIT, HS1, HS2, RESYNC
  assert.equal(blobsOf(r.relay, BlobType.TRANSPORT).length, 0, 'no TRANSPORT ever');
  // One automatic retry after 3 s (rotation races), then manual: it fails the same way.
  await r.advance(3_500);
  assert.equal(blobsOf(r.relay, BlobType.COMMIT).length, 2);
  await r.advance(10_000);
  assert.equal(blobsOf(r.relay, BlobType.COMMIT).length, 2, 'no third attempt without the user');
  assert.equal(state(r, 'a', 'b').state, ChannelState.FAILED);
  const control = await makeRoom({ ids: ['a', 'b'], secrets: { a: SECRET_A, b: SECRET_A } });
  assert.equal(state(control, 'a', 'b').state, ChannelState.ESTABLISHED);
});

test('NO_SECRET: the side with the secret (as I) diagnoses the peer without one; the side without says so too', async () => {
  // b is I and has the secret; a (C) joined without it.
  let r = await makeRoom({ ids: ['a', 'b'], secrets: { a: null, b: SECRET_A } });
  assert.equal(state(r, 'b', 'a').failure, FailReason.NO_SECRET);
  assert.equal(state(r, 'a', 'b').failure, FailReason.NO_SECRET);
  // Reverse: I without the secret knows it is itself; C with the secret sees only LINK_OR_TAMPER.
  r = await makeRoom({ ids: ['a', 'b'], secrets: { a: SECRET_A, b: null } });
  assert.equal(state(r, 'b', 'a').failure, FailReason.NO_SECRET);
  assert.equal(state(r, 'a', 'b').failure, FailReason.LINK_OR_TAMPER);
});

test('OLD_LINK: a newcomer with the link from before a rotation is diagnosed by an I that rotated', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2'] });
  await r.byId('p1').rotateLink();
  await r.settle();
  assert.equal(toHex(r.byId('p2').linkSecret), toHex(r.byId('p1').linkSecret));
  // "p0" < "p1": the newcomer commits, p1 is I and holds the previous PSK.
  const old = await r.add('p0', { slot: 9 });
  await r.join(old);
  assert.equal(state(r, 'p1', 'p0').failure, FailReason.OLD_LINK);
  assert.equal(state(r, 'p0', 'p1').failure, FailReason.LINK_OR_TAMPER);
  assert.notEqual(state(r, 'p1', 'p0').state, ChannelState.ESTABLISHED, 'never accepted on the diagnostic retry');
  // Control: a newcomer with the new link gets in.
  const fresh = await r.add('p00', { slot: 10, secret: r.byId('p1').linkSecret });
  await r.join(fresh);
  assert.equal(state(r, 'p1', 'p00').state, ChannelState.ESTABLISHED);
});

/** An HS2 from a responder with the same prologue but keys the commitment did not name. */
async function forgeHs2(log, room, idC, idI) {
  const commit = parseBlob(log.find((item) => typeOf(item.bytes) === BlobType.COMMIT).bytes);
  const hs1 = parseBlob(log.find((item) => typeOf(item.bytes) === BlobType.HS1).bytes);
  const fake = await HandshakeState.initialize({
    pattern: Pattern.IXpsk2, initiator: false, prologue: prologue(room, idC, idI, commit.c), s: await generateKeyPair(),
    psk: new Uint8Array(32),
  });
  await fake.readMessage(hs1.message);
  return encodeBlob(BlobType.HS2, hs1.sid, await fake.writeMessage());
}

test('HS2 that does not match the commitment → TAMPER (checked before the psk step)', async () => {
  const r = await makeRoom({ ids: ['a', 'b'], connect: false, secret: null });
  r.relay.tap = (from, to, bytes) => (typeOf(bytes) === BlobType.HS2 ? [] : undefined); // the server withholds HS2
  await r.announceAll();
  r.relay.tap = null;
  // Even without a link (so the PSK step would pass), the swapped keys are caught by c.
  r.relay.inject('a', 'b', await forgeHs2(r.relay.log, utf8('room'), 'a', 'b'));
  await r.settle();
  assert.equal(state(r, 'b', 'a').failure, FailReason.TAMPER);
  assert.ok(r.eventsOf('b', 'alarm').some((e) => e.reason === FailReason.TAMPER));
  // Control: the same room without the forgery establishes.
  const control = await makeRoom({ ids: ['a', 'b'], secret: null });
  assert.equal(state(control, 'b', 'a').state, ChannelState.ESTABLISHED);
});

test('role conflict: a COMMIT to C or an HS1 to I is fatal, never resolved by swapping', async () => {
  const r = await makeRoom({ ids: ['a', 'b'] });
  const c = parseBlob(blobsOf(r.relay, BlobType.COMMIT)[0].bytes).c;
  r.relay.inject('b', 'a', encodeBlob(BlobType.COMMIT, c)); // "b" (I) never commits
  const hs1 = blobsOf(r.relay, BlobType.HS1)[0].bytes;
  r.relay.inject('a', 'b', hs1); // "a" (C) never sends HS1
  await r.settle();
  assert.equal(state(r, 'a', 'b').failure, FailReason.ROLE_CONFLICT);
  assert.equal(state(r, 'b', 'a').failure, FailReason.ROLE_CONFLICT);
  assert.equal(state(r, 'a', 'b').established, false);
  // Control: the genuine COMMIT replayed to I (its own direction) is merely ignored.
  const control = await makeRoom({ ids: ['a', 'b'] });
  control.relay.inject('a', 'b', blobsOf(control.relay, BlobType.COMMIT)[0].bytes);
  await control.settle();
  assert.equal(state(control, 'b', 'a').state, ChannelState.ESTABLISHED);
});

test('equal ids: no role (→ TAMPER); a participant never pairs with its own id', async () => {
  const r = await makeRoom({ ids: ['a'], connect: false });
  assert.equal(roleFor('a', 'a'), null);
  assert.equal(roleFor('a', 'b'), 'C');
  assert.equal(roleFor('b', 'a'), 'I');
  await r.byId('a').peerJoined('a', { slot: 5 });
  assert.equal(r.byId('a').peers.size, 0);
});

test('low-order ephemeral in HS1 → C fails TAMPER; unmodified HS1 works (control)', async () => {
  const r = await makeRoom({ ids: ['a', 'b'], connect: false });
  r.relay.tap = (from, to, bytes) => {
    if (typeOf(bytes) !== BlobType.HS1) return undefined;
    const forged = bytes.slice();
    forged.set(LOW_ORDER, 10); // msg1 starts with e_I
    return [{ from, to, bytes: forged }];
  };
  await r.announceAll();
  assert.equal(state(r, 'a', 'b').failure, FailReason.TAMPER);
  assert.equal(state(r, 'b', 'a').established, false);
});

test('flipping any prologue field (ROOM, ID_C, ID_I, c) fails the handshake; equal prologues succeed', async () => {
  const c = new Uint8Array(32).fill(9);
  const base = { room: utf8('комната'), idC: 'a', idI: 'b', c };
  const variants = {
    room: { ...base, room: utf8('комнатa') },
    idC: { ...base, idC: 'A' },
    idI: { ...base, idI: 'c' },
    c: { ...base, c: c.map((b, i) => (i === 31 ? b ^ 1 : b)) },
  };
  const attempt = async (initiatorView, responderView) => {
    const psk = new Uint8Array(32).fill(3);
    const pro = (v) => prologue(v.room, v.idC, v.idI, v.c);
    const init = await HandshakeState.initialize({ pattern: Pattern.IXpsk2, initiator: true, prologue: pro(initiatorView), s: await generateKeyPair(), psk });
    const resp = await HandshakeState.initialize({ pattern: Pattern.IXpsk2, initiator: false, prologue: pro(responderView), s: await generateKeyPair(), psk });
    await resp.readMessage(await init.writeMessage());
    await init.readMessage(await resp.writeMessage());
  };
  await attempt(base, base);
  for (const [field, variant] of Object.entries(variants)) {
    await assert.rejects(attempt(base, variant), undefined, field);
    await assert.rejects(attempt(variant, base), undefined, field);
  }
});

test('a room name that differs between the two participants fails; the same name works (control)', async () => {
  const mismatch = await makeRoom({ ids: ['a', 'b'], connect: false });
  mismatch.byId('b').room = utf8('other-room');
  await mismatch.announceAll();
  assert.equal(state(mismatch, 'a', 'b').established, false);
  assert.equal(state(mismatch, 'b', 'a').established, false);
});

/** Taps for the four TRANSPORT faults; each returns a fresh tap. */
function transportFault(kind, from, to) {
  let armed = false;
  let held = null;
  let done = false;
  return {
    arm() { armed = true; },
    tap(src, dst, bytes) {
      if (!armed || done || src !== from || dst !== to || typeOf(bytes) !== BlobType.TRANSPORT) return undefined;
      switch (kind) {
        case 'replayed':
          done = true;
          return [{ from: src, to: dst, bytes }, { from: src, to: dst, bytes }];
        case 'dropped':
          done = true;
          return [];
        case 'reflected':
          done = true;
          return [{ from: src, to: dst, bytes }, { from: dst, to: src, bytes }];
        case 'reordered':
          if (!held) {
            held = bytes;
            return [];
          }
          done = true;
          return [{ from: src, to: dst, bytes }, { from: src, to: dst, bytes: held }];
        default:
          return undefined;
      }
    },
  };
}

for (const kind of ['replayed', 'reordered', 'reflected', 'dropped']) {
  test(`${kind} TRANSPORT → BROKEN → resync → chat flows again`, async () => {
    const r = await makeRoom({ ids: ['a', 'b'] });
    const fault = transportFault(kind, 'a', 'b');
    r.relay.tap = fault.tap;
    fault.arm();
    await r.byId('a').sendChat('one');
    await r.byId('a').sendChat('two');
    await r.settle();
    const broken = [...r.eventsOf('a', 'peer-state'), ...r.eventsOf('b', 'peer-state')].some((e) => e.state === ChannelState.BROKEN);
    assert.ok(broken, 'some side saw the channel BROKEN');
    await r.advance(1_000);
    assert.equal(state(r, 'a', 'b').state, ChannelState.ESTABLISHED);
    assert.equal(state(r, 'b', 'a').state, ChannelState.ESTABLISHED);
    r.relay.tap = null;
    const before = r.eventsOf('b', 'chat').length;
    await r.byId('a').sendChat('after resync');
    await r.settle();
    assert.equal(r.eventsOf('b', 'chat').length, before + 1);
    assert.equal(r.eventsOf('b', 'chat').at(-1).text, 'after resync');
  });
}

test('control: untouched TRANSPORT never breaks the channel', async () => {
  const r = await makeRoom({ ids: ['a', 'b'] });
  for (let i = 0; i < 20; i++) await r.byId(i % 2 ? 'a' : 'b').sendChat(`m${i}`);
  await r.settle();
  assert.equal(r.eventsOf('a', 'chat').length + r.eventsOf('b', 'chat').length, 20);
  assert.ok(![...r.eventsOf('a', 'peer-state'), ...r.eventsOf('b', 'peer-state')].some((e) => e.state === ChannelState.BROKEN));
});

test('state-table violations never reach ESTABLISHED', async () => {
  const r = await makeRoom({ ids: ['a', 'b'], connect: false });
  // Nothing is delivered from a to b: b (I) never sees the genuine COMMIT.
  r.relay.tap = (from) => (from === 'a' ? [] : undefined);
  await r.announceAll();
  const sid = new Uint8Array(8).fill(4);
  const msg = new Uint8Array(96).fill(5);
  const transport = encodeBlob(BlobType.TRANSPORT, sid, new Uint8Array(272));
  // HS2 without COMMIT, TRANSPORT before confirmation, RESYNC, junk, unknown type, short blobs.
  for (const bytes of [encodeBlob(BlobType.HS2, sid, msg), transport, encodeBlob(BlobType.RESYNC, sid),
    Uint8Array.of(1, 0x77, 1, 2), Uint8Array.of(1), new Uint8Array(0), encodeBlob(BlobType.HS2, sid, msg.subarray(1))]) {
    r.relay.inject('a', 'b', bytes);
  }
  await r.settle();
  assert.equal(state(r, 'b', 'a').state, ChannelState.WAIT_COMMIT);
  assert.ok(r.byId('b').peers.get('a').channel.ignored >= 7);
  // C side: HS1 with a wrong sid and TRANSPORT before HS1 are ignored.
  r.relay.tap = (from) => (from === 'b' ? [] : undefined);
  const realCommit = blobsOf(r.relay, BlobType.COMMIT);
  assert.equal(realCommit.length, 0, 'a\'s commit never reached the log (dropped by the tap)');
  r.relay.inject('b', 'a', encodeBlob(BlobType.HS1, sid, msg));
  r.relay.inject('b', 'a', transport);
  await r.settle();
  assert.equal(state(r, 'a', 'b').state, ChannelState.WAIT_HS1);
  // Control: lifting the tap lets the retry (after the 15 s step timeout) establish.
  r.relay.tap = null;
  await r.advance(16_000);
  assert.equal(state(r, 'a', 'b').state, ChannelState.ESTABLISHED);
});

test('ephemerals are never reused across attempts, peers and re-handshakes', async () => {
  const r = await makeRoom({ ids: ['a', 'b', 'c', 'd'] });
  // Force re-handshakes: replay a TRANSPORT on every pair.
  for (const item of blobsOf(r.relay, BlobType.TRANSPORT).slice(0, 6)) r.relay.inject(item.from, item.to, item.bytes);
  await r.advance(2_000);
  const ephemerals = [
    ...blobsOf(r.relay, BlobType.HS1).map((item) => toHex(item.bytes.subarray(10, 42))),
    ...blobsOf(r.relay, BlobType.HS2).map((item) => toHex(item.bytes.subarray(10, 42))),
  ];
  assert.ok(ephemerals.length > 12, `${ephemerals.length} handshake messages`);
  assert.equal(new Set(ephemerals).size, ephemerals.length);
  const commits = blobsOf(r.relay, BlobType.COMMIT).map((item) => toHex(item.bytes));
  assert.equal(new Set(commits).size, commits.length);
});

test('a replayed old COMMIT or HS1 after a re-handshake is ignored; the live channel stays up', async () => {
  const r = await makeRoom({ ids: ['a', 'b'] });
  const oldCommit = blobsOf(r.relay, BlobType.COMMIT)[0].bytes;
  const oldHs1 = blobsOf(r.relay, BlobType.HS1)[0].bytes;
  const oldHs2 = blobsOf(r.relay, BlobType.HS2)[0].bytes;
  r.relay.inject('a', 'b', blobsOf(r.relay, BlobType.TRANSPORT).find((item) => item.from === 'a').bytes); // break it
  await r.advance(1_000);
  assert.equal(state(r, 'b', 'a').state, ChannelState.ESTABLISHED);
  const sid = r.byId('b').peers.get('a').channel.sessionSid;
  r.relay.inject('a', 'b', oldCommit);
  r.relay.inject('b', 'a', oldHs1);
  r.relay.inject('a', 'b', oldHs2);
  await r.advance(20_000);
  assert.equal(state(r, 'b', 'a').state, ChannelState.ESTABLISHED);
  assert.equal(toHex(r.byId('b').peers.get('a').channel.sessionSid), toHex(sid), 'no new session from a replay');
  await r.byId('a').sendChat('still here');
  await r.settle();
  assert.equal(r.eventsOf('b', 'chat').at(-1).text, 'still here');
});

test('KEY_CHANGED: a new attempt with another static key fails and departs; a genuine re-handshake keeps the pin (control)', async () => {
  const r = await makeRoom({ ids: ['a', 'b'], secret: null });
  const b = r.byId('b');
  const pinned = toHex(b.peers.get('a').channel.pinnedStatic);
  // The server, posing as "a", starts a fresh attempt with its own keys (no link: it knows the PSK).
  const room = utf8('room');
  const evilStatic = await generateKeyPair();
  const evilE = await generateKeyPair();
  const c = await commitment(room, 'a', 'b', evilE.publicKey, evilStatic.publicKey);
  const evil = await HandshakeState.initialize({
    pattern: Pattern.IXpsk2, initiator: false, prologue: prologue(room, 'a', 'b', c), s: evilStatic, e: evilE, psk: new Uint8Array(32),
  });
  let hs1 = null;
  r.relay.tap = (from, to, bytes) => {
    if (from !== 'b') return undefined;
    if (typeOf(bytes) === BlobType.HS1) hs1 = parseBlob(bytes);
    return []; // the server keeps b's answers to itself
  };
  r.relay.inject('a', 'b', encodeBlob(BlobType.COMMIT, c));
  await r.settle();
  assert.ok(hs1, 'b answered the new COMMIT (a rate-limited new attempt)');
  await evil.readMessage(hs1.message);
  r.relay.inject('a', 'b', encodeBlob(BlobType.HS2, sidOf(c), await evil.writeMessage()));
  await r.settle();
  assert.equal(b.peerState('a').failure, FailReason.KEY_CHANGED);
  assert.ok(r.eventsOf('b', 'peer-departed').some((e) => e.id === 'a' && e.reason === FailReason.KEY_CHANGED));
  assert.equal(toHex(b.peers.get('a').channel.pinnedStatic), pinned);
  // Control: a genuine re-handshake (after BROKEN) keeps the same static and re-establishes.
  const control = await makeRoom({ ids: ['a', 'b'], secret: null });
  control.relay.inject('a', 'b', blobsOf(control.relay, BlobType.TRANSPORT).find((item) => item.from === 'a').bytes);
  await control.advance(1_000);
  assert.equal(control.byId('b').peerState('a').state, ChannelState.ESTABLISHED);
  assert.equal(blobsOf(control.relay, BlobType.COMMIT).length, 2);
});

test('timeouts: each step 15 s, ≤ 3 retries per peer per minute, then FAILED(TIMEOUT)', async () => {
  const r = await makeRoom({ ids: ['a', 'b'], connect: false });
  r.relay.tap = (from) => (from === 'b' ? [] : undefined); // b never answers
  await r.announceAll();
  await r.advance(59_000);
  assert.equal(blobsOf(r.relay, BlobType.COMMIT).length, 4, 'first attempt + 3 retries within the minute');
  assert.equal(state(r, 'a', 'b').state, ChannelState.WAIT_HS1);
  await r.advance(2_000); // the fourth step timeout finds no retry left
  assert.equal(blobsOf(r.relay, BlobType.COMMIT).length, 4);
  assert.equal(state(r, 'a', 'b').failure, FailReason.TIMEOUT);
  assert.equal(state(r, 'a', 'b').established, false);
});

test('unknown blob version → "incompatible version" event, nothing else', async () => {
  const r = await makeRoom({ ids: ['a', 'b'] });
  r.relay.inject('a', 'b', Uint8Array.of(2, 1, 0, 0));
  await r.settle();
  assert.equal(r.eventsOf('b', 'incompatible-version').length, 1);
  assert.equal(state(r, 'b', 'a').state, ChannelState.ESTABLISHED);
});

test('BROKEN and not re-established within 10 s → departed, and the sender key switches away from it', async () => {
  const r = await makeRoom({ ids: ['a', 'b', 'c'] });
  r.relay.inject('a', 'b', blobsOf(r.relay, BlobType.TRANSPORT).find((item) => item.from === 'a' && item.to === 'b').bytes);
  r.relay.tap = (from, to) => ((from === 'a' && to === 'b') || (from === 'b' && to === 'a') ? [] : undefined);
  await r.advance(9_000);
  assert.equal(r.eventsOf('b', 'peer-departed').length, 0);
  await r.advance(2_000);
  assert.ok(r.eventsOf('b', 'peer-departed').some((e) => e.id === 'a' && e.reason === 'broken'));
  assert.ok(!r.byId('b').keyHolders().current.includes('a'));
  assert.equal(r.byId('b').peerState('c').state, ChannelState.ESTABLISHED, 'other channels are untouched');
});
