using Sotto.Rtc.Rtcp;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp.Feedback;

public sealed class PictureLossIndicationTests
{
    [Fact]
    public void Parses_chromiums_lone_pli()
    {
        Assert.True(PictureLossIndication.TryParse(RtcpCompoundReaderTests.ChromiumLonePli, out var pli));
        Assert.Equal(new PictureLossIndication(1, 0x5e1a7c3b), pli);
    }

    [Fact]
    public void Writes_the_twelve_octet_packet_without_aliasing()
    {
        var expected = Hex(
            "81 ce 00 02", // V=2 P=0 FMT=1 PT=206 len=2
            "00 00 00 07", // SSRC of packet sender
            "12 34 56 78"); // SSRC of media source
        var written = new byte[PictureLossIndication.Size];
        Assert.True(new PictureLossIndication(7, 0x12345678).TryWrite(written, out var n));
        Assert.Equal(12, n);
        Assert.Equal(expected, written);

        var source = Copy(written);
        Assert.True(PictureLossIndication.TryParse(source, out var parsed));
        var again = new byte[parsed.GetSerializedLength()];
        Assert.True(parsed.TryWrite(again, out _));
        Scribble(source);
        Assert.Equal(expected, again);
    }

    [Theory]
    [InlineData("81 ce 00 03 00 00 00 07 12 34 56 78 00 00 00 00")] // FCI present: RFC 4585 §6.3.1.1 says none
    [InlineData("84 ce 00 02 00 00 00 07 12 34 56 78")]             // FMT=4 is FIR
    [InlineData("81 cd 00 02 00 00 00 07 12 34 56 78")]             // PT=205 is RTPFB (NACK)
    [InlineData("81 ce 00 01 00 00 00 07")]                         // no media SSRC
    public void Refuses_anything_but_a_pli(string hex)
    {
        Assert.False(PictureLossIndication.TryParse(Hex(hex), out _));
    }

    [Fact]
    public void Refuses_a_short_buffer()
    {
        Assert.False(new PictureLossIndication(1, 2).TryWrite(new byte[11], out var n));
        Assert.Equal(0, n);
    }
}
