using Sotto.Rtc.Rtcp;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp.Feedback;

public sealed class ReceiverEstimatedMaxBitrateTests
{
    /// <summary>REMB of 1 Mbps for two streams, shaped like libwebrtc's (sender SSRC, media SSRC 0).</summary>
    private static readonly byte[] OneMegabit = Hex(
        "8f ce 00 06", // V=2 P=0 FMT=15 PT=206 len=6
        "00 00 00 01", // SSRC of packet sender
        "00 00 00 00", // SSRC of media source: 0
        "52 45 4d 42", // 'R' 'E' 'M' 'B'
        "02 0b d0 90", // Num SSRC=2, BR Exp=2, BR Mantissa=250000: 250000 << 2 = 1,000,000 bps
        "5e 1a 7c 3b", // SSRC feedback
        "5e 1a 7c 3c");

    [Fact]
    public void Parses_bitrate_and_ssrcs()
    {
        Assert.True(ReceiverEstimatedMaxBitrate.TryParse(OneMegabit, out var remb));
        Assert.Equal(1u, remb.SenderSsrc);
        Assert.Equal(2, remb.Exponent);
        Assert.Equal(250_000u, remb.Mantissa);
        Assert.Equal(1_000_000ul, remb.Bitrate);
        Assert.Equal(2, remb.Ssrcs.Count);
        Assert.Equal(0x5e1a7c3cu, remb.Ssrcs[1]);
    }

    [Fact]
    public void Writes_the_vector_from_a_bitrate_and_round_trips_without_aliasing()
    {
        var remb = new ReceiverEstimatedMaxBitrate(1, 1_000_000, [0x5e1a7c3b, 0x5e1a7c3c]);
        var written = new byte[remb.GetSerializedLength()];
        Assert.True(remb.TryWrite(written, out var n));
        Assert.Equal(OneMegabit.Length, n);
        Assert.Equal(OneMegabit, written);

        Assert.True(ReceiverEstimatedMaxBitrate.TryParse(written, out var parsed));
        var again = new byte[parsed.GetSerializedLength()];
        Assert.True(parsed.TryWrite(again, out _));
        Scribble(written);
        Assert.Equal(OneMegabit, again);
    }

    [Theory]
    [InlineData(0ul, 0, 0u)]
    [InlineData(262_143ul, 0, 262_143u)]            // largest with exponent 0
    [InlineData(262_144ul, 1, 131_072u)]
    [InlineData(2_500_001ul, 4, 156_250u)]           // truncates: 156250 << 4 = 2,500,000
    [InlineData(ulong.MaxValue, 46, 262_143u)]
    public void Encodes_with_the_smallest_exponent_rounding_down(ulong bitrate, int exponent, uint mantissa)
    {
        var remb = new ReceiverEstimatedMaxBitrate(1, bitrate, []);
        Assert.Equal(exponent, remb.Exponent);
        Assert.Equal(mantissa, remb.Mantissa);
        Assert.True(remb.Bitrate <= bitrate);
        Assert.True(bitrate - remb.Bitrate < (1ul << exponent));
    }

    [Theory]
    [InlineData("8f ce 00 06 00 00 00 01 00 00 00 00 52 45 4d 43 02 0b d0 90 5e 1a 7c 3b 5e 1a 7c 3c")] // "REMC"
    [InlineData("8f ce 00 06 00 00 00 01 00 00 00 00 52 45 4d 42 03 0b d0 90 5e 1a 7c 3b 5e 1a 7c 3c")] // Num SSRC=3, two present
    [InlineData("8f ce 00 04 00 00 00 01 00 00 00 00 52 45 4d 42 00 ff ff ff")]                         // exp 63: overflows 64 bits
    [InlineData("8f ce 00 03 00 00 00 01 00 00 00 00 52 45 4d 42")]                                     // no bitrate word
    public void Refuses_malformed_packets(string hex)
    {
        Assert.False(ReceiverEstimatedMaxBitrate.TryParse(Hex(hex), out _));
    }

    [Fact]
    public void Positive_control_the_largest_representable_exponent_parses()
    {
        // exp 46, mantissa 2^18-1: exactly fits 64 bits.
        Assert.True(ReceiverEstimatedMaxBitrate.TryParse(Hex("8f ce 00 04 00 00 00 01 00 00 00 00 52 45 4d 42 00 bb ff ff"), out var remb));
        Assert.Equal(46, remb.Exponent);
        Assert.Equal(0xFFFF_C000_0000_0000ul, remb.Bitrate);
    }
}
