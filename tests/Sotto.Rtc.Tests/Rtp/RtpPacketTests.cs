using System.Text;
using Sotto.Rtc.Rtp;
using Sotto.Rtc.Rtp.Extensions;
using static Sotto.Rtc.Tests.Rtp.RtpTestData;

namespace Sotto.Rtc.Tests.Rtp;

public sealed class RtpPacketTests
{
    [Fact]
    public void Chromium_shaped_vp8_packet_parses_header_extensions_and_payload()
    {
        var datagram = Seed("chromium-vp8-key.bin");
        Assert.Equal(ChromiumVp8Header, datagram[..ChromiumVp8Header.Length]);

        Assert.True(RtpPacket.TryParse(datagram, out var packet));
        Assert.False(packet.HasPadding);
        Assert.True(packet.HasExtension);
        Assert.Equal(0, packet.CsrcCount);
        Assert.False(packet.Marker);
        Assert.Equal(96, packet.PayloadType);
        Assert.Equal(4321, packet.SequenceNumber);
        Assert.Equal(0x12345678u, packet.Timestamp);
        Assert.Equal(0x1A2B3C4Du, packet.Ssrc);
        Assert.Equal(RtpExtensionProfile.OneByte, packet.ExtensionProfile);
        Assert.Equal(12, packet.ExtensionData.Length);
        Assert.Equal(28, packet.HeaderLength);
        Assert.Equal(datagram.Length - 28, packet.Payload.Length);
        Assert.Equal(0x90, packet.Payload[0]); // VP8 descriptor X=1 S=1
        Assert.False(packet.IsPaddingOnly);

        Assert.True(packet.TryGetExtension(AbsSendTimeId, out var abs));
        Assert.True(AbsSendTime.TryRead(abs, out var abs24));
        Assert.Equal(0x123456u, abs24);
        Assert.True(packet.TryGetExtension(TransportCcId, out var twcc));
        Assert.True(TransportSequenceNumber.TryRead(twcc, out var twccSeq));
        Assert.Equal(0x0102, twccSeq);
        Assert.True(packet.TryGetExtension(MidId, out var mid));
        Assert.True(RtpStreamId.TryRead(mid, out var midText));
        Assert.Equal("1", Encoding.ASCII.GetString(midText));
        Assert.True(packet.TryGetExtension(RidId, out var rid));
        Assert.Equal("h", Encoding.ASCII.GetString(rid));
        Assert.False(packet.TryGetExtension(RepairedRidId, out _));

        var ids = new List<int>();
        foreach (var element in packet.Extensions)
        {
            ids.Add(element.Id);
        }
        Assert.Equal([2, 3, 4, 10], ids);
    }

    [Fact]
    public void Opus_packet_carries_audio_level_and_marker()
    {
        Assert.True(RtpPacket.TryParse(Seed("chromium-opus.bin"), out var packet));
        Assert.True(packet.Marker);
        Assert.Equal(111, packet.PayloadType);
        Assert.True(packet.TryGetExtension(AudioLevelId, out var value));
        Assert.True(AudioLevel.TryRead(value, out var level));
        Assert.Equal(new AudioLevel(true, 42), level);
    }

    [Fact]
    public void Rtx_packet_carries_repaired_rid()
    {
        Assert.True(RtpPacket.TryParse(Seed("chromium-rtx.bin"), out var packet));
        Assert.True(packet.TryGetExtension(RepairedRidId, out var repaired));
        Assert.Equal("h", Encoding.ASCII.GetString(repaired));
        Assert.False(packet.TryGetExtension(RidId, out _));
    }

    [Fact]
    public void Padding_only_probe_is_detected_and_a_media_packet_is_not()
    {
        Assert.True(RtpPacket.TryParse(Seed("padding-probe-ssrc0.bin"), out var probe));
        Assert.True(probe.HasPadding);
        Assert.Equal(224, probe.PaddingLength);
        Assert.Equal(0u, probe.Ssrc);
        Assert.True(probe.IsPaddingOnly);
        Assert.True(probe.Payload.IsEmpty);
        Assert.True(probe.TryGetExtension(TransportCcId, out _)); // still counted for transport-cc

        Assert.True(RtpPacket.TryParse(Seed("chromium-vp8-delta-marker.bin"), out var media)); // positive control
        Assert.False(media.IsPaddingOnly);
    }

