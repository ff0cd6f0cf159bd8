// Noise (E2EE-SPEC.md §S4.4) against the cacophony vectors for Noise_IXpsk2 and plain Noise_IX
// (testdata/noise-ixpsk2.json, copied from the project's shared conformance data; source:
// haskell-cryptography/cacophony vectors/cacophony.txt), plus the negatives of §S1 and §S16.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { fromHex, toHex } from './bytes.js';
import {
  CipherState, dh, generateKeyPair, HandshakeState, keyPairFromPrivate, NoiseError, NoiseFailure, Pattern,
} from './noise.js';

const { vectors } = JSON.parse(readFileSync(new URL('./testdata/noise-ixpsk2.json', import.meta.url), 'utf8'));

async function runVector(v) {
  const pattern = v.protocol_name.includes('IXpsk2') ? Pattern.IXpsk2 : Pattern.IX;
  const initiator = await HandshakeState.initialize({
    pattern, initiator: true, prologue: fromHex(v.init_prologue),
    s: await keyPairFromPrivate(fromHex(v.init_static)), e: await keyPairFromPrivate(fromHex(v.init_ephemeral)),
    psk: v.init_psks ? fromHex(v.init_psks[0]) : null,
  });
  const responder = await HandshakeState.initialize({
    pattern, initiator: false, prologue: fromHex(v.resp_prologue),
    s: await keyPairFromPrivate(fromHex(v.resp_static)), e: await keyPairFromPrivate(fromHex(v.resp_ephemeral)),
    psk: v.resp_psks ? fromHex(v.resp_psks[0]) : null,
  });
  const [m1, m2, ...transport] = v.messages;
  const c1 = await initiator.writeMessage(fromHex(m1.payload));
  assert.equal(toHex(c1), m1.ciphertext, 'message 1');
  assert.equal(toHex(await responder.readMessage(c1)), m1.payload);
  const c2 = await responder.writeMessage(fromHex(m2.payload));
  assert.equal(toHex(c2), m2.ciphertext, 'message 2');
  assert.equal(toHex(await initiator.readMessage(c2)), m2.payload);
  assert.equal(toHex(initiator.handshakeHash), v.handshake_hash);
  assert.equal(toHex(responder.handshakeHash), v.handshake_hash);
  const [i2r, r2i] = await initiator.split();
  const [i2rR, r2iR] = await responder.split();
  // After the handshake the initiator sends the odd messages, the responder the even ones.
  for (const [index, m] of transport.entries()) {
    const [send, receive] = index % 2 === 0 ? [i2r, i2rR] : [r2iR, r2i];
    const ct = await send.encryptWithAd(new Uint8Array(0), fromHex(m.payload));
    assert.equal(toHex(ct), m.ciphertext, `transport message ${index + 3}`);
    assert.equal(toHex(await receive.decryptWithAd(new Uint8Array(0), ct)), m.payload);
  }
}

for (const v of vectors) {
  test(`cacophony ${v.protocol_name}: every message and the handshake hash`, () => runVector(v));
}

test('the vector file holds both patterns', () => {
  assert.deepEqual(vectors.map((v) => v.protocol_name).sort(),
    ['Noise_IX_25519_AESGCM_SHA256', 'Noise_IXpsk2_25519_AESGCM_SHA256']);
});

test('a changed vector byte is detected (positive control for the vector check)', async () => {
  const v = structuredClone(vectors.find((x) => x.protocol_name.includes('IXpsk2')));
  v.resp_psks[0] = v.resp_psks[0].replace(/^54/, '55');
  await assert.rejects(runVector(v));
});

// Low-order points of Curve25519 (RFC 7748 §5 inputs that give an all-zero result).
const LOW_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];

test('DH with a low-order public key aborts; a real key works (control)', async () => {
  const me = await generateKeyPair();
  for (const hex of LOW_ORDER) {
    await assert.rejects(dh(me, fromHex(hex)), (e) => e instanceof NoiseError && e.reason === NoiseFailure.BAD_DH, hex);
  }
  const peer = await generateKeyPair();
  assert.equal(toHex(await dh(me, peer.publicKey)), toHex(await dh(peer, me.publicKey)));
});

test('a handshake whose responder ephemeral is low-order aborts at the initiator', async () => {
  const prologue = new Uint8Array(3);
  const psk = new Uint8Array(32);
  const init = await HandshakeState.initialize({ pattern: Pattern.IXpsk2, initiator: true, prologue, s: await generateKeyPair(), psk });
  const resp = await HandshakeState.initialize({ pattern: Pattern.IXpsk2, initiator: false, prologue, s: await generateKeyPair(), psk });
  await resp.readMessage(await init.writeMessage());
  const msg2 = await resp.writeMessage();
  const forged = msg2.slice();
  forged.set(fromHex(LOW_ORDER[1]), 0);
  await assert.rejects(init.readMessage(forged), (e) => e.reason === NoiseFailure.BAD_DH);
});

test('rekey: the old key no longer decrypts; both sides stay in step (control)', async () => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const a = new CipherState(key);
  const b = new CipherState(key);
  const stale = new CipherState(key);
  const ad = new Uint8Array(0);
  const first = await a.encryptWithAd(ad, new Uint8Array([1]));
  await b.decryptWithAd(ad, first);
  await stale.decryptWithAd(ad, first);
  await a.rekey();
  await b.rekey();
  const second = await a.encryptWithAd(ad, new Uint8Array([2]));
  assert.deepEqual([...(await b.decryptWithAd(ad, second))], [2]);
  await assert.rejects(stale.decryptWithAd(ad, second), (e) => e.reason === NoiseFailure.DECRYPT);
  assert.notEqual(toHex(a.keyForVectors()), toHex(key));
});

test('turn order: writing twice or reading out of turn is refused', async () => {
  const init = await HandshakeState.initialize({ pattern: Pattern.IX, initiator: true, prologue: new Uint8Array(0), s: await generateKeyPair() });
  await init.writeMessage();
  await assert.rejects(init.writeMessage(), (e) => e.reason === NoiseFailure.FORMAT);
});
