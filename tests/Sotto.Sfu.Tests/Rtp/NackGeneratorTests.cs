using Sotto.Sfu.Rtp;

namespace Sotto.Sfu.Tests.Rtp;

public sealed class NackGeneratorTests
{
    private static readonly long Retry = TimeSpan.FromMilliseconds(60).Ticks;

    [Fact]
    public void Gap_across_the_wrap_is_nacked_then_filled_by_a_late_packet()
    {
        var nacks = new NackGenerator();
        Assert.Equal(0, nacks.OnPacket(65534));
        Assert.Equal(2, nacks.OnPacket(1)); // 65535 and 0 missing
        Span<ushort> due = stackalloc ushort[8];
        var count = nacks.CollectDue(0, Retry, 3, due);
        Assert.Equal(new ushort[] { 0, 65535 }, due[..count].ToArray());

        Assert.Equal(0, nacks.OnPacket(65535)); // arrives late (or as RTX)
        Assert.Equal(1, nacks.MissingCount);
        Assert.Equal(0, nacks.CollectDue(Retry / 2, Retry, 3, due)); // not yet due again
        Assert.Equal(1, nacks.CollectDue(Retry, Retry, 3, due));
        Assert.Equal(0, due[0]);
    }

    [Fact]
    public void A_missing_packet_is_given_up_after_its_retries()
    {
        var nacks = new NackGenerator();
        nacks.OnPacket(10);
        nacks.OnPacket(12);
        Span<ushort> due = stackalloc ushort[4];
        for (var i = 0; i < 3; i++)
            Assert.Equal(1, nacks.CollectDue(i * Retry, Retry, 3, due));
        Assert.Equal(0, nacks.CollectDue(10 * Retry, Retry, 3, due));
        Assert.Equal(0, nacks.MissingCount);
    }

    [Fact]
    public void A_burst_too_large_to_track_asks_for_a_key_frame_instead()
    {
        var nacks = new NackGenerator();
        nacks.OnPacket(100);
        Assert.Equal(-1, nacks.OnPacket(100 + NackGenerator.Capacity + 2));
        Assert.Equal(0, nacks.MissingCount);
        // Positive control: a gap of exactly the capacity is tracked.
        Assert.Equal(NackGenerator.Capacity, nacks.OnPacket(100 + (2 * NackGenerator.Capacity) + 3));
    }
}
