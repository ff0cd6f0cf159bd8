using System.Diagnostics;
using System.Text;
using Sotto.Load.Peers;
using Sotto.Rtc.Codecs.Vp8;
using Sotto.Rtc.Rtp;

namespace Sotto.Load.Media;

/// <summary>
/// One headless publisher's media, shaped as Chromium sends it under Sotto's frame encryption
/// (E2EE-SPEC §S7): Opus packets of an SFrame header and ciphertext; VP8 packets of a payload
/// descriptor, the clear prefix (10 octets on a key frame, 1 on a delta) and an SFrame header on
/// the first packet of a frame, then "ciphertext". No codec runs: the bytes after the headers are
/// filler ending in a <see cref="ProbeTrailer"/>. Header extensions: mid, rid (simulcast) and
/// transport-wide sequence numbers at the ids of <see cref="SdpShapes"/>.
/// </summary>
internal sealed class SyntheticPublisher
{
    public const byte OpusPayloadType = 111;
    public const byte Vp8PayloadType = 96;
    private static readonly string[] RidNames = ["q", "h", "f"];

    private readonly IRtpSink _sink;
    private readonly byte[] _buffer = new byte[1500];
    private readonly byte[] _payload = new byte[1500];
    private readonly VideoLayer[] _layers;
    private readonly uint _streamBase;
    private readonly int _slot;
    private ushort _audioSeq;
    private uint _audioCounter;
    private uint _audioTimestamp;
    private ushort _transportSeq;
    private long _sentPackets;
    private long _sentOctets;
    private volatile bool _keyFrameRequested = true;

    public SyntheticPublisher(IRtpSink sink, MediaProfile profile, int slot, uint ssrcBase)
    {
        _sink = sink;
        Profile = profile;
        _slot = slot;
        _streamBase = (uint)slot << 8;
        AudioSsrc = ssrcBase;
        _layers = new VideoLayer[profile.VideoLayerKbps.Length];
        for (int i = 0; i < _layers.Length; i++)
        {
            string? rid = profile.Simulcast ? RidNames[i] : null;
            _layers[i] = new VideoLayer(ssrcBase + 1 + (uint)i, rid is null ? [] : Encoding.ASCII.GetBytes(rid), profile.VideoLayerKbps[i], profile.FramesPerSecond);
        }
    }

    public MediaProfile Profile { get; }

    public uint AudioSsrc { get; }

    /// <summary>The video SSRCs, low layer first.</summary>
    public IEnumerable<uint> VideoSsrcs => _layers.Select(l => l.Ssrc);

    /// <summary>Packets handed to the sink (and accepted by it).</summary>
    public long SentPackets => Volatile.Read(ref _sentPackets);

    public long SentOctets => Volatile.Read(ref _sentOctets);

    /// <summary>Makes the next frame of every layer a key frame (on a PLI or FIR from the server).</summary>
    public void RequestKeyFrame() => _keyFrameRequested = true;

    /// <summary>One Opus-shaped packet (call every 20 ms).</summary>
    public void SendAudio()
    {
        Span<byte> payload = _payload.AsSpan(0, MediaProfile.AudioPayloadOctets);
        payload.Clear();
        WriteSframeHeader(payload, stream: 0, counter: _audioSeq);
        ProbeTrailer.TryWrite(payload, _streamBase, _audioCounter++, Stopwatch.GetTimestamp());
        Send(new RtpHeader(OpusPayloadType, _audioSeq++, _audioTimestamp, AudioSsrc), "0"u8, default, payload);
        _audioTimestamp += 960; // 20 ms at 48 kHz
    }

    /// <summary>One frame on every video layer (call every 1/fps s).</summary>
    public void SendVideoFrame()
    {
        bool key = _keyFrameRequested;
        _keyFrameRequested = false;
        for (int i = 0; i < _layers.Length; i++)
            SendFrame(_layers[i], (uint)(1 + i), key);
    }

