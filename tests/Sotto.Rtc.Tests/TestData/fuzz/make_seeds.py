#!/usr/bin/env python3
"""Writes the hand-built fuzz seeds under stun/, rtp/ and vp8/ (run from this folder).

The seeds are built here, in Python with hmac/zlib, independently of the C# writers, so the tests
that parse them (Stun/ChromiumShapedSeedTests etc.) also cross-check our MESSAGE-INTEGRITY and
FINGERPRINT against a second implementation. They are shaped after what Chromium 156 sends
(attribute order, ufrag/password lengths, extension ids); they were built, not captured. The
chromium156-*.bin files beside them are real captures: see capture_chromium_stun.py and
capture_chromium_media.py.
RFC 5769 vectors are copied from the RFC text (see Stun/Rfc5769Tests.cs for the citation).
"""
import hashlib, hmac, random, struct, zlib

RNG = random.Random(5769)


def noise(n):
    return bytes(RNG.randrange(256) for _ in range(n))

COOKIE = 0x2112A442


def stun_attr(t, v):
    return struct.pack('>HH', t, len(v)) + v + b'\x00' * ((4 - len(v) % 4) % 4)


def stun(msg_type, tid, attrs, key=None, fingerprint=True):
    body = b''.join(stun_attr(t, v) for t, v in attrs)
    if key is not None:
        head = struct.pack('>HHI', msg_type, len(body) + 24, COOKIE) + tid
        mac = hmac.new(key, head + body, hashlib.sha1).digest()
        body += stun_attr(0x0008, mac)
    if fingerprint:
        head = struct.pack('>HHI', msg_type, len(body) + 8, COOKIE) + tid
        crc = (zlib.crc32(head + body) ^ 0x5354554E) & 0xFFFFFFFF
        body += stun_attr(0x8028, struct.pack('>I', crc))
    return struct.pack('>HHI', msg_type, len(body), COOKIE) + tid + body


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def rfc5769():
    h = bytes.fromhex
    write('stun/rfc5769-2.1-request.bin', h(
        '000100582112a442b7e7a701bc34d686fa87dfae'
        '802200105354554e207465737420636c69656e74'
        '002400046e0001ff'
        '80290008932ff9b151263b36'
        '000600096576746a3a68367659202020'
        '000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2'
        '80280004e57a3bcf'))
    write('stun/rfc5769-2.2-ipv4-response.bin', h(
        '0101003c2112a442b7e7a701bc34d686fa87dfae'
        '8022000b7465737420766563746f7220'
        '002000080001a147e112a643'
        '000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7'
        '80280004c07d4c96'))
    write('stun/rfc5769-2.3-ipv6-response.bin', h(
        '010100482112a442b7e7a701bc34d686fa87dfae'
        '8022000b7465737420766563746f7220'
        '002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9'
        '00080014a382954e4be67bf11784c97c8292c275bfe3ed41'
        '80280004c8fb0b4c'))
    write('stun/rfc5769-2.4-long-term.bin', h(
        '000100602112a44278ad3433c6ad72c029da412e'
        '00060012e3839ee38388e383aae38383e382afe382b90000'
        '0015001c662f2f3439396b39353464364f4c33346f4c39465354767936347341'
        '0014000b6578616d706c652e6f726700'
        '00080014f67024656dd64a3e02b8e0712e85c9a28ca89666'))


def stun_seeds():
    # Checks to our server: USERNAME "<our ufrag>:<Chromium's ufrag>", signed with our password.
    password = b'sottoIcePasswordFor24chr'
    username = b'S0ttoUfrag12:aB3d'
    tid = bytes.fromhex('4b6a2f7c1d9e0a5538c4f1e2')
    net_info = struct.pack('>HH', 1, 10)  # GOOG-NETWORK-INFO: network id 1, cost 10
    base = [(0x0006, username), (0xC057, net_info), (0x802A, struct.pack('>Q', 0x5A3C9E1F00112233))]
    prio = (0x0024, struct.pack('>I', 0x6E7F1EFF))
    write('stun/chromium-binding-request.bin', stun(0x0001, tid, base + [prio], password))
    write('stun/chromium-binding-request-use-candidate.bin',
          stun(0x0001, tid, base + [(0x0025, b''), prio], password))
    # Our answer: XOR-MAPPED-ADDRESS 127.0.0.1:50123.
    xport = 50123 ^ (COOKIE >> 16)
    xaddr = struct.pack('>I', 0x7F000001 ^ COOKIE)
    write('stun/binding-success-ipv4.bin', stun(0x0101, tid, [(0x0020, struct.pack('>BBH', 0, 1, xport) + xaddr)], password))
    mask = struct.pack('>I', COOKIE) + tid
    v6 = bytes(a ^ b for a, b in zip(bytes(15) + b'\x01', mask))  # ::1
    write('stun/binding-success-ipv6.bin', stun(0x0101, tid, [(0x0020, struct.pack('>BBH', 0, 2, xport) + v6)], password))
    write('stun/error-420-unknown-attributes.bin', stun(0x0111, tid, [
        (0x0009, bytes([0, 0, 4, 20]) + b'Unknown Attribute'), (0x000A, struct.pack('>HH', 0x7F01, 0x001E))], password))
    write('stun/error-401-no-integrity.bin', stun(0x0111, tid, [(0x0009, bytes([0, 0, 4, 1]) + b'Unauthorized')]))
    write('stun/binding-indication.bin', stun(0x0011, tid, [], None))


