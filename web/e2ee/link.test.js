// Tests for link.js: §S2 link parsing, ROOM bytes, PSK.
import assert from 'node:assert/strict';
import { hkdfSync } from 'node:crypto';
import { describe, test } from 'node:test';

import { b64uEncode, concat, lp16, toHex, utf8 } from './bytes.js';
import {
  linkPsk, LinkProblem, MalformedLinkError, parseLink, parseLinkFragment, roomFromPathname,
  takeLinkFromAddressBar,
} from './link.js';

const SECRET = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
const SECRET_TEXT = b64uEncode(SECRET); // 43 characters

function assertMalformed(fn, problem) {
  assert.throws(fn, (error) => error instanceof MalformedLinkError && error.problem === problem);
}

describe('link fragment (§S2)', () => {
  test('a good link yields the 32-byte secret and the room', () => {
    assert.equal(SECRET_TEXT.length, 43);
    const link = parseLink(`https://sotto.example/quiet-otter-42#k=${SECRET_TEXT}`);
    assert.deepEqual(link.secret, SECRET);
    assert.deepEqual(link.room, utf8('quiet-otter-42'));
  });

  test('no # at all means no secret', () => {
    assert.equal(parseLink('https://sotto.example/room').secret, null);
    assert.equal(parseLinkFragment(null), null);
  });

  test('anything else after # is malformed', () => {
    assert.deepEqual(parseLinkFragment(`k=${SECRET_TEXT}`), SECRET, 'positive control');
    const bad = [
      '', // "room#": a link cut short
      'k=',
      `k=${SECRET_TEXT.slice(0, 42)}`, // short
      `k=${SECRET_TEXT}A`, // long
      `k=${SECRET_TEXT}=`, // padded
      `k=${Buffer.from(SECRET).toString('base64')}`, // standard base64 with padding
      `k=${SECRET_TEXT.slice(0, 10)}+${SECRET_TEXT.slice(11)}`, // bad character
      `k=${SECRET_TEXT.slice(0, 10)}/${SECRET_TEXT.slice(11)}`,
      `k=${SECRET_TEXT.slice(0, 42)}B`, // non-canonical: unused low bits set
      `K=${SECRET_TEXT}`,
      `x=${SECRET_TEXT}`,
      `k=${SECRET_TEXT}&foo=1`,
      ` k=${SECRET_TEXT}`,
    ];
    for (const fragment of bad) {
      assertMalformed(() => parseLinkFragment(fragment), LinkProblem.MALFORMED_FRAGMENT);
      assertMalformed(() => parseLink(`https://h/room#${fragment}`), LinkProblem.MALFORMED_FRAGMENT);
    }
  });
});

describe('ROOM bytes (§S2)', () => {
  // "Тайная встреча": й is U+0439 in NFC and U+0438 U+0306 in NFD.
  const nfc = 'Тайная-встреча'.normalize('NFC');
  const nfd = nfc.normalize('NFD');

  test('NFC, NFD, raw and percent-encoded Cyrillic names give the same bytes and key', async () => {
    assert.notDeepEqual(utf8(nfc), utf8(nfd), 'positive control: the two spellings differ as bytes');
    const links = [
      `https://h/${nfc}`,
      `https://h/${nfd}`,
      `https://h/${encodeURIComponent(nfc)}`,
      `https://h/${encodeURIComponent(nfd)}`,
      `https://h/${encodeURIComponent(nfd).toLowerCase()}/extra/segments?x=1`,
    ].map((base) => parseLink(`${base}#k=${SECRET_TEXT}`));
    const keys = await Promise.all(links.map((link) => linkPsk(link.secret, link.room)));
    for (let i = 0; i < links.length; i++) {
      assert.deepEqual(links[i].room, utf8(nfc), `link ${i}`);
      assert.deepEqual(keys[i], keys[0], `key ${i}`);
    }
    // Positive control: the same derivation over the NFD bytes gives another key.
    assert.notDeepEqual(await linkPsk(SECRET, utf8(nfd)), keys[0]);
  });

  test('1 to 256 bytes, valid percent-encoding and UTF-8 only', () => {
    assert.equal(roomFromPathname(`/${'a'.repeat(256)}`).length, 256);
    assert.equal(roomFromPathname('/a').length, 1);
    assert.equal(roomFromPathname(`/${'я'.repeat(128)}`).length, 256); // 2 bytes each
    for (const bad of ['/', '', `/${'a'.repeat(257)}`, `/${'я'.repeat(129)}`, '/%zz', '/abc%', '/%D0', '/%FF%FE']) {
      assertMalformed(() => roomFromPathname(bad), LinkProblem.BAD_ROOM);
    }
  });

  test('only the first path segment counts', () => {
    assert.deepEqual(roomFromPathname('/room/ignored'), utf8('room'));
    assert.deepEqual(roomFromPathname('/a%2Fb'), utf8('a/b')); // an encoded slash is part of the name
  });
});

describe('keys from the link', () => {
  const room = utf8('Тайная-встреча');

  test('PSK = HKDF(S, "sotto/v1/psk" ‖ lp16(ROOM), 32); 32 zero bytes without a secret', async () => {
    const info = concat(utf8('sotto/v1/psk'), lp16(room));
    const expected = hkdfSync('sha256', SECRET, new Uint8Array(0), info, 32);
    assert.equal(toHex(await linkPsk(SECRET, room)), Buffer.from(expected).toString('hex'));
    assert.deepEqual(await linkPsk(null, room), new Uint8Array(32));
  });

  test('different rooms give different keys', async () => {
    assert.notDeepEqual(await linkPsk(SECRET, utf8('a')), await linkPsk(SECRET, utf8('b')));
  });
});

describe('taking the link from the address bar (§S2)', () => {
  function fakeWindow(href) {
    const url = new URL(href);
    const calls = [];
    return {
      calls,
      location: { href, pathname: url.pathname, search: url.search },
      history: { replaceState: (...args) => calls.push(args) },
    };
  }

  test('reads the secret and removes the fragment, keeping path and query', () => {
    const win = fakeWindow(`https://h/room?lang=ru#k=${SECRET_TEXT}`);
    const link = takeLinkFromAddressBar(win);
    assert.deepEqual(link.secret, SECRET);
    assert.deepEqual(win.calls, [[null, '', '/room?lang=ru']]);
  });

  test('removes even a malformed fragment before refusing it', () => {
    const win = fakeWindow(`https://h/room#k=${SECRET_TEXT.slice(0, 30)}`);
    assertMalformed(() => takeLinkFromAddressBar(win), LinkProblem.MALFORMED_FRAGMENT);
    assert.deepEqual(win.calls, [[null, '', '/room']]);
  });

  test('leaves a link without # alone', () => {
    const win = fakeWindow('https://h/room');
    assert.equal(takeLinkFromAddressBar(win).secret, null);
    assert.deepEqual(win.calls, []);
  });
});
