// SAS emoji (E2EE-SPEC.md §S4.6): the table in sas.js equals testdata/sas-emoji.json (Matrix
// m.sas.v1) with exactly the two Russian overrides; bit order; distinct names in en and ru.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { fromHex } from './bytes.js';
import { emojiIndices, RUSSIAN_OVERRIDES, SAS_EMOJI, sasEmoji } from './sas.js';

const source = JSON.parse(readFileSync(new URL('./testdata/sas-emoji.json', import.meta.url), 'utf8'));

test('the table is the Matrix table, with only #34 and #39 renamed in Russian', () => {
  assert.equal(SAS_EMOJI.length, 64);
  for (const entry of source) {
    const mine = SAS_EMOJI[entry.number];
    assert.equal(mine.emoji, entry.emoji);
    assert.equal(mine.en, entry.en);
    assert.equal(mine.ru, RUSSIAN_OVERRIDES[entry.number] ?? entry.ru);
  }
  assert.equal(SAS_EMOJI[34].ru, 'Гаечный ключ');
  assert.equal(SAS_EMOJI[39].ru, 'Будильник');
});

test('all 64 names are distinct in English and in Russian; the source table alone is not (control)', () => {
  const distinct = (names) => new Set(names.map((n) => n.toLowerCase())).size;
  assert.equal(distinct(SAS_EMOJI.map((e) => e.en)), 64);
  assert.equal(distinct(SAS_EMOJI.map((e) => e.ru)), 64);
  assert.equal(distinct(source.map((e) => e.ru)), 63, 'the detector sees the «Ключ» collision in the source');
});

test('bit order: 0123456789ab → [0, 18, 13, 5, 25, 56, 38] (§S4.6 example)', () => {
  assert.deepEqual(emojiIndices(fromHex('0123456789ab')), [0, 18, 13, 5, 25, 56, 38]);
  assert.deepEqual(emojiIndices(fromHex('000000000000')), [0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(emojiIndices(fromHex('ffffffffffff')), [63, 63, 63, 63, 63, 63, 63]);
  // Only the first 42 bits count: the low 6 bits of the last byte never change the code.
  assert.deepEqual(emojiIndices(fromHex('0123456789ab')), emojiIndices(fromHex('0123456789bf')));
  assert.notDeepEqual(emojiIndices(fromHex('0123456789ab')), emojiIndices(fromHex('0123456789eb')));
  assert.equal(sasEmoji(fromHex('0123456789ab'))[0].en, 'Dog');
  assert.throws(() => emojiIndices(new Uint8Array(5)), RangeError);
});
