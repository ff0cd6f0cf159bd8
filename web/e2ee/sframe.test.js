// Tests for sframe.js: RFC 9605 vectors, the spec's examples (§S7), replay window.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { fromHex, toHex } from './bytes.js';
import {
  CIPHER_SUITE_AES_128_GCM_SHA256_128, deriveKeyAndSalt, encodeHeader, MAX_U64, parseHeader, ReceiveFailure,
  ReceiverKey, REPLAY_WINDOW, ReplayWindow, SenderKey, sframeNonce, sframeOpen, sframeSeal,
} from './sframe.js';

/**
 * The vectors with every integer field read as BigInt from the raw text: the file has kid/ctr up
 * to 2^64 − 1 as bare numbers, which JSON.parse would round. Quoting the digits first keeps them.
 */
function loadVectors() {
  const raw = readFileSync(new URL('./testdata/sframe-rfc9605.json', import.meta.url), 'utf8');
  const quoted = raw.replace(/"(kid|ctr|cipher_suite)":\s*(\d+)/g, '"$1": "$2"');
  const vectors = JSON.parse(quoted);
  for (const list of [vectors.header, vectors.sframe]) {
    for (const v of list) {
      v.kid = BigInt(v.kid);
      v.ctr = BigInt(v.ctr);
      if (v.cipher_suite !== undefined) v.cipher_suite = Number(v.cipher_suite);
    }
  }
  return { raw, vectors };
}

const { raw, vectors } = loadVectors();

async function importMaterial(baseKey, kid, usage) {
  const { key, salt } = await deriveKeyAndSalt(baseKey, kid);
  return { aesKey: await crypto.subtle.importKey('raw', key, 'AES-GCM', false, [usage]), salt };
}

describe('RFC 9605 header vectors (§4.3)', () => {
  test('the big values survive loading (JSON.parse alone would round them)', () => {
    assert.ok(raw.includes('18446744073709551615'));
    const big = vectors.header.filter((v) => v.kid > BigInt(Number.MAX_SAFE_INTEGER));
    assert.ok(big.length > 0);
    assert.ok(big.some((v) => BigInt(Number(v.kid)) !== v.kid), 'positive control: Number would lose them');
    assert.ok(vectors.header.some((v) => v.kid === MAX_U64 && v.ctr === MAX_U64));
  });

  test(`encode and decode all ${vectors.header.length} vectors byte for byte`, () => {
    assert.ok(vectors.header.length > 200);
    for (const v of vectors.header) {
      assert.equal(toHex(encodeHeader(v.kid, v.ctr)), v.encoded, `kid=${v.kid} ctr=${v.ctr}`);
      const bytes = fromHex(v.encoded);
      assert.deepEqual(parseHeader(bytes), { kid: v.kid, ctr: v.ctr, length: bytes.length });
    }
  });

  test('decoding at an offset, and every truncation returns null', () => {
    for (const v of vectors.header) {
      const bytes = fromHex(v.encoded);
      const padded = new Uint8Array([0xee, ...bytes, 0xee]);
      assert.deepEqual(parseHeader(padded, 1), { kid: v.kid, ctr: v.ctr, length: bytes.length });
      for (let cut = 0; cut < bytes.length; cut++) {
        assert.equal(parseHeader(bytes.subarray(0, cut)), null, `${v.encoded} cut at ${cut}`);
      }
    }
  });

  test('a non-minimal encoding parses (RFC 9605 does not forbid it; the header is in the AAD)', () => {
    assert.deepEqual(parseHeader(fromHex('8000')), { kid: 0n, ctr: 0n, length: 2 });
    assert.deepEqual(parseHeader(fromHex('0f0000000000000005')), { kid: 0n, ctr: 5n, length: 9 });
    assert.equal(toHex(encodeHeader(0n, 5n)), '05', 'the encoder uses the short form');
  });

  test('random bytes never make the parser throw', () => {
    for (let i = 0; i < 5000; i++) {
      const bytes = crypto.getRandomValues(new Uint8Array(i % 20));
      const header = parseHeader(bytes);
      if (header !== null) assert.ok(header.length <= bytes.length);
    }
  });

  test('encoder refuses values outside u64', () => {
    assert.throws(() => encodeHeader(-1n, 0n), RangeError);
    assert.throws(() => encodeHeader(0n, MAX_U64 + 1n), RangeError);
    assert.throws(() => encodeHeader(1, 0n), RangeError); // a Number, not a BigInt
  });
});

describe('RFC 9605 suite 0x0004 vectors (§4.4)', () => {
  const suite4 = vectors.sframe.filter((v) => v.cipher_suite === CIPHER_SUITE_AES_128_GCM_SHA256_128);

  test('there is a suite-4 vector', () => {
    assert.equal(suite4.length, 1);
  });

  for (const v of suite4) {
    test(`key, salt, nonce, aad and ciphertext for kid=${v.kid} ctr=${v.ctr}`, async () => {
      const baseKey = fromHex(v.base_key);
      const { key, salt } = await deriveKeyAndSalt(baseKey, v.kid);
      assert.equal(toHex(key), v.sframe_key);
      assert.equal(toHex(salt), v.sframe_salt);
      assert.equal(toHex(sframeNonce(salt, v.ctr)), v.nonce);
      const header = encodeHeader(v.kid, v.ctr);
      assert.equal(toHex(header) + v.metadata, v.aad);

      const sealed = await sframeSeal(await importMaterial(baseKey, v.kid, 'encrypt'), v.kid, v.ctr,
        fromHex(v.metadata), fromHex(v.pt));
      assert.equal(toHex(sealed), v.ct);

      const ct = fromHex(v.ct);
      const opener = await importMaterial(baseKey, v.kid, 'decrypt');
      const pt = await sframeOpen(opener, ct.subarray(0, header.length), v.ctr, fromHex(v.metadata), ct.subarray(header.length));
      assert.equal(toHex(pt), v.pt);
      // Positive control: other metadata (the clear prefix) fails authentication.
      assert.equal(await sframeOpen(opener, ct.subarray(0, header.length), v.ctr, fromHex('00'), ct.subarray(header.length)), null);
    });
  }
});

