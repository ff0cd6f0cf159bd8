using System.Diagnostics;
using Sotto.Load.Media;
using Sotto.Load.Peers;
using Sotto.Rtc.Codecs.Vp8;
using Sotto.Rtc.Rtp;

namespace Sotto.Load.Tests;

public sealed class MediaShapeTests
{
    private sealed class RecordingSink : IRtpSink
    {
        public List<byte[]> Packets { get; } = [];

        public bool SendRtp(ReadOnlySpan<byte> packet)
        {
            Packets.Add(packet.ToArray());
            return true;
        }
    }

    [Fact]
    public void Trailer_round_trips_and_a_payload_without_it_is_refused()
    {
        var payload = new byte[40];
        Assert.True(ProbeTrailer.TryWrite(payload, 0x0102, 77, 123_456_789));
        Assert.True(ProbeTrailer.TryRead(payload, out uint stream, out uint counter, out long sent));
        Assert.Equal(0x0102u, stream);
        Assert.Equal(77u, counter);
        Assert.Equal(123_456_789, sent);

        payload[^ProbeTrailer.Length] ^= 0xFF; // break the magic
        Assert.False(ProbeTrailer.TryRead(payload, out _, out _, out _));
        Assert.False(ProbeTrailer.TryRead(new byte[ProbeTrailer.Length - 1], out _, out _, out _));
    }

    [Fact]
    public void A_video_frame_is_vp8_shaped_with_mid_and_a_trailer_on_every_packet()
    {
        var sink = new RecordingSink();
        var publisher = new SyntheticPublisher(sink, MediaProfile.AudioVideo(1000), slot: 3, ssrcBase: 0x1000);
        publisher.SendVideoFrame(); // the first frame is a key frame (nothing asked yet, a new encoder starts with one)
        publisher.SendVideoFrame(); // then deltas
        publisher.SendAudio();

        // 1 Mbit/s at 30 fps = 4,166 B per frame, a key frame ×3: 12 packets of ≤ 1,100 B, then 4 for the delta.
        Assert.Equal(12 + 4 + 1, sink.Packets.Count);
        Assert.Equal(17, publisher.SentPackets);
        for (int i = 0; i < sink.Packets.Count; i++)
        {
            Assert.True(RtpPacket.TryParse(sink.Packets[i], out RtpPacket rtp));
            Assert.True(rtp.TryGetExtension(SdpShapes.MidId, out ReadOnlySpan<byte> mid));
            Assert.True(ProbeTrailer.TryRead(rtp.Payload, out uint stream, out uint counter, out long sent));
            Assert.Equal(rtp.PayloadType == SyntheticPublisher.Vp8PayloadType ? (3u << 8) | 1 : 3u << 8, stream);
            Assert.Equal(rtp.PayloadType == SyntheticPublisher.Vp8PayloadType ? (uint)i : 0, counter); // numbered per stream
            Assert.InRange(sent, 1, Stopwatch.GetTimestamp());
            if (rtp.PayloadType == SyntheticPublisher.Vp8PayloadType)
            {
                Assert.Equal("1"u8.ToArray(), mid.ToArray());
                Assert.True(Vp8PayloadDescriptor.TryParse(rtp.Payload, out Vp8PayloadDescriptor descriptor, out int consumed));
                bool firstOfFrame = i is 0 or 12;
                Assert.Equal(firstOfFrame, descriptor.IsFirstPacketOfFrame);
                Assert.Equal(i is 11 or 15, rtp.Marker);
                if (i == 0)
                    Assert.Equal([0x9D, 0x01, 0x2A], rtp.Payload.Slice(consumed + 3, 3).ToArray()); // key frame start code
                if (i == 12)
                    Assert.Equal(0x11, rtp.Payload[consumed]); // delta frame tag
            }
            else
            {
                Assert.Equal(SyntheticPublisher.OpusPayloadType, rtp.PayloadType);
                Assert.Equal(0x1000u, rtp.Ssrc);
            }
        }
    }

    [Fact]
    public void A_pli_makes_the_next_frame_a_key_frame()
    {
        var sink = new RecordingSink();
        var publisher = new SyntheticPublisher(sink, MediaProfile.AudioVideo(300), slot: 1, ssrcBase: 0x2000);
        publisher.SendVideoFrame();
        int afterKey = sink.Packets.Count;
        publisher.SendVideoFrame();
        int delta = sink.Packets.Count - afterKey;

        // RFC 4585 §6.3.1: PLI = PT 206, FMT 1; preceded by an RR (PT 201) in one compound packet.
        byte[] compound = [0x80, 201, 0, 1, 0, 0, 0, 1, 0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0x20, 0x01];
        byte[] receiverReportOnly = compound[..8];
        Assert.False(RtcpScan.AsksForKeyFrame(receiverReportOnly));
        Assert.True(RtcpScan.AsksForKeyFrame(compound));
        publisher.RequestKeyFrame();
        int beforeKey = sink.Packets.Count;
        publisher.SendVideoFrame();
        Assert.True(sink.Packets.Count - beforeKey > delta, "the requested key frame is larger than a delta frame");
        Assert.True(RtpPacket.TryParse(sink.Packets[beforeKey], out RtpPacket rtp));
        Assert.True(Vp8PayloadDescriptor.TryParse(rtp.Payload, out _, out int consumed));
        Assert.Equal(0x9D, rtp.Payload[consumed + 3]);
    }

    [Fact]
    public void Simulcast_sends_three_layers_tagged_with_rids()
    {
        var sink = new RecordingSink();
        var publisher = new SyntheticPublisher(sink, MediaProfile.AudioSimulcast(1200), slot: 1, ssrcBase: 0x3000);
        publisher.SendVideoFrame();
        var rids = new HashSet<string>();
        foreach (byte[] packet in sink.Packets)
        {
            Assert.True(RtpPacket.TryParse(packet, out RtpPacket rtp));
            Assert.True(rtp.TryGetExtension(SdpShapes.RidId, out ReadOnlySpan<byte> rid));
            rids.Add(System.Text.Encoding.ASCII.GetString(rid));
        }
        Assert.Equal(["f", "h", "q"], rids.Order());
        Assert.Equal([0x3001u, 0x3002u, 0x3003u], publisher.VideoSsrcs);
    }
}
