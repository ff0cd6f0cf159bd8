using Sotto.Rtc.Rtcp;

namespace Sotto.Rtc.Tests.Rtcp.Feedback;

public sealed class NackItemTests
{
    [Fact]
    public void Expands_pid_and_every_blp_bit()
    {
        // BLP 0b1000_0000_0000_0101: PID+1, PID+3 and PID+16.
        var item = new NackItem(100, 0x8005);
        Span<ushort> lost = stackalloc ushort[NackItem.MaxLostPerItem];
        var count = item.GetLostSequenceNumbers(lost);
        Assert.Equal(4, count);
        Assert.Equal(4, item.LostCount);
        Assert.Equal(new ushort[] { 100, 101, 103, 116 }, lost[..count].ToArray());
    }

    [Fact]
    public void Expansion_wraps_past_65535()
    {
        var item = new NackItem(65534, 0x0003);
        Span<ushort> lost = stackalloc ushort[NackItem.MaxLostPerItem];
        var count = item.GetLostSequenceNumbers(lost);
        Assert.Equal(new ushort[] { 65534, 65535, 0 }, lost[..count].ToArray());
    }

    [Fact]
    public void Expansion_refuses_a_destination_too_small()
    {
        var item = new NackItem(1, 0xFFFF);
        Assert.Equal(-1, item.GetLostSequenceNumbers(new ushort[16]));
        Assert.Equal(17, item.GetLostSequenceNumbers(new ushort[17]));
    }

    public static TheoryData<ushort[], (ushort, ushort)[]> Packing => new()
    {
        { [10], [(10, 0)] },
        { [10, 11, 12], [(10, 0b11)] },
        { [10, 26], [(10, 0x8000)] },                   // PID+16 is the last BLP bit
        { [10, 27], [(10, 0), (27, 0)] },               // PID+17 needs a new item
        { [65535, 0, 1], [(65535, 0b11)] },             // across the wrap
        { [10, 10, 11], [(10, 0b1)] },                  // duplicate ignored
        { [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], [(1, 0xFFFF), (18, 0)] },
        { [], [] },
    };

    [Theory]
    [MemberData(nameof(Packing))]
    public void Packs_lost_sequence_numbers_into_items(ushort[] lost, (ushort, ushort)[] expected)
    {
        Assert.Equal(expected.Length, NackItem.CountItems(lost));
        var items = new NackItem[expected.Length];
        Assert.True(NackItem.TryCreate(lost, items, out var count));
        Assert.Equal(expected.Length, count);
        Assert.Equal(expected.Select(e => new NackItem(e.Item1, e.Item2)), items);
    }

    [Fact]
    public void Packing_then_expanding_gives_back_the_set_for_any_order()
    {
        var rng = new Random(5);
        Span<ushort> scratch = stackalloc ushort[NackItem.MaxLostPerItem];
        for (var round = 0; round < 200; round++)
        {
            var lost = Enumerable.Range(0, rng.Next(1, 80)).Select(_ => (ushort)(65500 + rng.Next(0, 120))).Distinct().ToArray();
            if (round % 2 == 0)
            {
                rng.Shuffle(lost);
            }
            var items = new NackItem[NackItem.CountItems(lost)];
            Assert.True(NackItem.TryCreate(lost, items, out var count));
            Assert.Equal(items.Length, count);
            var expanded = new HashSet<ushort>();
            foreach (var item in items)
            {
                var n = item.GetLostSequenceNumbers(scratch);
                foreach (var s in scratch[..n])
                {
                    expanded.Add(s);
                }
            }
            Assert.True(expanded.SetEquals(lost));
        }
    }

    [Fact]
    public void Packing_refuses_a_destination_too_small()
    {
        ushort[] lost = [1, 100, 200];
        Assert.False(NackItem.TryCreate(lost, new NackItem[2], out var count));
        Assert.Equal(0, count);
        Assert.True(NackItem.TryCreate(lost, new NackItem[3], out count));
        Assert.Equal(3, count);
    }
}
