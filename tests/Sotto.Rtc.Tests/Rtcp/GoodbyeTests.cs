using System.Text;
using Sotto.Rtc.Rtcp;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp;

public sealed class GoodbyeTests
{
    private static readonly byte[] TwoSourcesWithReason = Hex(
        "82 cb 00 04", // V=2 P=0 SC=2 PT=203 len=4
        "00 00 00 01", // SSRC
        "00 00 00 02", // SSRC
        "05 62 79 65", // length 5 "bye
        "21 21 00 00"); // !!" null padding

    [Fact]
    public void Parses_sources_and_reason()
    {
        Assert.True(Goodbye.TryParse(TwoSourcesWithReason, out var bye));
        Assert.Equal(2, bye.Sources.Count);
        Assert.Equal(1u, bye.Sources[0]);
        Assert.Equal(2u, bye.Sources[1]);
        Assert.True(bye.Sources.Contains(2));
        Assert.False(bye.Sources.Contains(3));
        Assert.Equal("bye!!", Encoding.UTF8.GetString(bye.Reason));
    }

    public static TheoryData<uint[], string, string> Cases => new()
    {
        { [1, 2], "bye!!", "82 cb 00 04 00 00 00 01 00 00 00 02 05 62 79 65 21 21 00 00" },
        { [7], "", "81 cb 00 01 00 00 00 07" },                         // no reason
        { [], "", "80 cb 00 00" },                                      // SC=0
        { [7], "abc", "81 cb 00 02 00 00 00 07 03 61 62 63" },          // reason fills the word exactly
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_trips_without_aliasing(uint[] sources, string reason, string hex)
    {
        var expected = Hex(hex);
        var bye = new Goodbye(sources, Encoding.UTF8.GetBytes(reason));
        var written = new byte[bye.GetSerializedLength()];
        Assert.True(bye.TryWrite(written, out var n));
        Assert.Equal(expected.Length, n);
        Assert.Equal(expected, written);

        Assert.True(Goodbye.TryParse(written, out var parsed));
        var again = new byte[parsed.GetSerializedLength()];
        Assert.True(parsed.TryWrite(again, out _));
        Scribble(written);
        Assert.Equal(expected, again);
    }

    [Theory]
    [InlineData("82 cb 00 01 00 00 00 01")]                         // SC=2, one SSRC
    [InlineData("81 cb 00 02 00 00 00 01 09 61 62 63")]             // reason length past the packet
    [InlineData("81 cb 00 03 00 00 00 01 01 61 00 00 00 00 00 00")] // more than padding after the reason
    public void Refuses_malformed_packets(string hex)
    {
        Assert.False(Goodbye.TryParse(Hex(hex), out _));
    }

    [Fact]
    public void Positive_control_a_one_octet_reason_with_padding_parses()
    {
        Assert.True(Goodbye.TryParse(Hex("81 cb 00 02 00 00 00 01 01 61 00 00"), out var bye));
        Assert.Equal("a", Encoding.UTF8.GetString(bye.Reason));
    }

    [Fact]
    public void Refuses_to_write_32_sources_or_a_256_octet_reason()
    {
        var buffer = new byte[1024];
        Assert.False(new Goodbye(new uint[32]).TryWrite(buffer, out _));
        Assert.True(new Goodbye(new uint[31]).TryWrite(buffer, out _));
        Assert.False(new Goodbye([1], new byte[256]).TryWrite(buffer, out _));
        Assert.True(new Goodbye([1], new byte[255]).TryWrite(buffer, out _));
    }
}
