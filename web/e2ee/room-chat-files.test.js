// Room code (§S8), chat (§S9), files (§S10) and link rotation (§S11) between participants on
// the test relay (§S16 "Room code, chat, files, rotation").
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BlobType } from './blob.js';
import { b64uEncode, toHex } from './bytes.js';
import {
  FILE_CHUNK_BYTES, importFileKey, isRiskyContent, isRiskyName, parseChunkBody, sanitizeFileName, sealChunk,
} from './files.js';
import { roomCommit, RoomCodeRound } from './room-code.js';
import { makeRoom } from './testing/relay.js';

const code = (part) => part.roomCode?.emoji.map((e) => e.emoji).join('') ?? null;
const chunksTo = (r, to) => r.relay.log.filter((item) => item.to === to && item.bytes[1] === BlobType.FILE_CHUNK);

// --- room code ------------------------------------------------------------------------------

test('equal views → one room code for everyone; any change of the view → a different code', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'p3'] });
  const first = code(r.parts[0]);
  assert.ok(first);
  assert.deepEqual(r.parts.map(code), [first, first, first]);
  assert.equal(r.parts[0].roomCode.n, 3);
  const newcomer = await r.add('p4', { slot: 4 });
  await r.join(newcomer);
  await r.advance(2_000);
  const second = code(r.parts[0]);
  assert.deepEqual(r.parts.map(code), [second, second, second, second]);
  assert.notEqual(second, first);
  await r.leave('p2');
  await r.advance(2_000);
  const third = code(r.byId('p1'));
  assert.equal(code(r.byId('p3')), third);
  assert.notEqual(third, second);
  assert.notEqual(third, first);
});

test('room code round: no reveal before every commit; a reveal that does not match its commit is TAMPER', async () => {
  const room = new TextEncoder().encode('r');
  const view = ['a', 'b', 'c'].map((id, i) => ({ id, staticPublic: new Uint8Array(32).fill(i + 1) }));
  const round = await RoomCodeRound.start(room, 'a', view);
  assert.equal(round.readyToReveal, false);
  const rb = new Uint8Array(32).fill(0xb);
  const rc = new Uint8Array(32).fill(0xc);
  round.acceptCommit('b', await roomCommit(round.rid, 'b', rb));
  assert.equal(round.readyToReveal, false, 'c has not committed');
  assert.deepEqual(round.missingCommits, ['c']);
  round.acceptCommit('c', await roomCommit(round.rid, 'c', rc));
  assert.equal(round.readyToReveal, true);
  await round.markRevealed();
  assert.equal(await round.acceptReveal('b', rb), 'ok');
  assert.equal(await round.acceptReveal('c', new Uint8Array(32).fill(0xd)), 'tamper');
  assert.equal(round.code, null);
  assert.equal(await round.acceptReveal('c', rc), 'ok', 'control: the committed value is accepted');
  assert.equal(round.code.length, 6);
  assert.equal(await round.acceptReveal('x', rc), 'ignored', 'no commit from x');
});

test('confirming the room code marks everyone verified until the view changes', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'p3'] });
  const p1 = r.byId('p1');
  assert.equal(p1.verification('p2'), 'unverified');
  await p1.confirmRoomCode();
  assert.equal(p1.verification('p2'), 'verified-room-code');
  await r.leave('p3');
  await r.advance(2_000);
  assert.equal(p1.verification('p2'), 'unverified');
  await p1.confirmSas('p2', true);
  assert.equal(p1.verification('p2'), 'verified-by-you');
  assert.deepEqual(p1.peerStatus('p2'), { status: 'verified-by-you' });
  assert.deepEqual(p1.peerStatus('p3'), { status: 'left' });
  await r.settle();
  assert.equal(r.eventsOf('p2', 'peer-sas').at(-1).match, true);
});

// --- chat -----------------------------------------------------------------------------------

