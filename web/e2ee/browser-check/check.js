// Real-browser check of web/e2ee (run by run.mjs, not part of the served app's flow): one page,
// three peer connections on loopback. Worker A encrypts the fake camera and microphone under its
// per-sender key (§S6) toward two receivers: B holds A's key for A's slot, C a different key. Expected: B decodes video, C decodes
// nothing [positive control that frames really are encrypted — a pass-through would decode at C],
// and A's two senders share one counter per KID (the two transforms use one keyring).
import { canEncryptFrames, FrameCrypto } from '../frame-crypto.js';
import { Stream } from '../frame-policy.js';

/** Enough frames to call it working; the page waits for them rather than for a fixed time. */
const ENOUGH_FRAMES = 60;
const GIVE_UP_MS = 30_000;

async function connect(from, to) {
  from.onicecandidate = (e) => e.candidate && to.addIceCandidate(e.candidate);
  to.onicecandidate = (e) => e.candidate && from.addIceCandidate(e.candidate);
  await from.setLocalDescription();
  await to.setRemoteDescription(from.localDescription);
  await to.setLocalDescription();
  await from.setRemoteDescription(to.localDescription);
}

function publish(pc, frames, media) {
  const video = pc.addTransceiver('video', { direction: 'sendonly' });
  const audio = pc.addTransceiver('audio', { direction: 'sendonly' });
  // Only VP8 and Opus (§S7): Chromium would otherwise negotiate RED for audio.
  video.setCodecPreferences(RTCRtpSender.getCapabilities('video').codecs.filter((c) => c.mimeType === 'video/VP8'));
  audio.setCodecPreferences(RTCRtpSender.getCapabilities('audio').codecs.filter((c) => c.mimeType === 'audio/opus'));
  // Transform first, track second: frames pass in the clear until the transform is set.
  frames.attachSenderTransform(video.sender, { stream: Stream.CAMERA });
  frames.attachSenderTransform(audio.sender, { stream: Stream.MIC });
  return Promise.all([video.sender.replaceTrack(media.getVideoTracks()[0]), audio.sender.replaceTrack(media.getAudioTracks()[0])]);
}

function subscribe(pc, frames) {
  pc.ontrack = (e) => frames.attachReceiverTransform(e.receiver, {
    stream: e.track.kind === 'video' ? Stream.CAMERA : Stream.MIC, ownerSlot: 1,
  });
}

async function inbound(pc) {
  const out = {};
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp') out[s.kind] = { packetsReceived: s.packetsReceived, framesDecoded: s.framesDecoded, keyFramesDecoded: s.keyFramesDecoded };
  });
  return out;
}

async function main() {
  if (!canEncryptFrames()) return { canEncrypt: false };
  const key = new Uint8Array(16).fill(7);
  const a = FrameCrypto.start();
  const b = FrameCrypto.start();
  const c = FrameCrypto.start();
  await Promise.all([a.setOwnSlot(1), b.setOwnSlot(2), c.setOwnSlot(3)]);
  // Per-sender keys, as participant.js installs them: A's own key, and A's key at slot 1 in B.
  await Promise.all([a.setSenderKey(0, key.slice()), b.addReceiverKey(1, 0, key.slice()), c.addReceiverKey(1, 0, new Uint8Array(16).fill(8))]);

  const media = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
  const toB = new RTCPeerConnection();
  const toC = new RTCPeerConnection();
  const atB = new RTCPeerConnection();
  const atC = new RTCPeerConnection();
  await publish(toB, a, media);
  await publish(toC, a, media);
  subscribe(atB, b);
  subscribe(atC, c);
  await connect(toB, atB);
  await connect(toC, atC);
  const started = performance.now();
  for (;;) {
    const [decoded, refused] = [(await inbound(atB)).video?.framesDecoded ?? 0, (await c.getStats()).receiveDropped['auth-failed'] ?? 0];
    if ((decoded >= ENOUGH_FRAMES && refused >= ENOUGH_FRAMES) || performance.now() - started > GIVE_UP_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    canEncrypt: true,
    userAgent: navigator.userAgent,
    sender: await a.getStats(),
    sameKey: { frames: await b.getStats(), inbound: await inbound(atB) },
    otherKey: { frames: await c.getStats(), inbound: await inbound(atC) },
  };
}

main()
  .catch((error) => ({ error: String(error), stack: error.stack }))
  .then((result) => fetch('/result', { method: 'POST', body: JSON.stringify(result) }));