def rtp(pt, seq, ts, ssrc, payload, marker=False, ext=None, csrcs=(), padding=0):
    b0 = 0x80 | (0x20 if padding else 0) | (0x10 if ext is not None else 0) | len(csrcs)
    out = struct.pack('>BBHII', b0, (0x80 if marker else 0) | pt, seq, ts, ssrc)
    out += b''.join(struct.pack('>I', c) for c in csrcs)
    if ext is not None:
        profile, data = ext
        data += b'\x00' * ((4 - len(data) % 4) % 4)
        out += struct.pack('>HH', profile, len(data) // 4) + data
    out += payload
    if padding:
        out += b'\x00' * (padding - 1) + bytes([padding])
    return out


def one_byte(elements):
    return 0xBEDE, b''.join(bytes([(i << 4) | (len(v) - 1)]) + v for i, v in elements)


def two_byte(elements):
    return 0x1000, b''.join(bytes([i, len(v)]) + v for i, v in elements)


def vp8_key_payload(pid=0x1234, tl0=7, tid=0):
    # X=1 S=1 PID=0; I=1 L=1 T=1; M=1 15-bit picture id; TL0PICIDX; TID|Y|KEYIDX.
    desc = bytes([0x90, 0xE0, 0x80 | (pid >> 8), pid & 0xFF, tl0, (tid << 6) | 0x20])
    # VP8 key frame payload header: P=0, show_frame=1, then start code 9d 01 2a and 640x480.
    frame = bytes([0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]) + noise(40)
    return desc + frame


def vp8_delta_payload(pid=0x1235, tl0=7, tid=2):
    desc = bytes([0x90, 0xE0, 0x80 | (pid >> 8), pid & 0xFF, tl0, (tid << 6) | 0x20])
    return desc + bytes([0x31, 0x05, 0x00]) + noise(30)


def rtp_seeds():
    ssrc = 0x1A2B3C4D
    # Chromium-shaped extension ids (its default extmap order): 1 ssrc-audio-level, 2 abs-send-time,
    # 3 transport-wide-cc, 4 mid, 10 rid, 11 repaired-rid.
    video_ext = one_byte([(2, bytes([0x12, 0x34, 0x56])), (3, struct.pack('>H', 0x0102)), (4, b'1'), (10, b'h')])
    write('rtp/chromium-vp8-key.bin', rtp(96, 4321, 0x12345678, ssrc, vp8_key_payload(), marker=False, ext=video_ext))
    write('rtp/chromium-vp8-delta-marker.bin', rtp(96, 4322, 0x12345678 + 3000, ssrc, vp8_delta_payload(), marker=True, ext=video_ext))
    audio_ext = one_byte([(1, bytes([0x80 | 42])), (2, bytes([0x12, 0x34, 0x99])), (3, struct.pack('>H', 0x0103)), (4, b'0')])
    write('rtp/chromium-opus.bin', rtp(111, 17, 960 * 17, 0x0BADCAFE, noise(60), marker=True, ext=audio_ext))
    rtx_ext = one_byte([(3, struct.pack('>H', 0x0104)), (4, b'1'), (11, b'h')])
    write('rtp/chromium-rtx.bin', rtp(97, 9, 0x12345678, 0x0C0FFEE0, struct.pack('>H', 4321) + noise(40), ext=rtx_ext))
    # libwebrtc bandwidth probe: padding only, on SSRC 0 before media starts.
    write('rtp/padding-probe-ssrc0.bin', rtp(127, 1, 0, 0, b'', ext=one_byte([(3, struct.pack('>H', 7))]), padding=224))
    write('rtp/two-byte-extensions.bin', rtp(96, 65535, 0xFFFFFFFF, ssrc, b'\x10\x00\x00',
          ext=two_byte([(4, b'video-mid'), (20, b'x' * 20), (5, b'')]), csrcs=(1, 2)))
    write('rtp/plain-no-extension.bin', rtp(0, 0, 0, 1, b'\xd5' * 160))


def vp8_seeds():
    write('vp8/key-first-packet.bin', vp8_key_payload())
    write('vp8/delta-first-packet.bin', vp8_delta_payload())
    write('vp8/continuation.bin', bytes([0x80, 0xE0, 0x92, 0x34, 0x07, 0x40]) + noise(30))
    write('vp8/no-extension-key.bin', bytes([0x10, 0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]))
    write('vp8/short-picture-id.bin', bytes([0x90, 0x80, 0x12, 0x31, 0x05, 0x00]))
    write('vp8/non-reference.bin', bytes([0xB0, 0x60, 0x07, 0x80, 0x31, 0x05, 0x00]))
    # X=1 with no I/L/T/K: a 2-byte descriptor that writes back as 1 byte. Found by the fuzz pass
    # tripping an over-strict test invariant (not a parser fault); kept as a regression case.
    write('vp8/extension-byte-without-fields.bin', bytes([0x90, 0x00, 0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]))
    write('vp8/key-index-only.bin', bytes([0x90, 0x10, 0x05, 0x31, 0x05, 0x00]))


if __name__ == '__main__':
    rfc5769()
    stun_seeds()
    rtp_seeds()
    vp8_seeds()