test('chat goes to every established peer once; a repeated mid is dropped; text stays text', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'p3'] });
  const xss = '<img src=x onerror=alert(1)>';
  assert.equal(await r.byId('p1').sendChat(xss), 2);
  await r.settle();
  for (const id of ['p2', 'p3']) assert.deepEqual(r.eventsOf(id, 'chat').map((e) => e.text), [xss]);
  // p1 (or anyone holding its channel) sends the same mid again: the receiver shows it once.
  const mid = r.eventsOf('p2', 'chat')[0].mid;
  await r.byId('p1').peers.get('p2').channel.sendMessage({ t: 'chat', mid, text: 'edited?' });
  await r.byId('p1').peers.get('p2').channel.sendMessage({ t: 'chat', mid: b64uEncode(new Uint8Array(16).fill(1)), text: 'new' });
  await r.settle();
  assert.deepEqual(r.eventsOf('p2', 'chat').map((e) => e.text), [xss, 'new']);
  await assert.rejects(r.byId('p1').sendChat('x'.repeat(4001)), RangeError);
});

test('a replayed chat TRANSPORT is rejected (the channel breaks and resyncs, the line appears once)', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2'] });
  await r.byId('p1').sendChat('once');
  await r.settle();
  const last = r.relay.log.filter((item) => item.from === 'p1' && item.to === 'p2' && item.bytes[1] === BlobType.TRANSPORT).at(-1);
  r.relay.inject('p1', 'p2', last.bytes);
  await r.advance(2_000);
  assert.deepEqual(r.eventsOf('p2', 'chat').map((e) => e.text), ['once']);
  assert.equal(r.byId('p2').peerState('p1').state, 'ESTABLISHED');
});

// --- files ----------------------------------------------------------------------------------

const bytesOf = (n, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

async function offer(r, from, to, data, name = 'report.pdf') {
  const [fid] = await r.byId(from).offerFile([to], { name, type: 'application/pdf', data });
  await r.settle();
  return fid;
}

test('offer → accept → chunks → hash checked → Save (multi-chunk, exact sizes, empty file)', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2'] });
  for (const size of [0, 1, FILE_CHUNK_BYTES, 2 * FILE_CHUNK_BYTES + 17]) {
    const data = bytesOf(size, size);
    const fid = await offer(r, 'p1', 'p2', data);
    assert.equal(r.byId('p2').fileForSave('p1', fid), null, 'no Save before the transfer');
    assert.equal(await r.byId('p2').acceptFile('p1', fid), true);
    await r.settle();
    const parts = r.byId('p2').fileForSave('p1', fid);
    assert.ok(parts, `size ${size} complete`);
    assert.equal(toHex(Buffer.concat(parts.map((p) => Buffer.from(p)))), toHex(data));
    assert.equal(r.byId('p1').outgoingFile(fid).state, 'sent');
    const blob = r.byId('p2').fileBlobForSave('p1', fid);
    assert.equal(blob.type, 'application/octet-stream', 'never the declared application/pdf');
    assert.equal(blob.size, size);
  }
  assert.ok(chunksTo(r, 'p2').every((item) => item.bytes.length <= 65_600));
});

test('declined → zero chunk bytes sent; never accepted → zero bytes', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'p3'] });
  const fid = await offer(r, 'p1', 'p2', bytesOf(100_000));
  await r.byId('p2').declineFile('p1', fid);
  await offer(r, 'p1', 'p3', bytesOf(1000));
  await r.advance(60_000);
  assert.equal(chunksTo(r, 'p2').length, 0);
  assert.equal(chunksTo(r, 'p3').length, 0);
  assert.equal(r.byId('p1').outgoingFile(fid).state, 'declined');
  assert.deepEqual(r.eventsOf('p1', 'file-declined').map((e) => [e.to, e.fid]), [['p2', fid]], 'the sender is told (its UI shows "declined")');
});