    [Fact]
    public void Two_byte_extensions_csrcs_and_wraparound_values_parse()
    {
        Assert.True(RtpPacket.TryParse(Seed("two-byte-extensions.bin"), out var packet));
        Assert.Equal(2, packet.CsrcCount);
        Assert.Equal(1u, packet.GetCsrc(0));
        Assert.Equal(2u, packet.GetCsrc(1));
        Assert.Equal(ushort.MaxValue, packet.SequenceNumber);
        Assert.Equal(uint.MaxValue, packet.Timestamp);
        Assert.True(RtpExtensionProfile.IsTwoByte(packet.ExtensionProfile));
        Assert.True(packet.TryGetExtension(4, out var mid));
        Assert.Equal("video-mid", Encoding.ASCII.GetString(mid));
        Assert.True(packet.TryGetExtension(20, out var long20));
        Assert.Equal(20, long20.Length);
        Assert.True(packet.TryGetExtension(5, out var empty));
        Assert.True(empty.IsEmpty);
        Assert.Equal([0x10, 0x00, 0x00], packet.Payload.ToArray());
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "shorter than the fixed header", "80 60 00 01 00 00 00 00 00 00 00" },
        { "version 1", "40 60 00 01 00 00 00 00 00 00 00 01" },
        { "version 0", "00 60 00 01 00 00 00 00 00 00 00 01" },
        { "CSRC list past the end", "82 60 00 01 00 00 00 00 00 00 00 01 00 00 00 02" },
        { "extension header cut", "90 60 00 01 00 00 00 00 00 00 00 01 be de" },
        { "extension words past the end", "90 60 00 01 00 00 00 00 00 00 00 01 be de 00 02 10 01 00 00" },
        { "padding count 0", "a0 60 00 01 00 00 00 00 00 00 00 01 aa 00" },
        { "padding longer than the payload", "a0 60 00 01 00 00 00 00 00 00 00 01 aa 03" },
        { "padding bit without any byte after header", "a0 60 00 01 00 00 00 00 00 00 00 01" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_packets_are_refused(string why, string hex)
    {
        Assert.False(RtpPacket.TryParse(Hex(hex), out _), why);
        Assert.False(MutableRtpPacket.TryParse(Hex(hex), out _), why);
    }

    [Fact]
    public void Positive_controls_for_the_malformed_cases_parse()
    {
        Assert.True(RtpPacket.TryParse(Hex("80 60 00 01 00 00 00 00 00 00 00 01"), out var empty));
        Assert.True(empty.IsPaddingOnly); // no payload at all counts as nothing to forward
        Assert.True(RtpPacket.TryParse(Hex("82 60 00 01 00 00 00 00 00 00 00 01 00 00 00 02 00 00 00 03"), out _));
        Assert.True(RtpPacket.TryParse(Hex("90 60 00 01 00 00 00 00 00 00 00 01 be de 00 01 10 01 00 00"), out _));
        Assert.True(RtpPacket.TryParse(Hex("a0 60 00 01 00 00 00 00 00 00 00 01 aa 02"), out var padded));
        Assert.Equal(2, padded.PaddingLength);
        Assert.True(padded.IsPaddingOnly);
        Assert.True(RtpPacket.TryParse(Hex("a0 60 00 01 00 00 00 00 00 00 00 01 aa 01"), out var onePad));
        Assert.Equal([0xAA], onePad.Payload.ToArray());
    }

    [Fact]
    public void Sfu_rewrite_changes_ssrc_seq_timestamp_pt_marker_and_nothing_else()
    {
        var original = Seed("chromium-vp8-delta-marker.bin");
        var datagram = (byte[])original.Clone();
        Assert.True(MutableRtpPacket.TryParse(datagram, out var packet));
        packet.Ssrc = 0xCAFEBABE;
        packet.SequenceNumber = 7;
        packet.Timestamp = 0xFFFFFFF0;
        packet.PayloadType = 100;
        packet.Marker = false;

        Assert.True(RtpPacket.TryParse(datagram, out var view));
        Assert.Equal(0xCAFEBABEu, view.Ssrc);
        Assert.Equal(7, view.SequenceNumber);
        Assert.Equal(0xFFFFFFF0u, view.Timestamp);
        Assert.Equal(100, view.PayloadType);
        Assert.False(view.Marker);
        Assert.Equal(original[0], datagram[0]);
        Assert.Equal(original[12..], datagram[12..]); // extensions and payload untouched

        packet.Marker = true;
        packet.PayloadType = 0xFF; // only 7 bits are kept, the marker survives
        Assert.Equal(0xFF, datagram[1]);
        packet.PayloadType = 96;
        Assert.True(packet.Marker);
        Assert.Equal(96, packet.PayloadType);
    }

    [Fact]
    public void Extension_values_and_payload_are_rewritable_in_place()
    {
        var datagram = Seed("chromium-vp8-key.bin");
        Assert.True(MutableRtpPacket.TryParse(datagram, out var packet));
        Assert.True(packet.TryGetExtension(TransportCcId, out var twcc));
        Assert.True(TransportSequenceNumber.TryOverwrite(twcc, 0xBEEF));
        Assert.True(packet.TryGetExtension(AbsSendTimeId, out var abs));
        Assert.True(AbsSendTime.TryOverwrite(abs, 0xABCDEF));
        Assert.False(packet.TryGetExtension(RepairedRidId, out _));
        packet.Payload[0] = 0x10;

        Assert.True(RtpPacket.TryParse(datagram, out var view));
        Assert.True(view.TryGetExtension(TransportCcId, out var twccAfter));
        Assert.Equal([0xBE, 0xEF], twccAfter.ToArray());
        Assert.True(view.TryGetExtension(AbsSendTimeId, out var absAfter));
        Assert.Equal([0xAB, 0xCD, 0xEF], absAfter.ToArray());
        Assert.True(view.TryGetExtension(MidId, out var mid)); // neighbours untouched
        Assert.Equal("1"u8.ToArray(), mid.ToArray());
        Assert.Equal(0x10, view.Payload[0]);
    }
}
