// E2EE-SPEC §S7 codec policy, checked on what the server's publish answer actually negotiated
// (the client must not trust the server to have stripped things): no RED (its redundant copies would
// be outside the frame transform's codec checks, LiveKit client-sdk-js#858), no ssrc-audio-level
// header extension (it would tell the server how loud each packet is, RFC 6464, in the clear), Opus
// only with cbr=1 (variable bitrate leaks speech content through packet sizes), and no video codec
// but VP8 (with its RTX). Any violation → the page refuses to send on that answer.

const AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
const ALLOWED = Object.freeze({ audio: ["opus"], video: ["vp8", "rtx"] });

/**
 * The policy violations of an SDP answer, as short strings ("red", "audio-level", "opus-vbr",
 * "codec:<name>"); an empty list when it may be used. Never throws.
 * @param {string} sdp
 * @returns {string[]}
 */
export function answerPolicyViolations(sdp) {
  const problems = new Set();
  if (typeof sdp !== "string") return ["not-sdp"];
  let kind = null;
  /** payload type → codec name, and the fmtp of each, for the current m-line */
  let codecs = new Map();
  let fmtp = new Map();
  let port = 0;
  const finishSection = () => {
    if (kind === null || port === 0) return; // a rejected m-line carries nothing
    for (const [pt, name] of codecs) {
      if (name === "red") problems.add("red");
      else if (!(ALLOWED[kind] ?? []).includes(name)) problems.add(`codec:${name}`);
      if (name === "opus" && !/(^|;)\s*cbr=1(\s*;|\s*$)/.test(fmtp.get(pt) ?? "")) problems.add("opus-vbr");
    }
  };
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("m=")) {
      finishSection();
      const [media, portText] = line.slice(2).split(" ");
      kind = media === "audio" || media === "video" ? media : "other";
      port = Number(portText);
      codecs = new Map();
      fmtp = new Map();
    } else if (line.startsWith("a=rtpmap:")) {
      const match = /^a=rtpmap:(\d+)\s+([^/\s]+)/.exec(line);
      if (match) codecs.set(match[1], match[2].toLowerCase());
    } else if (line.startsWith("a=fmtp:")) {
      const match = /^a=fmtp:(\d+)\s+(.*)$/.exec(line);
      if (match) fmtp.set(match[1], match[2]);
    } else if (line.startsWith("a=extmap:") && line.includes(AUDIO_LEVEL_URI)) {
      if (port !== 0) problems.add("audio-level");
    }
  }
  finishSection();
  if (kind === null) problems.add("not-sdp");
  return [...problems];
}