test('forged accept: another participant accepting someone else\'s offer gets nothing; the real receiver does (control)', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'p3'] });
  const fid = await offer(r, 'p1', 'p2', bytesOf(5000));
  await r.byId('p3').peers.get('p1').channel.sendMessage({ t: 'file_accept', fid }); // p3 learned the fid somehow
  await r.settle();
  assert.equal(chunksTo(r, 'p3').length + chunksTo(r, 'p2').length, 0);
  await r.byId('p2').acceptFile('p1', fid);
  await r.settle();
  assert.equal(chunksTo(r, 'p2').length, 1);
  assert.equal(chunksTo(r, 'p3').length, 0);
});

/** Runs one 3-chunk transfer p1 → p2 through a tap that may rewrite the chunk stream. */
async function tamperedTransfer(rewrite) {
  const r = await makeRoom({ ids: ['p1', 'p2'] });
  const data = bytesOf(2 * FILE_CHUNK_BYTES + 100);
  const fid = await offer(r, 'p1', 'p2', data);
  const chunks = [];
  r.relay.tap = (from, to, bytes) => {
    if (bytes[1] !== BlobType.FILE_CHUNK) return undefined;
    chunks.push({ from, to, bytes });
    return [];
  };
  await r.byId('p2').acceptFile('p1', fid);
  await r.settle();
  r.relay.tap = null;
  for (const bytes of await rewrite(chunks.map((c) => c.bytes), r, fid)) r.relay.inject('p1', 'p2', bytes);
  await r.settle();
  return { state: r.byId('p2').incomingFile('p1', fid), save: r.byId('p2').fileForSave('p1', fid) };
}

test('truncated, reordered, spliced, bit-flipped or duplicated chunks → no Save; the untouched stream saves (control)', async () => {
  const control = await tamperedTransfer((chunks) => chunks);
  assert.equal(control.state.state, 'complete');
  assert.ok(control.save);
  const cases = {
    truncated: (c) => c.slice(0, 2),
    'last chunk cut short': (c) => [c[0], c[1], c[2].slice(0, c[2].length - 1)],
    reordered: (c) => [c[0], c[2], c[1]],
    duplicated: (c) => [c[0], c[0], c[1], c[2]],
    'bit flip': (c) => [c[0], c[1].map((b, i) => (i === 40 ? b ^ 1 : b)), c[2]],
    'last flag on the middle chunk': (c) => [c[0], c[1].map((b, i) => (i === 22 ? 1 : b)), c[2]],
    'spliced from another transfer': async (c, r) => {
      const fid2 = await offer(r, 'p1', 'p2', bytesOf(2 * FILE_CHUNK_BYTES + 100, 9));
      const other = [];
      r.relay.tap = (from, to, bytes) => {
        if (bytes[1] !== BlobType.FILE_CHUNK) return undefined;
        other.push(bytes);
        return [];
      };
      await r.byId('p2').acceptFile('p1', fid2);
      await r.settle();
      r.relay.tap = null;
      // The second transfer's middle chunk, relabelled with the first transfer's fid.
      const spliced = other[1].slice();
      spliced.set(c[1].subarray(2, 18), 2);
      return [c[0], spliced, c[2]];
    },
  };
  for (const [name, rewrite] of Object.entries(cases)) {
    const result = await tamperedTransfer(rewrite);
    assert.notEqual(result.state.state, 'complete', name);
    assert.equal(result.save, null, name);
  }
});

test('a sender whose chunks do not hash to the offered SHA-256 → no Save', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2'] });
  const k = new Uint8Array(32).fill(3);
  const fid = new Uint8Array(16).fill(4);
  const content = bytesOf(10);
  await r.byId('p1').peers.get('p2').channel.sendMessage({
    t: 'file_offer', fid: b64uEncode(fid), name: 'a.txt', size: 10, type: 'text/plain', chunk: FILE_CHUNK_BYTES,
    sha256: b64uEncode(new Uint8Array(32)), k: b64uEncode(k),
  });
  await r.settle();
  await r.byId('p2').acceptFile('p1', b64uEncode(fid));
  r.relay.inject('p1', 'p2', await sealChunk(await importFileKey(k, 'encrypt'), fid, 0, true, 10, content));
  await r.settle();
  assert.equal(r.byId('p2').incomingFile('p1', b64uEncode(fid)).failure, 'hash-mismatch');
  assert.equal(r.byId('p2').fileForSave('p1', b64uEncode(fid)), null);
});

