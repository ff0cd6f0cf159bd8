// The microphone meter's level from a window of WebAudio samples (ui/prejoin.js).

/**
 * 0–100: the loudest block of `blockSize` samples (512 ≈ 10 ms at 48 kHz) in the window, by RMS
 * (an RMS of 1/3 of full scale or more reads 100). The loudest block, not the whole window's RMS,
 * so a short sound anywhere in the window shows at its own level.
 */
export function meterLevel(samples, blockSize = 512) {
  let loudest = 0;
  for (let start = 0; start + blockSize <= samples.length; start += blockSize) {
    let sum = 0;
    for (let i = start; i < start + blockSize; i++) sum += samples[i] * samples[i];
    loudest = Math.max(loudest, sum / blockSize);
  }
  return Math.min(100, Math.round(Math.sqrt(loudest) * 300));
}