describe('the spec\'s examples (§S7)', () => {
  test('KID 0x010100: CTR 5 → a5010100, CTR 300 → a9010100012c', () => {
    assert.equal(toHex(encodeHeader(0x010100n, 5n)), 'a5010100');
    assert.equal(toHex(encodeHeader(0x010100n, 300n)), 'a9010100012c');
    assert.deepEqual(parseHeader(fromHex('a9010100012c')), { kid: 0x010100n, ctr: 300n, length: 6 });
  });
});

describe('SenderKey: one counter per KID (§S7)', () => {
  test('counters run 0, 1, 2 … and concurrent calls never share one', async () => {
    const sender = await SenderKey.create(new Uint8Array(16), 0x010100n);
    const sealed = await Promise.all(Array.from({ length: 50 }, () => sender.encrypt(new Uint8Array(0), Uint8Array.of(1))));
    const ctrs = sealed.map((s) => parseHeader(s).ctr);
    assert.deepEqual(ctrs, Array.from({ length: 50 }, (_, i) => BigInt(i)));
    assert.equal(sender.nextCounter, 50n);
  });

  test('the last counter is 2^64 − 1; after it the key refuses instead of wrapping to 0', async () => {
    const sender = await SenderKey.create(new Uint8Array(16), 0x010100n, MAX_U64 - 1n);
    assert.equal(parseHeader(await sender.encrypt(new Uint8Array(0), Uint8Array.of(1))).ctr, MAX_U64 - 1n);
    const last = await sender.encrypt(new Uint8Array(0), Uint8Array.of(1));
    assert.equal(toHex(last.subarray(0, 12)), 'af010100ffffffffffffffff'); // 3-byte KID, 8-byte CTR
    assert.equal(await sender.encrypt(new Uint8Array(0), Uint8Array.of(1)), null);
    assert.equal(await sender.encrypt(new Uint8Array(0), Uint8Array.of(1)), null);
  });
});

describe('ReplayWindow (512 per (KID, key), §S7)', () => {
  test('accepts new counters, rejects repeats and anything 512 or more behind', () => {
    const window = new ReplayWindow();
    assert.equal(window.check(0n), null);
    window.mark(0n);
    assert.equal(window.check(0n), ReceiveFailure.REPLAY);
    window.mark(1000n);
    assert.equal(window.check(1000n - BigInt(REPLAY_WINDOW)), ReceiveFailure.TOO_OLD);
    assert.equal(window.check(1000n - BigInt(REPLAY_WINDOW) + 1n), null); // oldest still inside
    assert.equal(window.check(999n), null);
    window.mark(999n);
    assert.equal(window.check(999n), ReceiveFailure.REPLAY);
    assert.equal(window.check(0n), ReceiveFailure.TOO_OLD);
  });

  test('advancing clears the slots it passes (no stale bits from 512 counters ago)', () => {
    const window = new ReplayWindow();
    for (let c = 0n; c < 512n; c++) window.mark(c);
    window.mark(600n); // slots of 512..599 reuse those of 0..87
    for (let c = 513n; c < 600n; c++) assert.equal(window.check(c), null, `ctr ${c}`);
    assert.equal(window.check(100n), ReceiveFailure.REPLAY); // still inside, was marked
    assert.equal(window.check(88n), ReceiveFailure.TOO_OLD);
    window.mark(600n + 10_000n); // a jump beyond the window
    assert.equal(window.check(10_599n), null);
    assert.equal(window.check(10_600n), ReceiveFailure.REPLAY);
  });

  test('works at the top of the counter space', () => {
    const window = new ReplayWindow();
    window.mark(MAX_U64);
    assert.equal(window.check(MAX_U64), ReceiveFailure.REPLAY);
    assert.equal(window.check(MAX_U64 - 1n), null);
  });
});

describe('ReceiverKey', () => {
  test('decrypts, then refuses the replay; a failed decryption leaves the window alone', async () => {
    const baseKey = Uint8Array.from({ length: 16 }, (_, i) => i);
    const kid = 0x020000n;
    const sender = await SenderKey.create(baseKey, kid);
    const receiver = await ReceiverKey.create(baseKey, kid);
    const sealed = await sender.encrypt(Uint8Array.of(9), Uint8Array.of(1, 2, 3));
    const { length } = parseHeader(sealed);
    const open = (bytes, metadata = Uint8Array.of(9)) =>
      receiver.decrypt(bytes.subarray(0, length), parseHeader(bytes).ctr, metadata, bytes.subarray(length));

    const wrongMetadata = await open(sealed, Uint8Array.of(8));
    assert.deepEqual(wrongMetadata, { failure: ReceiveFailure.AUTH_FAILED });
    assert.equal(receiver.highestCounter, -1n);
    assert.deepEqual(await open(sealed), { plaintext: Uint8Array.of(1, 2, 3) });
    assert.equal(receiver.highestCounter, 0n);
    assert.deepEqual(await open(sealed), { failure: ReceiveFailure.REPLAY });
  });
});
