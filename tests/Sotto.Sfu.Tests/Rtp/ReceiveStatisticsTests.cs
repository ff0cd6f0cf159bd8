using Sotto.Sfu.Rtp;

namespace Sotto.Sfu.Tests.Rtp;

public sealed class ReceiveStatisticsTests
{
    [Fact]
    public void Report_block_counts_loss_per_interval_and_cumulatively_across_the_wrap()
    {
        var stats = new ReceiveStatistics();
        for (var i = 0; i < 10; i++)
        {
            if (i != 5)
                stats.OnPacket((ushort)(65530 + i), (uint)i * 960, i * TimeSpan.TicksPerMillisecond * 20, 48000);
        }
        var block = stats.CreateReportBlock(7, 0);
        Assert.Equal(7u, block.Ssrc);
        Assert.Equal(1, block.CumulativeLost);
        Assert.Equal(65536u + 3, block.ExtendedHighestSequenceNumber); // 65530 + 9 wrapped once
        Assert.Equal(25, block.FractionLost); // 1 of 10 → 256/10
        Assert.Equal(0u, block.Jitter); // perfectly paced

        stats.OnPacket(4, 10 * 960, 10 * TimeSpan.TicksPerMillisecond * 20, 48000);
        var next = stats.CreateReportBlock(7, 0);
        Assert.Equal(0, next.FractionLost); // nothing lost in this interval
        Assert.Equal(1, next.CumulativeLost);
    }

    [Fact]
    public void Delay_since_last_sender_report_is_in_65536ths_of_a_second()
    {
        var stats = new ReceiveStatistics();
        stats.OnPacket(1, 0, 0, 90000);
        stats.OnSenderReport(0x0001_0002_0003_0004, 0);
        var block = stats.CreateReportBlock(1, TimeSpan.TicksPerSecond / 2);
        Assert.Equal(0x0002_0003u, block.LastSenderReport);
        Assert.Equal(32768u, block.DelaySinceLastSenderReport);
    }
}
