// The reverse direction of §S16 in CI: the vector file made by the C# implementation
// (tests/Sotto.E2ee.Tests/TestData/sotto-e2ee-vectors-cs.json) must be reproduced byte for byte by
// these browser modules. The check itself is tests/Sotto.E2ee.Tests/JsCheck/check-cs-vectors.mjs
// (it imports web/e2ee); this test runs it in a child node process, and runs it once more on a copy
// with one byte changed, to prove the check can fail.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const check = fileURLToPath(new URL('../../tests/Sotto.E2ee.Tests/JsCheck/check-cs-vectors.mjs', import.meta.url));
const vectors = fileURLToPath(new URL('../../tests/Sotto.E2ee.Tests/TestData/sotto-e2ee-vectors-cs.json', import.meta.url));

function run(file) {
  try {
    return { code: 0, out: execFileSync(process.execPath, [check, file], { encoding: 'utf8' }) };
  } catch (error) {
    return { code: error.status, out: `${error.stdout ?? ''}${error.stderr ?? ''}` };
  }
}

test('the JS modules reproduce every byte of the C#-made vector file', () => {
  const { code, out } = run(vectors);
  assert.equal(code, 0, out);
  assert.match(out, /^all \d+ checks agree$/m);
});

test('control: a C# vector file with one PSK byte changed is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sotto-cs-vectors-'));
  try {
    const cs = JSON.parse(readFileSync(vectors, 'utf8'));
    const psk = cs.link.psk;
    cs.link.psk = (psk[0] === '0' ? '1' : '0') + psk.slice(1);
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(cs));
    const { code, out } = run(tampered);
    assert.equal(code, 1, out);
    assert.match(out, /checks DISAGREE/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
