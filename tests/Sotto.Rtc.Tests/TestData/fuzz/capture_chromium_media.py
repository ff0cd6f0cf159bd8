#!/usr/bin/env python3
"""Captures real RTP from the local Chromium and decrypts it (run by hand, not by the tests).

Headless Chromium sends a canvas video track (VP8 only, simulcast rids q/h/f) and a WebAudio tone
(Opus) to an ice-lite answer of ours on loopback. This script answers its ICE checks, relays DTLS to
`openssl s_server -dtls1_2 -use_srtp SRTP_AES128_CM_SHA1_80` (which prints the EXTRACTOR-dtls_srtp
keying material), records the SRTP packets, then authenticates and decrypts them (RFC 3711
AES_CM_128_HMAC_SHA1_80, written here with the `cryptography` package) into ./capture/plain/NNNN.bin.

The answer keeps only mid, rid, repaired-rid, abs-send-time, transport-wide-cc and audio-level
extensions; `--dependency-descriptor` also keeps every other offered extension. With the AV1
dependency descriptor negotiated, Chromium 156 drops picture id, TL0PICIDX and TID from the VP8
payload descriptor (rtp/chromium156-dd-*.bin) — the SFU must not negotiate it if it relies on them.
The rtp/chromium156-*.bin and vp8/chromium156-*.bin seeds were made this way on 2026-11-26.
"""
import glob, hashlib, hmac, os, select, socket, struct, subprocess, sys, tempfile, time, zlib, urllib.parse
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

COOKIE = 0x2112A442
PASSWORD = b'sottoIcePasswordFor24chr'
PAGE = r"""<!doctype html><meta charset="utf-8"><canvas id="c" width="960" height="540"></canvas><script>
(async () => {
  const [port, fp, allExtensions] = decodeURIComponent(location.hash.slice(1)).split('|');
  const canvas = document.getElementById('c'); const g = canvas.getContext('2d');
  let n = 0; setInterval(() => { g.fillStyle = `hsl(${n++ % 360} 80% 50%)`; g.fillRect(0, 0, 960, 540); g.fillStyle = '#000'; g.fillText(String(n), 10 + n % 900, 50 + n % 400); }, 33);
  const video = canvas.captureStream(30).getVideoTracks()[0];
  const ac = new AudioContext(); const osc = ac.createOscillator(); const dst = ac.createMediaStreamDestination(); osc.connect(dst); osc.start();
  const pc = new RTCPeerConnection(); window.pc = pc;
  pc.addTransceiver(dst.stream.getAudioTracks()[0], {direction: 'sendonly'});
  const vt = pc.addTransceiver(video, {direction: 'sendonly', sendEncodings: [{rid: 'q', scaleResolutionDownBy: 4}, {rid: 'h', scaleResolutionDownBy: 2}, {rid: 'f'}]});
  vt.setCodecPreferences(RTCRtpSender.getCapabilities('video').codecs.filter(c => /VP8|rtx/i.test(c.mimeType)));
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  const out = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1', 'a=ice-lite', 'a=extmap-allow-mixed'];
  for (const m of offer.sdp.split(/\r\n(?=m=)/).slice(1)) {
    for (const l of m.split('\r\n').filter(l => l)) {
      if (/^a=(ssrc|ssrc-group|msid|ice-|fingerprint|setup|candidate|end-of-candidates|sendonly|rtcp-rsize|extmap-allow-mixed)/.test(l)) continue;
      if (allExtensions !== '1' && l.startsWith('a=extmap:') && !/sdes:mid|rtp-stream-id|abs-send-time|transport-wide-cc|ssrc-audio-level/.test(l)) continue;
      if (l.startsWith('a=rid:')) { out.push(l.replace(' send', ' recv')); continue; }
      if (l.startsWith('a=simulcast:')) { out.push(l.replace('send', 'recv')); continue; }
      out.push(l);
      if (l.startsWith('c=')) out.push('a=ice-ufrag:S0ttoUfrag12', 'a=ice-pwd:sottoIcePasswordFor24chr', 'a=fingerprint:sha-256 ' + fp,
        'a=setup:passive', 'a=recvonly', 'a=rtcp-rsize', `a=candidate:1 1 udp 2130706431 127.0.0.1 ${port} typ host`, 'a=end-of-candidates');
    }
  }
  await pc.setRemoteDescription({type: 'answer', sdp: out.join('\r\n') + '\r\n'});
})();
</script>
"""


def attr(t, v):
    return struct.pack('>HH', t, len(v)) + v + b'\0' * ((4 - len(v) % 4) % 4)


def stun_success(request, addr):
    tid = request[8:20]
    xip = bytes(a ^ b for a, b in zip(socket.inet_aton(addr[0]), struct.pack('>I', COOKIE)))
    body = attr(0x0020, struct.pack('>BBH', 0, 1, addr[1] ^ (COOKIE >> 16)) + xip)
    head = struct.pack('>HHI', 0x0101, len(body) + 24, COOKIE) + tid
    body += attr(0x0008, hmac.new(PASSWORD, head + body, hashlib.sha1).digest())
    head = struct.pack('>HHI', 0x0101, len(body) + 8, COOKIE) + tid
    body += attr(0x8028, struct.pack('>I', (zlib.crc32(head + body) ^ 0x5354554E) & 0xFFFFFFFF))
    return struct.pack('>HHI', 0x0101, len(body), COOKIE) + tid + body


