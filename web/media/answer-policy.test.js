// node --test web/media/answer-policy.test.js — the §S7 codec policy on the server's answer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { answerPolicyViolations } from "./answer-policy.js";

// What the SFU answers (docs/protocol.md "publish"): Opus with cbr=1, VP8 + RTX, no audio level.
const GOOD = [
  "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1", "a=ice-lite",
  "m=audio 10000 UDP/TLS/RTP/SAVPF 111", "a=mid:0", "a=recvonly", "a=rtpmap:111 opus/48000/2",
  "a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1;cbr=1",
  "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
  "m=video 10000 UDP/TLS/RTP/SAVPF 96 97", "a=mid:1", "a=recvonly", "a=rtpmap:96 VP8/90000",
  "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
  "m=application 0 UDP/DTLS/SCTP webrtc-datachannel", "",
].join("\r\n");

test("the SFU's answer passes", () => {
  assert.deepEqual(answerPolicyViolations(GOOD), []);
});

test("RED, audio level, Opus without cbr=1 and other codecs are each refused", () => {
  const cases = [
    [GOOD.replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:63 red/48000/2\r\na=rtpmap:111 opus/48000/2"), "red"],
    [GOOD.replace("a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid", "a=extmap:4 urn:ietf:params:rtp-hdrext:ssrc-audio-level"), "audio-level"],
    [GOOD.replace(";cbr=1", ""), "opus-vbr"],
    [GOOD.replace("cbr=1", "cbr=0"), "opus-vbr"],
    [GOOD.replace("a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1;cbr=1\r\n", ""), "opus-vbr"],
    [GOOD.replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 H264/90000"), "codec:h264"],
    [GOOD.replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000"), "codec:pcmu"],
  ];
  for (const [sdp, problem] of cases) assert.ok(answerPolicyViolations(sdp).includes(problem), problem);
});

test("a rejected m-line (port 0) does not count; garbage is refused without throwing", () => {
  const rejected = GOOD.replace("m=video 10000", "m=video 0").replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 H264/90000");
  assert.deepEqual(answerPolicyViolations(rejected), []);
  assert.deepEqual(answerPolicyViolations("nonsense"), ["not-sdp"]);
  assert.deepEqual(answerPolicyViolations(undefined), ["not-sdp"]);
});
