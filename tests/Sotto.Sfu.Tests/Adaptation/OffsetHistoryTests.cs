using Sotto.Sfu.Adaptation;

namespace Sotto.Sfu.Tests.Adaptation;

/// <summary>Gap closing for dropped packets and frames: the offset in force at each source position, across the 16-bit wrap.</summary>
public sealed class OffsetHistoryTests
{
    [Fact]
    public void Drops_move_the_offset_from_the_next_position_and_late_packets_keep_theirs()
    {
        var history = new OffsetHistory(16);
        history.Reset(65530, 100);
        history.DropAt(65532);
        history.DropAt(65533); // consecutive drops make one change
        history.DropAt(2);     // across the wrap
        Assert.True(history.TryGet(65531, out var offset));
        Assert.Equal(100, offset);
        Assert.True(history.TryGet(65534, out offset));
        Assert.Equal(98, offset);
        Assert.True(history.TryGet(1, out offset));
        Assert.Equal(98, offset);
        Assert.True(history.TryGet(3, out offset));
        Assert.Equal(97, offset);
        // Older than the switch: refused rather than guessed.
        Assert.False(history.TryGet(65529, out _));
    }

    [Fact]
    public void The_output_has_no_gaps_where_packets_were_dropped()
    {
        var history = new OffsetHistory(15);
        history.Reset(32760, 5);
        var output = new List<int>();
        for (var p = 32760; p < 32760 + 20; p++)
        {
            var position = p & 0x7FFF;
            if (position % 4 == 1)
            {
                history.DropAt(position);
                continue;
            }
            Assert.True(history.TryGet(position, out var offset));
            output.Add((position + offset) & 0x7FFF);
        }
        for (var i = 1; i < output.Count; i++)
            Assert.Equal((output[i - 1] + 1) & 0x7FFF, output[i]);
    }
}
