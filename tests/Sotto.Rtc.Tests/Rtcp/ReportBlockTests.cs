using Sotto.Rtc.Rtcp;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp;

public sealed class ReportBlockTests
{
    [Fact]
    public void Reads_every_field_including_a_negative_cumulative_loss()
    {
        var bytes = Hex(
            "5e 1a 7c 3b", // SSRC_1
            "40 ff ff fe", // fraction lost = 64/256, cumulative lost = -2 (duplicates)
            "00 02 00 10", // extended highest seq: 2 cycles, 16
            "00 00 01 00", // jitter = 256
            "11 22 33 44", // LSR
            "00 00 80 00"); // DLSR = 0.5 s
        Assert.True(ReportBlock.TryParse(bytes, out var block));
        Assert.Equal(new ReportBlock
        {
            Ssrc = 0x5e1a7c3b,
            FractionLost = 64,
            CumulativeLost = -2,
            ExtendedHighestSequenceNumber = 0x0002_0010,
            Jitter = 256,
            LastSenderReport = 0x11223344,
            DelaySinceLastSenderReport = 0x8000,
        }, block);

        var written = new byte[ReportBlock.Size];
        Assert.True(block.TryWrite(written, out var n));
        Assert.Equal(ReportBlock.Size, n);
        Assert.Equal(bytes, written);
    }

    [Theory]
    [InlineData(ReportBlock.MaxCumulativeLost, "7f ff ff")]
    [InlineData(ReportBlock.MinCumulativeLost, "80 00 00")]
    [InlineData(ReportBlock.MaxCumulativeLost + 1, "7f ff ff")] // saturates, does not wrap to negative
    [InlineData(ReportBlock.MinCumulativeLost - 1, "80 00 00")]
    [InlineData(int.MaxValue, "7f ff ff")]
    [InlineData(0, "00 00 00")]
    [InlineData(-1, "ff ff ff")]
    public void Writes_cumulative_loss_as_saturated_signed_24_bits(int lost, string expected)
    {
        var written = new byte[ReportBlock.Size];
        Assert.True(new ReportBlock { CumulativeLost = lost }.TryWrite(written, out _));
        Assert.Equal(Hex(expected), written[5..8]);
        Assert.True(ReportBlock.TryParse(written, out var back));
        Assert.Equal(Math.Clamp(lost, ReportBlock.MinCumulativeLost, ReportBlock.MaxCumulativeLost), back.CumulativeLost);
    }

    [Fact]
    public void Refuses_short_buffers()
    {
        Assert.False(ReportBlock.TryParse(new byte[23], out _));
        Assert.False(new ReportBlock().TryWrite(new byte[23], out var n));
        Assert.Equal(0, n);
        Assert.True(new ReportBlock().TryWrite(new byte[24], out _));
    }
}
