// Sotto's own cross-implementation vectors (testdata/sotto-e2ee-vectors.json, §S16): the modules
// still produce every byte, the live participants produce the same handshake and first messages
// as the module-level computation, and the spec's examples hold.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { BlobType } from './blob.js';
import { fromHex, toHex } from './bytes.js';
import { IncomingFile } from './files.js';
import { FrameKeyring } from './keyring.js';
import { parseLink } from './link.js';
import { keyPairFromPrivate } from './noise.js';
import { E2eeParticipant } from './participant.js';
import { computeVectors } from './testdata/make-e2ee-vectors.mjs';
import { FakeClock } from './testing/fake-clock.js';
import { MemoryRelay, settle } from './testing/relay.js';

const read = (name) => JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8'));
const vectors = read('sotto-e2ee-vectors.json');

test('the modules reproduce sotto-e2ee-vectors.json exactly', async () => {
  assert.deepEqual(await computeVectors(), vectors);
});

test('a changed input changes the output (positive control for the comparison)', async () => {
  const { INPUTS } = await import('./testdata/make-e2ee-vectors.mjs');
  const changed = await computeVectors({ ...INPUTS, ephemeralC: INPUTS.ephemeralC.map((b, i) => (i === 1 ? b ^ 1 : b)) });
  // (not byte 0: X25519 clamping clears its low bits, so flipping bit 0 changes nothing)
  assert.notEqual(changed.handshake.c, vectors.handshake.c);
  assert.notEqual(changed.handshake.hs2_blob, vectors.handshake.hs2_blob);
  assert.equal(changed.link.psk, vectors.link.psk);
});

test('Cyrillic room in NFC/NFD, raw and percent-encoded: one ROOM, one PSK (equal to sotto-frames.json)', () => {
  const rooms = Object.values(vectors.link.forms).map((href) => toHex(parseLink(href).room));
  assert.equal(rooms.length, 4);
  assert.ok(rooms.every((room) => room === vectors.link.room));
  assert.notEqual(vectors.link.forms.nfc_raw, vectors.link.forms.nfd_raw, 'the forms really differ');
  assert.equal(vectors.link.psk, read('sotto-frames.json').psk);
  assert.equal(vectors.link.psk_without_secret, '00'.repeat(32));
});

test('spec examples: KID 0x010100, CTR 5 → a5010100, CTR 300 → a9010100012c; blob sizes', () => {
  assert.equal(vectors.kid[0].kid, '10100');
  assert.equal(vectors.kid[0].header, 'a5010100');
  assert.equal(vectors.kid[1].header, 'a9010100012c');
  assert.equal(fromHex(vectors.handshake.commit_blob).length, 34);
  assert.equal(fromHex(vectors.handshake.hs1_blob).length, 106);
  assert.equal(fromHex(vectors.handshake.hs2_blob).length, 106);
  assert.equal(fromHex(vectors.handshake.resync_blob).length, 10);
  assert.equal(fromHex(vectors.transport.first_i_to_c.blob).length, 282);
  assert.equal(vectors.file.sha256, vectors.file.sha256_check);
});

test('two live participants with the vector keys produce the vector handshake, hellos and SAS', async () => {
  const v = vectors.inputs;
  const clock = new FakeClock();
  const relay = new MemoryRelay();
  const room = fromHex(vectors.link.room);
  const make = async (id, name, staticPrivate, ephemeralPrivate, slot) => {
    const ephemeral = await keyPairFromPrivate(fromHex(ephemeralPrivate));
    const part = await E2eeParticipant.create({
      room, selfId: id, slot, secret: fromHex(v.secret), name, transport: relay.transportFor(id), frames: new FrameKeyring(), clock,
      staticKey: await keyPairFromPrivate(fromHex(staticPrivate)), newEphemeral: async () => ephemeral,
    });
    relay.attach(id, part);
    return part;
  };
  const c = await make(v.id_c, v.name_c, v.static_c_private, v.ephemeral_c_private, 1);
  const i = await make(v.id_i, v.name_i, v.static_i_private, v.ephemeral_i_private, 2);
  c.peerJoined(v.id_i, { slot: 2 });
  i.peerJoined(v.id_c, { slot: 1 });
  await settle(relay, [c, i]);
  const first = (from, type) => toHex(relay.log.find((item) => item.from === from && item.bytes[1] === type).bytes);
  assert.equal(first(v.id_c, BlobType.COMMIT), vectors.handshake.commit_blob);
  assert.equal(first(v.id_i, BlobType.HS1), vectors.handshake.hs1_blob);
  assert.equal(first(v.id_c, BlobType.HS2), vectors.handshake.hs2_blob);
  assert.equal(first(v.id_i, BlobType.TRANSPORT), vectors.transport.first_i_to_c.blob);
  assert.equal(first(v.id_c, BlobType.TRANSPORT), vectors.transport.first_c_to_i.blob);
  assert.deepEqual(c.sasWith(v.id_i).map((e) => e.number), vectors.sas.indices);
  assert.deepEqual(i.sasWith(v.id_c).map((e) => e.ru), vectors.sas.ru);
  assert.equal(c.peers.get(v.id_i).name, v.name_i);
});

test('the vector file chunk decrypts under the vector key; a flipped byte does not (control)', async () => {
  const offer = { fid: fromHex(vectors.inputs.file_id), k: fromHex(vectors.inputs.file_key), size: 5, name: 'x', sha256: new Uint8Array(32) };
  const blob = fromHex(vectors.file.five_byte_file_01to05_chunk_blob);
  const { parseChunkBody } = await import('./files.js');
  const incoming = new IncomingFile('peer', { ...offer }, 1000);
  await incoming.accepted();
  await incoming.acceptChunk(parseChunkBody(blob.subarray(2)));
  assert.equal(incoming.received, 5, 'decrypted and length-checked');
  assert.equal(incoming.failure, 'hash-mismatch', 'the (deliberately wrong) offered hash is then refused');
  const tampered = blob.slice();
  tampered[30] ^= 1;
  const other = new IncomingFile('peer', { ...offer, k: fromHex(vectors.inputs.file_key) }, 1000);
  await other.accepted();
  await other.acceptChunk(parseChunkBody(tampered.subarray(2)));
  assert.equal(other.failure, 'auth-failed');
});
