#!/usr/bin/env python3
"""Captures real ICE connectivity checks from the local Chromium (run by hand, not by the tests).

Opens a headless Chromium on a page whose RTCPeerConnection gets an ice-lite answer pointing at a
loopback UDP socket of ours (ufrag S0ttoUfrag12, password sottoIcePasswordFor24chr). Chromium's
Binding requests are answered by an independent Python encoder so that Chromium goes on to nominate
(USE-CANDIDATE). Every datagram received is written to ./capture/NN.bin. stun/chromium156-check*.bin
were made this way on 2026-11-26 with Chromium 156 (capture 00: first check; 03: nominating check).
"""
import hashlib, hmac, os, socket, struct, subprocess, tempfile, time, zlib

COOKIE = 0x2112A442
PASSWORD = b'sottoIcePasswordFor24chr'
PAGE = """<!doctype html><meta charset="utf-8"><script>
(async () => {
  const port = Number(location.hash.slice(1));
  const pc = new RTCPeerConnection();
  pc.createDataChannel('probe');
  await pc.setLocalDescription(await pc.createOffer());
  const fp = Array.from({length: 32}, (_, i) => (i * 7 % 256).toString(16).padStart(2, '0').toUpperCase()).join(':');
  const answer = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0', 'a=ice-lite',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', 'a=mid:0',
    'a=ice-ufrag:S0ttoUfrag12', 'a=ice-pwd:sottoIcePasswordFor24chr', 'a=fingerprint:sha-256 ' + fp,
    'a=setup:passive', 'a=sctp-port:5000',
    `a=candidate:1 1 udp 2130706431 127.0.0.1 ${port} typ host`, 'a=end-of-candidates', ''].join('\\r\\n');
  await pc.setRemoteDescription({type: 'answer', sdp: answer});
})();
</script>
"""


def attr(t, v):
    return struct.pack('>HH', t, len(v)) + v + b'\0' * ((4 - len(v) % 4) % 4)


def success_response(request, addr):
    tid = request[8:20]
    xip = bytes(a ^ b for a, b in zip(socket.inet_aton(addr[0]), struct.pack('>I', COOKIE)))
    body = attr(0x0020, struct.pack('>BBH', 0, 1, addr[1] ^ (COOKIE >> 16)) + xip)
    head = struct.pack('>HHI', 0x0101, len(body) + 24, COOKIE) + tid
    body += attr(0x0008, hmac.new(PASSWORD, head + body, hashlib.sha1).digest())
    head = struct.pack('>HHI', 0x0101, len(body) + 8, COOKIE) + tid
    body += attr(0x8028, struct.pack('>I', (zlib.crc32(head + body) ^ 0x5354554E) & 0xFFFFFFFF))
    return struct.pack('>HHI', 0x0101, len(body), COOKIE) + tid + body


def main():
    work = tempfile.mkdtemp(prefix='sotto-stun-capture-')
    page = os.path.join(work, 'page.html')
    with open(page, 'w') as f:
        f.write(PAGE)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(('127.0.0.1', 0))
    sock.settimeout(0.5)
    port = sock.getsockname()[1]
    chromium = subprocess.Popen(['/usr/bin/chromium', '--headless=new', '--no-sandbox', '--disable-gpu',
                                 f'--user-data-dir={work}/profile', f'file://{page}#{port}'],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    received = []
    deadline = time.time() + 12
    try:
        while time.time() < deadline and len(received) < 40:
            try:
                data, addr = sock.recvfrom(2048)
            except socket.timeout:
                continue
            received.append(data)
            if data[:2] == b'\x00\x01':  # Binding request
                sock.sendto(success_response(data, addr), addr)
    finally:
        chromium.terminate()
        chromium.wait(5)
    os.makedirs('capture', exist_ok=True)
    for i, data in enumerate(received):
        with open(f'capture/{i:02d}.bin', 'wb') as f:
            f.write(data)
    print(f'{len(received)} datagrams written to ./capture')


if __name__ == '__main__':
    main()