def aes_cm(key, iv, n):
    return Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor().update(bytes(n))


def srtp_decrypt(packets, keying_material):
    # RFC 5764 §4.2 key block: client key | server key | client salt | server salt; Chromium is the client.
    master_key, master_salt = keying_material[0:16], keying_material[32:46]

    def kdf(label, n):  # RFC 3711 §4.3.1 with key_derivation_rate 0
        x = bytearray(master_salt)
        x[7] ^= label
        return aes_cm(master_key, bytes(x) + b'\0\0', n)
    enc_key, auth_key, salt = kdf(0, 16), kdf(1, 20), kdf(2, 14)
    last, roc, plain = {}, {}, []
    for d in packets:
        seq, ssrc = struct.unpack('>H', d[2:4])[0], struct.unpack('>I', d[8:12])[0]
        r = roc.get(ssrc, 0) + (1 if ssrc in last and last[ssrc] - seq > 30000 else 0)
        last[ssrc], roc[ssrc] = seq, r
        body, tag = d[:-10], d[-10:]
        if hmac.new(auth_key, body + struct.pack('>I', r), hashlib.sha1).digest()[:10] != tag:
            raise ValueError('SRTP authentication failed')
        off = 12 + 4 * (d[0] & 15)
        if d[0] & 0x10:
            off += 4 + 4 * struct.unpack('>H', d[off + 2:off + 4])[0]
        iv = int.from_bytes(salt, 'big') << 16 ^ ssrc << 64 ^ ((r << 16) | seq) << 16
        stream = aes_cm(enc_key, iv.to_bytes(16, 'big'), len(body) - off)
        plain.append(body[:off] + bytes(a ^ b for a, b in zip(body[off:], stream)))
    return plain


def main():
    work = tempfile.mkdtemp(prefix='sotto-media-capture-')
    subprocess.run(['openssl', 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f'{work}/key.pem'], check=True)
    subprocess.run(['openssl', 'req', '-new', '-x509', '-key', f'{work}/key.pem', '-out', f'{work}/cert.pem', '-days', '1', '-subj', '/CN=capture'], check=True)
    fingerprint = subprocess.run(['openssl', 'x509', '-in', f'{work}/cert.pem', '-noout', '-fingerprint', '-sha256'],
                                 check=True, capture_output=True, text=True).stdout.strip().split('=')[1]
    with open(f'{work}/page.html', 'w') as f:
        f.write(PAGE)
    ice = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ice.bind(('127.0.0.1', 0))
    relay = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    relay.bind(('127.0.0.1', 0))
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(('127.0.0.1', 0))
    dtls_port = probe.getsockname()[1]
    probe.close()
    log = open(f'{work}/openssl.log', 'w')
    openssl = subprocess.Popen(['openssl', 's_server', '-dtls1_2', '-accept', f'127.0.0.1:{dtls_port}', '-cert', f'{work}/cert.pem',
                                '-key', f'{work}/key.pem', '-use_srtp', 'SRTP_AES128_CM_SHA1_80', '-keymatexport', 'EXTRACTOR-dtls_srtp',
                                '-keymatexportlen', '60'], stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
    time.sleep(1)
    hash_ = urllib.parse.quote(f"{ice.getsockname()[1]}|{fingerprint}|{'1' if '--dependency-descriptor' in sys.argv else '0'}")
    chromium = subprocess.Popen(['/usr/bin/chromium', '--headless=new', '--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required',
                                 f'--user-data-dir={work}/profile', f'file://{work}/page.html#{hash_}'],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peer, srtp = None, []
    deadline = time.time() + 25
    try:
        while time.time() < deadline:
            readable, _, _ = select.select([ice, relay], [], [], 0.5)
            for sock in readable:
                data, addr = sock.recvfrom(4096)
                if sock is relay:
                    if peer:
                        ice.sendto(data, peer)
                    continue
                peer = addr
                if data[0] < 4 and data[:2] == b'\x00\x01':
                    ice.sendto(stun_success(data, addr), addr)
                elif 20 <= data[0] < 64:
                    relay.sendto(data, ('127.0.0.1', dtls_port))
                elif 128 <= data[0] < 192 and not 192 <= data[1] <= 223 and len(srtp) < 3000:
                    srtp.append(data)
    finally:
        chromium.terminate()
        chromium.wait(5)
        openssl.terminate()
        openssl.wait(5)
        log.close()
    keying = next(l.split(':')[1].strip() for l in open(f'{work}/openssl.log') if 'Keying material:' in l)
    os.makedirs('capture/plain', exist_ok=True)
    for i, packet in enumerate(srtp_decrypt(srtp, bytes.fromhex(keying))):
        with open(f'capture/plain/{i:04d}.bin', 'wb') as f:
            f.write(packet)
    print(f'{len(srtp)} SRTP packets authenticated and decrypted into ./capture/plain')


if __name__ == '__main__':
    main()
