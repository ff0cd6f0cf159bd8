// Tests for bytes.js: §S1 notation, strict b64u, constant-time equality, HKDF with empty salt.
import assert from 'node:assert/strict';
import { hkdfSync, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';

import {
  b64uDecode, b64uEncode, concat, equalConstantTime, fromHex, hkdf, lp16, lp8, toHex, u16, u32, u64, u8,
} from './bytes.js';

describe('integers, big-endian (§S1)', () => {
  test('u8/u16/u32/u64 encode big-endian', () => {
    assert.equal(toHex(u8(0xab)), 'ab');
    assert.equal(toHex(u16(0x0102)), '0102');
    assert.equal(toHex(u32(0x01020304)), '01020304');
    assert.equal(toHex(u64(0x0102030405060708n)), '0102030405060708');
    assert.equal(toHex(u64(0xffffffffffffffffn)), 'ffffffffffffffff');
    assert.equal(toHex(u64(300)), '000000000000012c');
  });

  test('out-of-range values throw instead of wrapping', () => {
    assert.throws(() => u8(256), RangeError);
    assert.throws(() => u16(-1), RangeError);
    assert.throws(() => u16(65536), RangeError);
    assert.throws(() => u32(2 ** 32), RangeError);
    assert.throws(() => u64(1n << 64n), RangeError);
    assert.throws(() => u64(2 ** 53), RangeError); // not a safe integer: might already be rounded
    assert.throws(() => u16(1.5), RangeError);
  });

  test('lp8 and lp16 prefix the length', () => {
    assert.equal(toHex(lp8(Uint8Array.of(1, 2, 3))), '03010203');
    assert.equal(toHex(lp16(Uint8Array.of(1, 2, 3))), '0003010203');
    assert.equal(toHex(lp16(new Uint8Array(0))), '0000');
    assert.throws(() => lp8(new Uint8Array(256)), RangeError);
    assert.equal(lp16(new Uint8Array(300)).length, 302);
  });

  test('concat joins in order', () => {
    assert.equal(toHex(concat(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))), '010203');
  });
});

describe('b64u (§S1: base64url, no padding, strict decoder)', () => {
  test('round trips every length 0..70 and matches node\'s base64url', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      const text = b64uEncode(bytes);
      assert.equal(text, Buffer.from(bytes).toString('base64url'));
      assert.deepEqual(b64uDecode(text), bytes);
    }
  });

  test('RFC 4648 §10 vectors (without padding)', () => {
    const vectors = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of vectors) {
      assert.equal(b64uEncode(new TextEncoder().encode(plain)), encoded);
      assert.equal(new TextDecoder().decode(b64uDecode(encoded)), plain);
    }
  });

  test('uses - and _ for 62 and 63', () => {
    assert.equal(b64uEncode(Uint8Array.of(0xfb, 0xff)), '-_8');
    assert.deepEqual(b64uDecode('-_8'), Uint8Array.of(0xfb, 0xff));
  });

  test('rejects padding, standard-alphabet and other bad characters', () => {
    assert.ok(b64uDecode('Zg') !== null, 'positive control');
    for (const bad of ['Zg==', 'Zg=', 'Zm8=', '+_8', '/_8', 'Zm 9v', 'Zm9v\n', 'Zm9\u0436', 'Zm.v']) {
      assert.equal(b64uDecode(bad), null, JSON.stringify(bad));
    }
  });

  test('rejects impossible lengths and non-canonical trailing bits', () => {
    assert.equal(b64uDecode('Z'), null); // 1 mod 4 encodes no byte count
    assert.equal(b64uDecode('Zm9vY'), null);
    assert.deepEqual(b64uDecode('Zg'), Uint8Array.of(0x66), 'positive control');
    assert.equal(b64uDecode('Zh'), null); // same byte 0x66 with non-zero unused bits
    assert.deepEqual(b64uDecode('Zm8'), Uint8Array.of(0x66, 0x6f), 'positive control');
    assert.equal(b64uDecode('Zm9'), null);
  });

  test('expected length is enforced', () => {
    assert.deepEqual(b64uDecode('Zm9v', 3), new TextEncoder().encode('foo'));
    assert.equal(b64uDecode('Zm9v', 4), null);
    assert.equal(b64uDecode('Zm9vYg', 3), null);
  });

  test('non-strings are rejected, not thrown', () => {
    assert.equal(b64uDecode(undefined), null);
    assert.equal(b64uDecode(42), null);
  });
});

describe('constant-time equality', () => {
  test('equal and unequal inputs', () => {
    const a = Uint8Array.of(1, 2, 3, 4);
    assert.equal(equalConstantTime(a, Uint8Array.of(1, 2, 3, 4)), true);
    assert.equal(equalConstantTime(a, Uint8Array.of(1, 2, 3, 5)), false);
    assert.equal(equalConstantTime(a, Uint8Array.of(0, 2, 3, 4)), false);
    assert.equal(equalConstantTime(a, Uint8Array.of(1, 2, 3)), false);
    assert.equal(equalConstantTime(new Uint8Array(0), new Uint8Array(0)), true);
  });
});

describe('HKDF-SHA-256 with an empty salt (§S1)', () => {
  // RFC 5869 Appendix A.3 (test case 3): zero-length salt and info.
  test('RFC 5869 test case 3', async () => {
    const ikm = new Uint8Array(22).fill(0x0b);
    const okm = await hkdf(ikm, new Uint8Array(0), 42);
    assert.equal(toHex(okm),
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  });

  test('matches node:crypto HKDF with an empty salt and with HashLen zero bytes as salt', async () => {
    const ikm = new Uint8Array(randomBytes(32));
    const info = new TextEncoder().encode('sotto/v1/test');
    const ours = await hkdf(ikm, info, 48);
    assert.equal(toHex(ours), Buffer.from(hkdfSync('sha256', ikm, new Uint8Array(0), info, 48)).toString('hex'));
    // RFC 5869 §2.2: "if not provided, [salt] is set to a string of HashLen zeros".
    assert.equal(toHex(ours), Buffer.from(hkdfSync('sha256', ikm, new Uint8Array(32), info, 48)).toString('hex'));
    // Positive control: a non-empty salt gives something else, so the comparison can fail.
    assert.notEqual(toHex(ours), Buffer.from(hkdfSync('sha256', ikm, Uint8Array.of(1), info, 48)).toString('hex'));
  });
});

test('fromHex is strict', () => {
  assert.deepEqual(fromHex('00ff'), Uint8Array.of(0, 255));
  assert.equal(fromHex('0'), null);
  assert.equal(fromHex('zz'), null);
});
