using System.Text;
using Sotto.Rtc.Codecs.Vp8;
using Sotto.Rtc.Rtp;
using Sotto.Rtc.Rtp.Extensions;
using static Sotto.Rtc.Tests.Rtp.RtpTestData;

namespace Sotto.Rtc.Tests.Rtp;

/// <summary>
/// Real RTP sent by Chromium 156 on this machine (canvas VP8 with rid simulcast, WebAudio Opus),
/// captured and SRTP-decrypted by TestData/fuzz/capture_chromium_media.py. The answer negotiated
/// extmap ids 1 audio-level, 2 abs-send-time, 3 transport-wide-cc, 4 mid, 10 rid, 11 repaired-rid.
/// </summary>
public sealed class ChromiumCaptureRtpTests
{
    [Fact]
    public void Opus_packet()
    {
        Assert.True(RtpPacket.TryParse(Seed("chromium156-opus.bin"), out var packet));
        Assert.Equal(111, packet.PayloadType);
        Assert.True(packet.Marker);
        Assert.Equal(RtpExtensionProfile.OneByte, packet.ExtensionProfile);
        Assert.True(packet.TryGetExtension(MidId, out var mid));
        Assert.Equal("0", Encoding.ASCII.GetString(mid));
        Assert.True(packet.TryGetExtension(AudioLevelId, out var levelValue));
        Assert.True(AudioLevel.TryRead(levelValue, out var level));
        Assert.Equal(new AudioLevel(true, 3), level);
        Assert.True(packet.TryGetExtension(TransportCcId, out var twcc));
        Assert.True(TransportSequenceNumber.TryRead(twcc, out var twccSeq));
        Assert.Equal(1, twccSeq);
        Assert.True(packet.TryGetExtension(AbsSendTimeId, out var abs));
        Assert.True(AbsSendTime.TryRead(abs, out _));
        Assert.False(packet.IsPaddingOnly);
    }

    [Theory]
    [InlineData("chromium156-vp8-key.bin", true, 0)]
    [InlineData("chromium156-vp8-delta-tid1.bin", false, 1)]
    [InlineData("chromium156-vp8-nonref-tid2.bin", false, 2)]
    public void Vp8_simulcast_packets_carry_mid_rid_and_a_readable_descriptor(string file, bool keyFrame, int temporalLayer)
    {
        Assert.True(RtpPacket.TryParse(Seed(file), out var packet));
        Assert.Equal(96, packet.PayloadType);
        Assert.True(packet.TryGetExtension(MidId, out var mid));
        Assert.Equal("1", Encoding.ASCII.GetString(mid));
        Assert.True(packet.TryGetExtension(RidId, out var rid));
        Assert.True(RtpStreamId.TryRead(rid, out var ridId));
        Assert.Equal("q", Encoding.ASCII.GetString(ridId));

        Assert.Equal(keyFrame, Vp8Packet.IsKeyFrame(packet.Payload));
        Assert.True(Vp8PayloadDescriptor.TryParse(packet.Payload, out var descriptor, out _));
        Assert.True(descriptor.LongPictureId); // Chromium writes 15-bit picture ids
        Assert.NotNull(descriptor.PictureId);
        Assert.NotNull(descriptor.Tl0PicIdx);
        Assert.Equal((byte)temporalLayer, descriptor.TemporalLayerId);
        Assert.Equal(temporalLayer == 2, descriptor.NonReference);
    }

    [Fact]
    public void Rtx_retransmission_carries_repaired_rid_and_the_original_sequence_number()
    {
        Assert.True(RtpPacket.TryParse(Seed("chromium156-rtx-retransmission.bin"), out var rtx));
        Assert.Equal(97, rtx.PayloadType);
        Assert.True(rtx.TryGetExtension(RepairedRidId, out var repaired));
        Assert.Equal("q", Encoding.ASCII.GetString(repaired));
        Assert.False(rtx.TryGetExtension(RidId, out _));

        // RFC 4588 §4: the RTX payload is the original sequence number, then the original payload.
        Assert.True(RtpPacket.TryParse(Seed("chromium156-vp8-key.bin"), out var original));
        Assert.Equal(original.SequenceNumber, (ushort)(rtx.Payload[0] << 8 | rtx.Payload[1]));
        Assert.Equal(original.Payload.ToArray(), rtx.Payload[2..].ToArray());
    }

    [Fact]
    public void Real_padding_probe_on_rtx_is_padding_only()
    {
        Assert.True(RtpPacket.TryParse(Seed("chromium156-rtx-padding-probe.bin"), out var probe));
        Assert.True(probe.HasPadding);
        Assert.Equal(255, probe.PaddingLength);
        Assert.True(probe.IsPaddingOnly);
        Assert.True(probe.TryGetExtension(TransportCcId, out _)); // count it for transport-cc, then drop it

        Assert.True(RtpPacket.TryParse(Seed("chromium156-rtx-retransmission.bin"), out var media)); // positive control
        Assert.False(media.IsPaddingOnly);
    }

    [Fact]
    public void With_the_dependency_descriptor_negotiated_chromium_uses_the_two_byte_form_and_drops_vp8_picture_ids()
    {
        // Capture made with --dependency-descriptor: every offered extension was accepted.
        Assert.True(RtpPacket.TryParse(Seed("chromium156-dd-two-byte-vp8-key.bin"), out var key));
        Assert.True(RtpExtensionProfile.IsTwoByte(key.ExtensionProfile)); // a 23-byte element needs it
        var longest = 0;
        foreach (var element in key.Extensions)
        {
            longest = Math.Max(longest, element.Value.Length);
        }
        Assert.True(longest > RtpExtensionProfile.OneByteMaxLength);
        Assert.True(key.TryGetExtension(RidId, out var rid));
        Assert.Equal("q", Encoding.ASCII.GetString(rid));
        Assert.True(Vp8Packet.IsKeyFrame(key.Payload));
        Assert.True(Vp8PayloadDescriptor.TryParse(key.Payload, out var keyDescriptor, out var consumed));
        Assert.Equal(1, consumed);
        Assert.Null(keyDescriptor.PictureId);

        Assert.True(RtpPacket.TryParse(Seed("chromium156-dd-vp8-delta.bin"), out var delta));
        Assert.Equal(RtpExtensionProfile.OneByte, delta.ExtensionProfile); // mixed: one-byte when it fits
        Assert.True(Vp8PayloadDescriptor.TryParse(delta.Payload, out var deltaDescriptor, out _));
        Assert.Null(deltaDescriptor.PictureId);
        Assert.Null(deltaDescriptor.TemporalLayerId);
    }

    [Fact]
    public void Writer_reproduces_a_real_header_byte_for_byte()
    {
        var datagram = Seed("chromium156-vp8-key.bin");
        Assert.True(RtpPacket.TryParse(datagram, out var packet));
        var buffer = new byte[1500];
        Assert.True(RtpPacketWriter.TryCreate(buffer, new RtpHeader(packet.PayloadType, packet.SequenceNumber, packet.Timestamp, packet.Ssrc, packet.Marker),
            [], packet.ExtensionProfile, out var writer));
        foreach (var element in packet.Extensions)
        {
            Assert.True(writer.TryAddExtension(element.Id, element.Value));
        }
        Assert.True(writer.TryWritePayload(packet.Payload));
        Assert.True(writer.TryComplete(0, out var written));
        Assert.Equal(datagram, buffer[..written]);
    }
}
