// The incremental SHA-256 used for received files (§S10) against WebCrypto, over lengths around
// the block and padding boundaries and arbitrary chunk splits.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { toHex } from './bytes.js';
import { Sha256Stream } from './sha256-stream.js';

const webDigest = async (bytes) => toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));

test('FIPS 180-4 "abc" and the empty string', () => {
  assert.equal(toHex(new Sha256Stream().update(new TextEncoder().encode('abc')).digest()),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(toHex(new Sha256Stream().digest()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('every length 0..300 and random splits agree with WebCrypto; a changed byte does not (control)', async () => {
  const data = crypto.getRandomValues(new Uint8Array(300));
  for (let length = 0; length <= 300; length++) {
    const input = data.subarray(0, length);
    const stream = new Sha256Stream();
    let offset = 0;
    while (offset < length) {
      const step = 1 + Math.floor(Math.random() * 90);
      stream.update(input.subarray(offset, offset + step));
      offset += step;
    }
    assert.equal(toHex(stream.digest()), await webDigest(input), `length ${length}`);
  }
  const changed = data.slice();
  changed[5] ^= 1;
  assert.notEqual(toHex(new Sha256Stream().update(changed).digest()), await webDigest(data));
});