test('size limit, risky types, sanitized names', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2'], config: { fileSizeLimit: 1000 } });
  await assert.rejects(r.byId('p1').offerFile(['p2'], { name: 'big', data: bytesOf(1001) }), RangeError);
  const fid = await offer(r, 'p1', 'p2', Uint8Array.of(0x4d, 0x5a, 0x90, 0), 'holiday\u202Egpj.exe');
  const offered = r.eventsOf('p2', 'file-offer').at(-1);
  assert.equal(offered.name, 'holiday_gpj.exe');
  assert.equal(offered.risky, true);
  await r.byId('p2').acceptFile('p1', fid);
  await r.settle();
  assert.equal(r.eventsOf('p2', 'file-complete').at(-1).risky, true);
  // Receivers enforce their own limit too: a larger offer (from a sender with another limit) cannot be accepted.
  const k = b64uEncode(new Uint8Array(32));
  await r.byId('p1').peers.get('p2').channel.sendMessage({
    t: 'file_offer', fid: b64uEncode(new Uint8Array(16).fill(8)), name: 'x', size: 5000, type: '', chunk: FILE_CHUNK_BYTES, sha256: k, k,
  });
  await r.settle();
  assert.equal(r.eventsOf('p2', 'file-offer').at(-1).tooLarge, true);
  assert.equal(await r.byId('p2').acceptFile('p1', b64uEncode(new Uint8Array(16).fill(8))), false);
  assert.equal(isRiskyName('notes.txt'), false);
  assert.equal(isRiskyName('Invoice.PDF.js'), true);
  assert.equal(isRiskyContent(new TextEncoder().encode('<SVG onload=x>')), true);
  assert.equal(isRiskyContent(new TextEncoder().encode('plain text')), false);
  assert.equal(sanitizeFileName('../../etc/passwd'), '_.._etc_passwd');
  assert.equal(sanitizeFileName('\u0000\u202e'), '__');
  assert.equal(sanitizeFileName('...'), 'file');
});

test('chunk parser refuses short bodies and bad last flags without throwing', () => {
  assert.equal(parseChunkBody(new Uint8Array(10)), null);
  const body = new Uint8Array(40);
  body[20] = 2;
  assert.equal(parseChunkBody(body), null);
  body[20] = 1;
  assert.equal(parseChunkBody(body).last, true);
});

// --- rotation -------------------------------------------------------------------------------

test('rotation: everyone adopts the new link; concurrent rotations converge to one secret', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'p3'] });
  const secret = await r.byId('p1').rotateLink();
  await r.settle();
  for (const part of r.parts) assert.equal(toHex(part.linkSecret), toHex(secret));
  assert.ok(r.eventsOf('p2', 'link-rotated').some((e) => e.by === 'p1'));
  r.byId('p2').rotateLink();
  r.byId('p3').rotateLink();
  await r.settle();
  const secrets = r.parts.map((part) => toHex(part.linkSecret));
  assert.equal(new Set(secrets).size, 1, secrets.join(' '));
  assert.ok(r.parts.every((part) => part.gen === 2));
  // The channels survive; a newcomer with the final link gets in.
  const newcomer = await r.add('p4', { slot: 4, secret: r.byId('p1').linkSecret });
  await r.join(newcomer);
  assert.equal(r.byId('p1').peerState('p4').state, 'ESTABLISHED');
  assert.equal(newcomer.gen, 2, 'hello.gen synced the newcomer');
});

