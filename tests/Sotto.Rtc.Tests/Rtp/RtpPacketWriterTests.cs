using Sotto.Rtc.Rtp;
using Sotto.Rtc.Rtp.Extensions;
using static Sotto.Rtc.Tests.Rtp.RtpTestData;

namespace Sotto.Rtc.Tests.Rtp;

public sealed class RtpPacketWriterTests
{
    [Fact]
    public void Writer_reproduces_the_chromium_shaped_header_byte_for_byte()
    {
        var datagram = Seed("chromium-vp8-key.bin");
        var buffer = new byte[1500];
        Assert.True(RtpPacketWriter.TryCreate(buffer, new RtpHeader(96, 4321, 0x12345678, 0x1A2B3C4D), [], RtpExtensionProfile.OneByte, out var writer));
        Assert.True(writer.TryAddAbsSendTime(AbsSendTimeId, 0x123456));
        Assert.True(writer.TryAddTransportSequenceNumber(TransportCcId, 0x0102));
        Assert.True(writer.TryAddExtension(MidId, "1"u8));
        Assert.True(writer.TryAddExtension(RidId, "h"u8));
        Assert.True(writer.TryWritePayload(datagram.AsSpan(ChromiumVp8Header.Length)));
        Assert.True(writer.TryComplete(0, out var written));
        var copy = buffer[..written];
        Array.Fill(buffer, (byte)0xEE);
        Assert.Equal(datagram, copy);
    }

    [Fact]
    public void Every_extension_type_round_trips_in_both_forms()
    {
        foreach (var profile in new[] { RtpExtensionProfile.OneByte, RtpExtensionProfile.TwoByte })
        {
            var buffer = new byte[256];
            Assert.True(RtpPacketWriter.TryCreate(buffer, new RtpHeader(111, 1, 2, 3, Marker: true), [10, 20, 30], profile, out var writer));
            Assert.True(writer.TryAddAudioLevel(AudioLevelId, new AudioLevel(false, 127)));
            Assert.True(writer.TryAddAbsSendTime(AbsSendTimeId, 0xFFFFFF));
            Assert.True(writer.TryAddTransportSequenceNumber(TransportCcId, 65535));
            Assert.True(writer.TryAddExtension(MidId, "audio"u8));
            Assert.True(writer.TryAddExtension(RidId, "q"u8));
            Assert.True(writer.TryAddExtension(RepairedRidId, "0123456789abcdef"u8)); // 16: one-byte maximum
            Assert.True(writer.TryWritePayload([1, 2, 3, 4, 5]));
            Assert.True(writer.TryComplete(7, out var written));
            var datagram = buffer[..written];
            Array.Fill(buffer, (byte)0x11); // no aliasing

            Assert.True(RtpPacket.TryParse(datagram, out var packet));
            Assert.Equal(profile, packet.ExtensionProfile);
            Assert.True(packet.Marker);
            Assert.Equal(111, packet.PayloadType);
            Assert.Equal(3, packet.CsrcCount);
            Assert.Equal(30u, packet.GetCsrc(2));
            Assert.Equal(7, packet.PaddingLength);
            Assert.Equal([1, 2, 3, 4, 5], packet.Payload.ToArray());
            Assert.Equal(0, packet.ExtensionData.Length % 4);

            Assert.True(packet.TryGetExtension(AudioLevelId, out var levelValue));
            Assert.True(AudioLevel.TryRead(levelValue, out var level));
            Assert.Equal(new AudioLevel(false, 127), level);
            Assert.True(packet.TryGetExtension(AbsSendTimeId, out var abs));
            Assert.True(AbsSendTime.TryRead(abs, out var abs24));
            Assert.Equal(0xFFFFFFu, abs24);
            Assert.True(packet.TryGetExtension(TransportCcId, out var twcc));
            Assert.True(TransportSequenceNumber.TryRead(twcc, out var seq));
            Assert.Equal(65535, seq);
            Assert.True(packet.TryGetExtension(MidId, out var mid));
            Assert.True(RtpStreamId.TryRead(mid, out var midId));
            Assert.Equal("audio"u8.ToArray(), midId.ToArray());
            Assert.True(packet.TryGetExtension(RepairedRidId, out var repaired));
            Assert.Equal("0123456789abcdef"u8.ToArray(), repaired.ToArray());
        }
    }

    [Fact]
    public void One_byte_form_refuses_what_only_two_byte_can_carry()
    {
        var buffer = new byte[512];
        Assert.True(RtpPacketWriter.TryCreate(buffer, default, [], RtpExtensionProfile.OneByte, out var oneByte));
        Assert.False(oneByte.TryAddExtension(15, [1]));           // id 15 reserved
        Assert.False(oneByte.TryAddExtension(0, [1]));            // id 0 is padding
        Assert.False(oneByte.TryAddExtension(1, []));             // empty needs two-byte
        Assert.False(oneByte.TryAddExtension(1, new byte[17]));   // > 16 bytes
        Assert.True(oneByte.TryAddExtension(14, new byte[16]));   // positive control

        Assert.True(RtpPacketWriter.TryCreate(buffer, default, [], RtpExtensionProfile.TwoByte, out var twoByte));
        Assert.True(twoByte.TryAddExtension(255, new byte[255]));
        Assert.True(twoByte.TryAddExtension(15, []));
        Assert.False(twoByte.TryAddExtension(0, [1]));
    }

    [Fact]
    public void Writer_enforces_order_and_buffer_size()
    {
        Assert.False(RtpPacketWriter.TryCreate(new byte[11], default, [], 0, out _));
        Assert.False(RtpPacketWriter.TryCreate(new byte[64], default, new uint[16], 0, out _));
        Assert.False(RtpPacketWriter.TryCreate(new byte[64], default, [], 0x1234, out _));

        var buffer = new byte[20];
        Assert.True(RtpPacketWriter.TryCreate(buffer, new RtpHeader(0, 0, 0, 1), [], 0, out var plain));
        Assert.False(plain.TryAddExtension(1, [1]));         // no extension block
        Assert.False(plain.TryWritePayload(new byte[9]));     // 12 + 9 > 20
        Assert.True(plain.TryWritePayload(new byte[8]));
        Assert.False(plain.TryWritePayload([1]));             // once
        Assert.False(plain.TryComplete(1, out _));            // no room for padding
        Assert.True(plain.TryComplete(0, out var written));
        Assert.Equal(20, written);
        Assert.False(plain.TryComplete(0, out _));
    }

    [Fact]
    public void An_extension_block_without_elements_and_a_padding_only_packet_can_be_written()
    {
        var buffer = new byte[300];
        Assert.True(RtpPacketWriter.TryCreate(buffer, new RtpHeader(127, 1, 0, 0), [], RtpExtensionProfile.OneByte, out var writer));
        Assert.True(writer.TryAddTransportSequenceNumber(TransportCcId, 9));
        Assert.True(writer.TryComplete(255, out var written));
        Assert.True(RtpPacket.TryParse(buffer.AsSpan(0, written), out var probe));
        Assert.True(probe.IsPaddingOnly);
        Assert.Equal(255, probe.PaddingLength);
        Assert.True(probe.TryGetExtension(TransportCcId, out _));
    }
}
