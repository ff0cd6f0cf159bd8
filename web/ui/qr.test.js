// node --test web/ui/qr.test.js — the vendored QR encoder is the pinned file, and what it draws is
// a well-formed QR symbol (ISO/IEC 18004): right size, finder and timing patterns, and format
// information that is a valid BCH codeword for error-correction level M.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { qrMatrix } from "./qr.js";

const VENDOR = new URL("../vendor/qrcode-generator-2.0.4/", import.meta.url);

test("the vendored qrcode-generator is exactly the pinned file", () => {
  const [expected] = readFileSync(new URL("SHA256SUMS", VENDOR), "utf8").split(/\s+/);
  const actual = createHash("sha256").update(readFileSync(new URL("qrcode.mjs", VENDOR))).digest("hex");
  assert.equal(actual, expected);
  assert.equal(expected, "ea91d7118a5395289170da848b7c6758b996163bfbccf312591ab65a4911b7c0");
});

const LINK = "https://calls.example.org/stage-deny-youth-plunge-book-shift#k=" + "A".repeat(42) + "Q";

function finderAt(m, row, col) {
  for (let r = 0; r < 7; r++) {
    for (let c = 0; c < 7; c++) {
      const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
      if (m[row + r][col + c] !== (ring !== 2)) return false; // dark, light ring, dark 3x3 core
    }
  }
  return true;
}

/** Format information next to the top-left finder (ISO/IEC 18004 §7.9), unmasked. */
function formatBits(m) {
  const cells = [[8, 0], [8, 1], [8, 2], [8, 3], [8, 4], [8, 5], [8, 7], [8, 8], [7, 8], [5, 8], [4, 8], [3, 8], [2, 8], [1, 8], [0, 8]];
  let bits = 0;
  for (const [r, c] of cells) bits = (bits << 1) | (m[r][c] ? 1 : 0);
  return bits ^ 0b101010000010010;
}

function bchRemainder(value) {
  let v = value;
  const g = 0b10100110111;
  for (let i = 14; i >= 10; i--) if (v & (1 << i)) v ^= g << (i - 10);
  return v;
}

test("a room link becomes a well-formed level-M QR symbol", () => {
  const m = qrMatrix(LINK);
  const size = m.length;
  assert.equal((size - 17) % 4, 0, "size is 4·version + 17");
  assert.ok(size >= 21 && size <= 57, `version ${(size - 17) / 4} for a ${LINK.length}-character link`);
  assert.ok(m.every((row) => row.length === size));
  assert.ok(finderAt(m, 0, 0) && finderAt(m, 0, size - 7) && finderAt(m, size - 7, 0), "three finder patterns");
  for (let i = 8; i < size - 8; i++) {
    assert.equal(m[6][i], i % 2 === 0, `horizontal timing at ${i}`);
    assert.equal(m[i][6], i % 2 === 0, `vertical timing at ${i}`);
  }
  const format = formatBits(m);
  assert.equal(bchRemainder(format), 0, "format information is a BCH(15,5) codeword");
  assert.equal(format >> 13, 0b00, "error-correction level M");
  assert.equal(m[size - 8][8], true, "the dark module");
});

test("different links give different symbols; non-ASCII input is refused", () => {
  assert.notDeepEqual(qrMatrix(LINK), qrMatrix(LINK.replace("AQ", "AA")));
  assert.throws(() => qrMatrix("https://host/комната"), RangeError);
});
