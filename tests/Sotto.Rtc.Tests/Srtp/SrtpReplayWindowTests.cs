using Sotto.Rtc.Srtp;

namespace Sotto.Rtc.Tests.Srtp;

public sealed class SrtpReplayWindowTests
{
    [Fact]
    public void Empty_window_accepts_anything()
    {
        var window = new SrtpReplayWindow(64);
        Assert.True(window.IsEmpty);
        Assert.False(window.IsReplayed(0));
        Assert.False(window.IsReplayed(ulong.MaxValue >> 16));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    public void Every_age_inside_the_window_is_remembered_across_word_boundaries(int size)
    {
        var window = new SrtpReplayWindow(size);
        const ulong start = 1_000_000;
        // Accept every other index over three window lengths, sliding by 2 each time (crosses words).
        for (var i = 0UL; i < (ulong)(3 * size); i += 2)
        {
            window.Accept(start + i);
        }
        var highest = start + (ulong)(3 * size) - 2;
        Assert.Equal(highest, window.Highest);
        for (var age = 0UL; age < (ulong)size; age++)
        {
            var index = highest - age;
            Assert.Equal(age % 2 == 0, window.IsReplayed(index));
        }
        Assert.True(window.IsReplayed(highest - (ulong)size)); // too old
        Assert.False(window.IsReplayed(highest + 1));
    }

    [Fact]
    public void Large_jump_forgets_everything_but_the_new_index()
    {
        var window = new SrtpReplayWindow(128);
        window.Accept(10);
        window.Accept(11);
        window.Accept(10 + 1000);
        Assert.True(window.IsReplayed(1010));
        Assert.False(window.IsReplayed(1009));
        Assert.True(window.IsReplayed(11)); // now too old
    }

    [Fact]
    public void Slide_by_non_multiple_of_64_keeps_bits_in_place()
    {
        var window = new SrtpReplayWindow(128);
        window.Accept(100);
        window.Accept(70);  // age 30
        window.Accept(170); // slide by 70: ages become 70 (for 100) and 100 (for 70)
        Assert.True(window.IsReplayed(100));
        Assert.True(window.IsReplayed(70));
        Assert.False(window.IsReplayed(71));
        Assert.False(window.IsReplayed(99));
        Assert.True(window.IsReplayed(170));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(100)]
    public void Size_must_be_a_positive_multiple_of_64(int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SrtpReplayWindow(size));
}
