using Sotto.Sfu.Adaptation.Estimation;
using Xunit.Abstractions;

namespace Sotto.Sfu.Tests.Adaptation;

/// <summary>
/// The downlink estimator against synthetic transport-cc feedback from <see cref="SimulatedLink"/>: a
/// stable link, a congested one (queueing and tail drop; a policer), recovery when the bottleneck goes
/// away (with and without a probe), and a probe on a narrow link that must fail.
/// </summary>
public sealed class DownlinkEstimatorTests(ITestOutputHelper output)
{
    private const long Mbps = 1_000_000;

    [Fact]
    public void A_stable_link_with_room_keeps_the_estimate_above_what_is_sent_without_loss_or_overuse()
    {
        var estimator = new DownlinkEstimator(2_500_000);
        var link = new SimulatedLink(estimator) { CapacityBitsPerSecond = 5 * Mbps };
        link.Run(() => 1 * Mbps, 10);
        output.WriteLine($"estimate {estimator.BitsPerSecond}, acked {estimator.AckedBitsPerSecond}, loss {estimator.LossFraction}");
        Assert.Equal(0, link.Lost);
        Assert.NotEqual(BandwidthUsage.Overusing, estimator.Usage);
        Assert.InRange(estimator.AckedBitsPerSecond, 900_000, 1_100_000);
        Assert.True(estimator.BitsPerSecond >= 1_500_000, $"estimate {estimator.BitsPerSecond}");
    }

    [Fact]
    public void A_queue_building_behind_a_narrow_link_brings_the_estimate_down_to_its_capacity()
    {
        var estimator = new DownlinkEstimator(2_500_000);
        // A sender that follows the estimate, as the allocator makes the SFU do.
        var link = new SimulatedLink(estimator) { CapacityBitsPerSecond = 1 * Mbps };
        var lowest = long.MaxValue;
        for (var i = 0; i < 20; i++)
        {
            link.Run(() => estimator.BitsPerSecond, 0.5);
            lowest = Math.Min(lowest, estimator.BitsPerSecond);
        }
        output.WriteLine($"estimate {estimator.BitsPerSecond} (lowest {lowest}), delay-based {estimator.DelayBasedBitsPerSecond}, loss-based {estimator.LossBasedBitsPerSecond}, lost {link.Lost}/{link.Sent}");
        Assert.InRange(estimator.BitsPerSecond, 500_000, 1_300_000);
        // Positive control: the detector really fired (the estimate started at 2.5x the capacity).
        Assert.True(lowest < 1_100_000);
    }

    [Fact]
    public void A_policer_that_drops_above_its_rate_brings_the_loss_based_estimate_down()
    {
        var estimator = new DownlinkEstimator(2_500_000);
        var link = new SimulatedLink(estimator) { CapacityBitsPerSecond = 600_000, Policer = true };
        for (var i = 0; i < 20; i++)
            link.Run(() => estimator.BitsPerSecond, 0.5);
        output.WriteLine($"estimate {estimator.BitsPerSecond}, loss-based {estimator.LossBasedBitsPerSecond}, loss {estimator.LossFraction:0.00}, lost {link.Lost}/{link.Sent}");
        Assert.InRange(estimator.BitsPerSecond, 300_000, 800_000);
        Assert.True(estimator.LossBasedBitsPerSecond < estimator.DelayBasedBitsPerSecond, "the loss-based half limits");
    }

    [Fact]
    public void After_congestion_the_estimate_recovers_when_the_bottleneck_widens()
    {
        var estimator = new DownlinkEstimator(2_500_000);
        var link = new SimulatedLink(estimator) { CapacityBitsPerSecond = 800_000 };
        link.Run(() => estimator.BitsPerSecond, 10);
        var congested = estimator.BitsPerSecond;
        Assert.True(congested < 1 * Mbps, $"congested at {congested}");

        link.CapacityBitsPerSecond = 10 * Mbps;
        link.Run(() => estimator.BitsPerSecond, 15);
        output.WriteLine($"congested {congested} → recovered {estimator.BitsPerSecond} without probing");
        Assert.True(estimator.BitsPerSecond > congested * 2, $"{estimator.BitsPerSecond}");
    }

    [Fact]
    public void A_probe_on_a_wide_link_raises_the_estimate_at_once_and_on_a_narrow_one_fails()
    {
        var wide = new DownlinkEstimator(500_000);
        var wideLink = new SimulatedLink(wide) { CapacityBitsPerSecond = 10 * Mbps };
        wideLink.Run(() => 400_000, 2);
        var before = wide.BitsPerSecond;
        wide.BeginProbe(wideLink.NowMicros, wideLink.NowMicros + 500_000);
        wideLink.Run(() => 2 * Mbps, 0.5);
        wideLink.Run(() => 400_000, 1);
        output.WriteLine($"wide: {before} → {wide.BitsPerSecond} (probe measured {wide.LastProbeBitsPerSecond})");
        Assert.Equal(1, wide.ProbesSucceeded);
        Assert.True(wide.BitsPerSecond >= 1_500_000, $"{wide.BitsPerSecond}");

        var narrow = new DownlinkEstimator(500_000);
        var narrowLink = new SimulatedLink(narrow) { CapacityBitsPerSecond = 600_000, Policer = true };
        narrowLink.Run(() => 400_000, 2);
        narrow.BeginProbe(narrowLink.NowMicros, narrowLink.NowMicros + 500_000);
        narrowLink.Run(() => 2 * Mbps, 0.5);
        narrowLink.Run(() => 400_000, 1);
        output.WriteLine($"narrow: {narrow.BitsPerSecond} (failed {narrow.ProbesFailed})");
        Assert.Equal(1, narrow.ProbesFailed);
        Assert.True(narrow.BitsPerSecond < 1 * Mbps);
    }
}