    private void SendFrame(VideoLayer layer, uint streamNumber, bool key)
    {
        int frameOctets = layer.FrameOctets * (key ? 3 : 1);
        int packets = Math.Max(1, (frameOctets + MediaProfile.MaxVideoPayloadOctets - 1) / MediaProfile.MaxVideoPayloadOctets);
        int perPacket = Math.Max(frameOctets / packets, 48);
        for (int p = 0; p < packets; p++)
        {
            var descriptor = new Vp8PayloadDescriptor
            {
                StartOfPartition = p == 0,
                PictureId = layer.PictureId,
                LongPictureId = true,
                Tl0PicIdx = layer.Tl0PicIdx,
                TemporalLayerId = 0,
            };
            Span<byte> payload = _payload.AsSpan(0, perPacket);
            payload.Clear();
            descriptor.TryWrite(payload, out int offset);
            if (p == 0)
            {
                if (key)
                {
                    // VP8 key frame header (RFC 6386 §9.1): 3-byte tag, start code 9d 01 2a, 640x480.
                    ReadOnlySpan<byte> keyHeader = [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01];
                    keyHeader.CopyTo(payload[offset..]);
                    offset += keyHeader.Length;
                }
                else
                {
                    payload[offset++] = 0x11; // delta frame: the one clear octet of the tag
                }

                WriteSframeHeader(payload[offset..], stream: 1, counter: layer.PictureId);
            }

            ProbeTrailer.TryWrite(payload, _streamBase | streamNumber, layer.Counter++, Stopwatch.GetTimestamp());
            Send(new RtpHeader(Vp8PayloadType, layer.Sequence++, layer.Timestamp, layer.Ssrc, Marker: p == packets - 1), "1"u8, layer.Rid, payload);
        }

        layer.Timestamp += (uint)(90_000 / Profile.FramesPerSecond);
        layer.PictureId = (ushort)((layer.PictureId + 1) & Vp8PayloadDescriptor.MaxPictureId);
        layer.Tl0PicIdx++;
    }

    private void WriteSframeHeader(Span<byte> destination, int stream, int counter)
    {
        // RFC 9605 §4.3: X=1, K=2 (a 3-byte KID = slot | stream | epoch), Y=0, C = counter & 7.
        destination[0] = (byte)(0xA0 | (counter & 0x07));
        destination[1] = (byte)_slot;
        destination[2] = (byte)stream;
        destination[3] = 0;
    }

    private void Send(RtpHeader header, ReadOnlySpan<byte> mid, ReadOnlySpan<byte> rid, ReadOnlySpan<byte> payload)
    {
        if (!RtpPacketWriter.TryCreate(_buffer, header, default, RtpExtensionProfile.OneByte, out RtpPacketWriter writer)
            || !writer.TryAddTransportSequenceNumber(SdpShapes.TransportCcId, _transportSeq++)
            || !writer.TryAddExtension(SdpShapes.MidId, mid)
            || (!rid.IsEmpty && !writer.TryAddExtension(SdpShapes.RidId, rid))
            || !writer.TryWritePayload(payload)
            || !writer.TryComplete(0, out int length))
        {
            throw new InvalidOperationException("A synthetic packet did not fit its buffer.");
        }

        if (_sink.SendRtp(_buffer.AsSpan(0, length)))
        {
            Interlocked.Increment(ref _sentPackets);
            Interlocked.Add(ref _sentOctets, length);
        }
    }

    private sealed class VideoLayer(uint ssrc, byte[] rid, int kbps, int fps)
    {
        public uint Ssrc { get; } = ssrc;

        public byte[] Rid { get; } = rid;

        public int FrameOctets { get; } = kbps * 1000 / 8 / fps;

        public ushort Sequence { get; set; }

        public uint Timestamp { get; set; }

        public ushort PictureId { get; set; }

        public byte Tl0PicIdx { get; set; }

        public uint Counter { get; set; }
    }
}
