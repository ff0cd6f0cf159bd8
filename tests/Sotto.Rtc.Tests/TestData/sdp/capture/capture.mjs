// Regenerates the Chromium SDP fixtures in the folder above this one.
// Not used by the tests: they read the committed .sdp files. Run with
//   npm install && node capture.mjs
// (see ../README.md). Needs /usr/bin/chromium; talks only to a server on localhost.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');

// getUserMedia needs a secure context: http://localhost is one, a LAN address is not.
const page = '<!doctype html><meta charset="utf-8"><title>sdp capture</title><body>sdp capture</body>';
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(page);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;

const userDataDir = mkdtempSync(join(tmpdir(), 'sotto-sdp-capture-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  ],
});

try {
  const tab = context.pages()[0] ?? await context.newPage();
  await tab.goto(`http://localhost:${port}/`);
  const version = context.browser()?.version() ?? await tab.evaluate(() => navigator.userAgent);

  // Helpers installed in the page: every scenario returns { name: sdpText }.
  await tab.evaluate(() => {
    window.gathered = (pc) => new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') { resolve(); return; }
      const timer = setTimeout(resolve, 5000);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') { clearTimeout(timer); resolve(); }
      });
    });
    // Offer with every candidate gathered (non-trickle), as a publisher would send it.
    window.offer = async (pc, options) => {
      await pc.setLocalDescription(await pc.createOffer(options));
      await window.gathered(pc);
      return pc.localDescription.sdp;
    };
    window.connect = async (a, b) => {
      a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
      b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
    };
    window.negotiate = async (a, b, options) => {
      const offer = await a.createOffer(options);
      await a.setLocalDescription(offer);
      await b.setRemoteDescription(offer);
      const answer = await b.createAnswer();
      await b.setLocalDescription(answer);
      await a.setRemoteDescription(answer);
      return { offer: offer.sdp, answer: answer.sdp };
    };
  });

  const fixtures = await tab.evaluate(async () => {
    const out = {};
    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720 } });
    const [audio] = media.getAudioTracks();
    const [video] = media.getVideoTracks();

    // (a) Publisher: audio + camera, sendonly, one stream.
    {
      const pc = new RTCPeerConnection();
      pc.addTransceiver(audio, { direction: 'sendonly', streams: [media] });
      pc.addTransceiver(video, { direction: 'sendonly', streams: [media] });
      out['a-publish-audio-video-offer'] = await window.offer(pc);
      pc.close();
    }

    // (b) VP8 simulcast with three rids (RFC 8853), quarter/half/full resolution.
    {
      const pc = new RTCPeerConnection();
      const t = pc.addTransceiver(video, {
        direction: 'sendonly',
        streams: [media],
        sendEncodings: [
          { rid: 'q', scaleResolutionDownBy: 4 },
          { rid: 'h', scaleResolutionDownBy: 2 },
          { rid: 'f', scaleResolutionDownBy: 1 },
        ],
      });
      const codecs = RTCRtpSender.getCapabilities('video').codecs
        .filter((c) => c.mimeType === 'video/VP8' || c.mimeType === 'video/rtx');
      t.setCodecPreferences(codecs);
      out['b-simulcast-vp8-offer'] = await window.offer(pc);
      pc.close();
    }

    // (c) Subscriber-like: receive only.
    {
      const pc = new RTCPeerConnection();
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.addTransceiver('video', { direction: 'recvonly' });
      out['c-recvonly-offer'] = await window.offer(pc);
      pc.close();
    }

    // (d) Audio + camera + screen share (a second video m-line in its own stream).
    {
      let screen;
      try {
        screen = await navigator.mediaDevices.getDisplayMedia({ video: { width: 1280, height: 720, frameRate: 15 } });
        out.screenSource = 'getDisplayMedia';
      } catch (e) {
        const canvas = document.createElement('canvas');
        canvas.width = 1280; canvas.height = 720;
        canvas.getContext('2d').fillRect(0, 0, 10, 10);
        screen = canvas.captureStream(15);
        out.screenSource = 'canvas.captureStream (getDisplayMedia failed: ' + e.name + ')';
      }
      const pc = new RTCPeerConnection();
      pc.addTransceiver(audio, { direction: 'sendonly', streams: [media] });
      pc.addTransceiver(video, { direction: 'sendonly', streams: [media] });
      pc.addTransceiver(screen.getVideoTracks()[0], { direction: 'sendonly', streams: [screen] });
      out['d-audio-video-screen-offer'] = await window.offer(pc);
      pc.close();
      screen.getTracks().forEach((t) => t.stop());
    }

    // (e) An answer Chromium produces to another peer's offer (both peers in this page).
    {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.addTransceiver(audio, { direction: 'sendrecv', streams: [media] });
      a.addTransceiver(video, { direction: 'sendrecv', streams: [media] });
      await a.setLocalDescription(await a.createOffer());
      await window.gathered(a);
      await b.setRemoteDescription(a.localDescription);
      const remoteStream = new MediaStream();
      for (const t of b.getTransceivers()) {
        t.direction = 'sendrecv';
        await t.sender.replaceTrack(t.receiver.track.kind === 'audio' ? audio.clone() : video.clone());
        t.sender.setStreams(remoteStream);
      }
      await b.setLocalDescription(await b.createAnswer());
      await window.gathered(b);
      out['e-sendrecv-offer'] = a.localDescription.sdp;
      out['e-sendrecv-answer'] = b.localDescription.sdp;
      a.close(); b.close();
    }

    // (f) Data channel only: m=application ... UDP/DTLS/SCTP webrtc-datachannel.
    {
      const pc = new RTCPeerConnection();
      pc.createDataChannel('chat');
      out['f-datachannel-offer'] = await window.offer(pc);
      pc.close();
    }

    // (g) Renegotiation: stop the video transceiver (port 0 m-line), then add a new one that
    // reuses the stopped m-line once negotiation completed (JSEP RFC 8829 §5.2.2).
    {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      window.connect(a, b);
      a.addTransceiver(audio, { direction: 'sendrecv', streams: [media] });
      const v = a.addTransceiver(video, { direction: 'sendrecv', streams: [media] });
      await window.negotiate(a, b);
      v.stop();
      out['g-renegotiate-stopped-offer'] = (await window.negotiate(a, b)).offer;
      a.addTransceiver(video.clone(), { direction: 'sendonly', streams: [media] });
      out['g-renegotiate-reused-offer'] = (await window.negotiate(a, b)).offer;
      a.close(); b.close();
    }

    // (h) ICE restart after a completed negotiation: new ufrag/pwd, same DTLS fingerprint.
    {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      window.connect(a, b);
      a.addTransceiver(audio, { direction: 'sendrecv', streams: [media] });
      a.addTransceiver(video, { direction: 'sendrecv', streams: [media] });
      out['h-ice-restart-initial-offer'] = (await window.negotiate(a, b)).offer;
      await a.setLocalDescription(await a.createOffer({ iceRestart: true }));
      await window.gathered(a);
      out['h-ice-restart-offer'] = a.localDescription.sdp;
      a.close(); b.close();
    }

    media.getTracks().forEach((t) => t.stop());
    return out;
  });

  const screenSource = fixtures.screenSource;
  delete fixtures.screenSource;
  for (const [name, sdp] of Object.entries(fixtures)) {
    writeFileSync(join(outDir, `${name}.sdp`), sdp);
    console.log(`${name}.sdp: ${sdp.length} chars`);
  }
  console.log(`browser: ${version}`);
  console.log(`screen track: ${screenSource}`);
} finally {
  await context.close();
  server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
