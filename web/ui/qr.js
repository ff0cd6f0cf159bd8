// A QR code of the full room link, drawn on a <canvas> in the page: the link (with its secret)
// never leaves the browser to be rendered. Encoder: vendored qrcode-generator 2.0.4 (see
// web/vendor/qrcode-generator-2.0.4/README.md for why and its hash).
import qrcode from "../vendor/qrcode-generator-2.0.4/qrcode.mjs";

const QUIET_ZONE = 4; // modules of light border, ISO/IEC 18004 §6.3.8

/**
 * The module matrix of `text` (error correction M: survives a smudged phone screen, and a 120-char
 * link still fits in version 7). Only ASCII goes in: room links are percent-encoded.
 * @returns {boolean[][]} rows of dark (true) / light modules, without the quiet zone
 */
export function qrMatrix(text) {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new RangeError("QR input must be printable ASCII (a percent-encoded link)");
  const code = qrcode(0, "M");
  code.addData(text, "Byte");
  code.make();
  const size = code.getModuleCount();
  const rows = [];
  for (let r = 0; r < size; r++) {
    const row = [];
    for (let c = 0; c < size; c++) row.push(code.isDark(r, c));
    rows.push(row);
  }
  return rows;
}

/** Draws `text` as a QR code filling the canvas (dark on white in every colour scheme: scanners need it). */
export function drawQr(canvas, text, pixels = 200) {
  const matrix = qrMatrix(text);
  const modules = matrix.length + 2 * QUIET_ZONE;
  const scale = Math.max(1, Math.floor(pixels / modules));
  canvas.width = canvas.height = modules * scale;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#000000";
  matrix.forEach((row, r) => row.forEach((dark, c) => {
    if (dark) ctx.fillRect((c + QUIET_ZONE) * scale, (r + QUIET_ZONE) * scale, scale, scale);
  }));
  canvas.dataset.modules = String(matrix.length);
}