test('remove, then rotate: the removed person never receives rotate (not even a blob)', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'p3'] });
  const removed = r.byId('p3');
  const before = toHex(removed.linkSecret);
  await r.leave('p3');
  const logged = r.relay.log.length;
  await r.byId('p1').rotateLink({ exclude: ['p3'] });
  await r.advance(10_000);
  assert.equal(r.relay.log.slice(logged).filter((item) => item.to === 'p3').length, 0);
  assert.equal(toHex(removed.linkSecret), before);
  assert.equal(r.eventsOf('p3', 'link-rotated').length, 0);
  assert.notEqual(toHex(r.byId('p2').linkSecret), before, 'control: the others did rotate');
});

test('names are self-asserted: duplicates (also of my own name) get a suffix; markup stays text', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'p3', 'p4'], connect: false });
  for (const id of ['p2', 'p3']) r.byId(id).name = 'Anna';
  r.byId('p4').name = '<b>name-p1</b>';
  r.byId('p1').name = 'Anna';
  await r.announceAll();
  const names = r.byId('p1').displayNames();
  assert.equal(names.get('p2'), 'Anna (2)');
  assert.equal(names.get('p3'), 'Anna (3)');
  assert.equal(names.get('p4'), '<b>name-p1</b>');
  const other = r.byId('p4').displayNames();
  assert.equal(other.get('p1'), 'Anna', 'control: the first holder of a name keeps it');
});

test('a renamed participant sends a fresh hello: every established peer shows the new name, nobody else', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'p3'] });
  await r.byId('p1').setName('Старое имя');
  await r.settle();
  assert.equal(r.byId('p2').displayNames().get('p1'), 'Старое имя');
  await r.byId('p1').setName('Новое <i>имя</i>');
  await r.settle();
  for (const id of ['p2', 'p3']) assert.equal(r.byId(id).displayNames().get('p1'), 'Новое <i>имя</i>');
  assert.equal(r.byId('p1').name, 'Новое <i>имя</i>');
  // The channels stay established (a later hello is an ordinary message, not a new confirmation).
  for (const id of ['p2', 'p3']) assert.equal(r.byId(id).peerState('p1').state, 'ESTABLISHED');
  await r.byId('p1').setName('x'.repeat(100));
  await r.settle();
  assert.equal(r.byId('p2').displayNames().get('p1'), 'x'.repeat(64), 'names are cut to 64 characters');
});

test('mute and hand travel only encrypted, and a newcomer learns the current state without a new toggle', async () => {
  const r = await makeRoom({ ids: ['p1', 'p2', 'p3'] });
  await r.byId('p1').setCallState({ mic: false, hand: true, bogus: 'x' });
  await r.settle();
  assert.deepEqual(r.byId('p2').peers.get('p1').callState, { mic: false, hand: true });
  assert.deepEqual(r.byId('p3').peers.get('p1').callState, { mic: false, hand: true });
  // Nothing of it is readable on the wire: every blob p1 sent is a handshake or TRANSPORT ciphertext.
  const wire = r.relay.log.filter((item) => item.from === 'p1').map((item) => Buffer.from(item.bytes).toString('latin1')).join('');
  assert.ok(wire.length > 0, 'p1 sent blobs');
  assert.ok(!wire.includes('"hand"') && !wire.includes('"mic"'));
  assert.ok(Buffer.from(JSON.stringify({ t: 'state', mic: false })).toString('latin1').includes('"mic"'), 'control: the search finds it in the clear');
  const newcomer = await r.add('p4', { slot: 4 });
  await r.join(newcomer);
  await r.advance(2_000);
  assert.deepEqual(r.byId('p4').peers.get('p1').callState, { mic: false, hand: true });
  assert.deepEqual(r.byId('p4').peers.get('p2').callState, {}, 'control: p2 never set a state, so none is sent');
});
