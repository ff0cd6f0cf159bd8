using Sotto.Rtc.Rtcp;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp;

public sealed class RtcpHeaderTests
{
    [Theory]
    //            header         P      count  PT   length
    [InlineData("81 c9 00 07", false, 1, 201, 7)]   // V=2 P=0 RC=1 PT=201 len=7
    [InlineData("80 c8 00 06", false, 0, 200, 6)]   // V=2 P=0 RC=0 PT=200 len=6
    [InlineData("af cd 00 06", true, 15, 205, 6)]   // V=2 P=1 FMT=15 PT=205 len=6
    [InlineData("9f ce ff ff", false, 31, 206, 65535)] // V=2 P=0 FMT=31 PT=206 len=65535
    public void Parses_every_field_and_writes_it_back(string hex, bool padding, int count, int packetType, int length)
    {
        var bytes = Hex(hex);
        Assert.True(RtcpHeader.TryParse(bytes, out var header));
        Assert.Equal(padding, header.Padding);
        Assert.Equal(count, header.Count);
        Assert.Equal((RtcpPacketType)packetType, header.PacketType);
        Assert.Equal(length, header.LengthInWords);
        Assert.Equal((length + 1) * 4, header.PacketLength);

        var written = new byte[RtcpHeader.Size];
        Assert.True(header.TryWrite(written, out var n));
        Assert.Equal(4, n);
        Assert.Equal(bytes, written);
    }

    [Theory]
    [InlineData("41 c9 00 07")] // V=1
    [InlineData("01 c9 00 07")] // V=0
    [InlineData("c1 c9 00 07")] // V=3
    [InlineData("81 c9 00")]    // three octets
    [InlineData("")]
    public void Refuses_other_versions_and_short_input(string hex)
    {
        Assert.False(RtcpHeader.TryParse(Hex(hex), out _));
    }

    [Fact]
    public void Packet_split_strips_padding_and_checks_its_count()
    {
        // V=2 P=1 RC=0 PT=201 len=2: SSRC then 4 octets of padding, the last one counting 4.
        var padded = Hex("a0 c9 00 02", "00 00 00 2a", "00 00 00 04");
        Assert.True(RtcpHeader.TryParsePacket(padded, out var header, out var body));
        Assert.True(header.Padding);
        Assert.Equal(Hex("00 00 00 2a"), body.ToArray());

        // Positive control above; now a zero count and a count larger than the body.
        Assert.False(RtcpHeader.TryParsePacket(Hex("a0 c9 00 02", "00 00 00 2a", "00 00 00 00"), out _, out _));
        Assert.False(RtcpHeader.TryParsePacket(Hex("a0 c9 00 02", "00 00 00 2a", "00 00 00 09"), out _, out _));
        // Length field disagreeing with the span.
        Assert.False(RtcpHeader.TryParsePacket(Hex("80 c9 00 02", "00 00 00 2a"), out _, out _));
    }

    [Fact]
    public void Constructor_refuses_a_count_that_does_not_fit_five_bits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtcpHeader(RtcpPacketType.ReceiverReport, 32, 1));
        Assert.Equal(31, new RtcpHeader(RtcpPacketType.ReceiverReport, 31, 1).Count);
    }
}
