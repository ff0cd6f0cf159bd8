using System.Buffers.Binary;
using Sotto.Rtc.Codecs.Vp8;
using Sotto.Rtc.Rtp;

namespace Sotto.Sfu.Tests.Support;

/// <summary>
/// Publisher packets as Chromium sends them under Sotto's frame encryption: VP8 payload
/// descriptor, the clear prefix (10 bytes of a key frame, 1 of a delta, E2EE-SPEC §S7), an SFrame
/// header (KID = slot | stream | epoch) and ciphertext; Opus fully encrypted.
/// </summary>
internal static class MediaPackets
{
    public static byte[] SframeHeader(int slot, MediaSource source, int counter)
    {
        // RFC 9605 §4.3: X=1, K=2 (a 3-byte KID), Y=0, C = counter (< 8 here).
        return [(byte)(0xA0 | (counter & 0x07)), (byte)slot, (byte)MediaNames.StreamNumber(source), 0];
    }

    public static byte[] Vp8(
        uint ssrc, ushort seq, uint ts, string mid, string? rid, ushort pictureId, byte tl0, bool keyFrame,
        ushort transportSeq, int slot, bool firstOfFrame = true, bool marker = true, bool plaintext = false, int width = 640,
        byte temporalLayer = 0, bool layerSync = false, int height = 480)
    {
        var payload = new List<byte>();
        var descriptor = new Vp8PayloadDescriptor
        {
            StartOfPartition = firstOfFrame,
            PartitionIndex = 0,
            PictureId = pictureId,
            LongPictureId = true,
            Tl0PicIdx = tl0,
            TemporalLayerId = temporalLayer,
            LayerSync = layerSync,
        };
        var d = new byte[descriptor.GetSerializedLength()];
        Assert.True(descriptor.TryWrite(d, out _));
        payload.AddRange(d);
        if (firstOfFrame)
        {
            if (keyFrame)
            {
                payload.AddRange([0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8)]);
            }
            else
            {
                payload.Add(0x11);
            }
            if (plaintext)
            {
                // A plaintext VP8 frame goes on with its bitstream, not an SFrame header.
                payload.AddRange([0x00, 0x47, 0x08, 0x85, 0x85, 0x88, 0x85, 0x84, 0x88, 0x02, 0x02, 0x00, 0x0C, 0x0D, 0x60, 0x00, 0xFE, 0xEF, 0x6C, 0x60]);
            }
            else
            {
                payload.AddRange(SframeHeader(slot, MediaSource.Camera, seq & 7));
                payload.AddRange(Enumerable.Range(0, 40).Select(i => (byte)(i * 37 + seq)));
            }
        }
        else
        {
            payload.AddRange(Enumerable.Range(0, 60).Select(i => (byte)(i * 11 + seq)));
        }
        return Rtp(TestParticipant.Vp8Pt, ssrc, seq, ts, marker, mid, rid, ridId: TestParticipant.RidId, transportSeq, [.. payload]);
    }

    public static byte[] Opus(uint ssrc, ushort seq, uint ts, ushort transportSeq, int slot) =>
        Rtp(TestParticipant.OpusPt, ssrc, seq, ts, false, "0", null, 0, transportSeq, [.. SframeHeader(slot, MediaSource.Mic, seq & 7), .. new byte[60]]);

    /// <summary>An RTX packet (RFC 4588 §4) for <paramref name="original"/>, tagged with repaired-rid when given.</summary>
    public static byte[] Rtx(byte[] original, uint rtxSsrc, ushort rtxSeq, string mid, string? repairedRid, ushort transportSeq)
    {
        Assert.True(RtpPacket.TryParse(original, out var packet));
        var payload = new byte[packet.Payload.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(payload, packet.SequenceNumber);
        packet.Payload.CopyTo(payload.AsSpan(2));
        return Rtp(TestParticipant.RtxPt, rtxSsrc, rtxSeq, packet.Timestamp, packet.Marker, mid, repairedRid, TestParticipant.RepairedRidId, transportSeq, payload);
    }

    /// <summary>A padding-only probe (libwebrtc sends these on RTX SSRCs and on SSRC 0).</summary>
    public static byte[] Padding(uint ssrc, ushort seq, ushort transportSeq)
    {
        var buffer = new byte[300];
        Assert.True(RtpPacketWriter.TryCreate(buffer, new RtpHeader(TestParticipant.RtxPt, seq, 0, ssrc), default, RtpExtensionProfile.OneByte, out var writer));
        Assert.True(writer.TryAddTransportSequenceNumber(TestParticipant.TransportCcId, transportSeq));
        Assert.True(writer.TryComplete(200, out var length));
        return buffer[..length];
    }

    public static byte[] Rtp(int pt, uint ssrc, ushort seq, uint ts, bool marker, string? mid, string? rid, byte ridId, ushort transportSeq, byte[] payload)
    {
        var buffer = new byte[1500];
        Assert.True(RtpPacketWriter.TryCreate(buffer, new RtpHeader((byte)pt, seq, ts, ssrc, marker), default, RtpExtensionProfile.OneByte, out var writer));
        Assert.True(writer.TryAddTransportSequenceNumber(TestParticipant.TransportCcId, transportSeq));
        if (mid is not null)
            Assert.True(writer.TryAddExtension(TestParticipant.MidId, System.Text.Encoding.ASCII.GetBytes(mid)));
        if (rid is not null)
            Assert.True(writer.TryAddExtension(ridId, System.Text.Encoding.ASCII.GetBytes(rid)));
        Assert.True(writer.TryWritePayload(payload));
        Assert.True(writer.TryComplete(0, out var length));
        return buffer[..length];
    }
}
