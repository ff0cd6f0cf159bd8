// The sources a participant publishes (docs/protocol.md "publish"; E2EE-SPEC §S7 stream numbers).
import { Stream } from "../e2ee/frame-policy.js";

export const Source = Object.freeze({
  MIC: "mic",
  CAMERA: "camera",
  SCREEN: "screen",
  SCREEN_AUDIO: "screen-audio",
});

// A Map, not an object literal: a server-sent source such as "toString" must not find a prototype member.
const STREAM_OF_SOURCE = new Map([
  [Source.MIC, Stream.MIC],
  [Source.CAMERA, Stream.CAMERA],
  [Source.SCREEN, Stream.SCREEN_VIDEO],
  [Source.SCREEN_AUDIO, Stream.SCREEN_AUDIO],
]);

/** The KID stream number of a source, or undefined for an unknown one. */
export function streamOfSource(source) {
  return STREAM_OF_SOURCE.get(source);
}

/**
 * Camera simulcast, listed low to high (the SFU takes the last active rid as the best layer,
 * docs/media.md). VP8 simulcast is L1T3 in Chromium.
 */
export const CAMERA_ENCODINGS = Object.freeze([
  { rid: "q", scaleResolutionDownBy: 4 },
  { rid: "h", scaleResolutionDownBy: 2 },
  { rid: "f", scaleResolutionDownBy: 1 },
]);

/** What we ask the camera and screen for; 960x540 is the smallest size that gets three layers (DESIGN.md §9). */
export const CAMERA_CONSTRAINTS = Object.freeze({ width: { ideal: 960 }, height: { ideal: 540 }, frameRate: { ideal: 30 } });
export const SCREEN_CONSTRAINTS = Object.freeze({ width: { max: 1280 }, height: { max: 720 }, frameRate: { max: 15 } });

/**
 * Codec preferences for a transceiver: only what Sotto negotiates (Opus; VP8 with its RTX), so the
 * offer carries nothing the SFU would strip (no RED, no H264/VP9/AV1).
 */
export function preferredCodecs(kind) {
  const capabilities = RTCRtpReceiver.getCapabilities(kind)?.codecs ?? [];
  const wanted = kind === "audio" ? ["audio/opus"] : ["video/vp8", "video/rtx"];
  return capabilities.filter((c) => wanted.includes(c.mimeType.toLowerCase()));
}
