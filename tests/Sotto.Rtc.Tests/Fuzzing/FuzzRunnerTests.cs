namespace Sotto.Rtc.Tests.Fuzzing;

public sealed class FuzzRunnerTests
{
    [Fact]
    public void Positive_control_a_parser_that_reads_past_its_input_is_caught()
    {
        // A deliberately broken "parser": trusts a length byte. The runner must flag it.
        static void Broken(ReadOnlySpan<byte> input)
        {
            if (input.Length > 0)
            {
                _ = input[input[0]];
            }
        }

        var ex = Assert.ThrowsAny<Exception>(() => FuzzRunner.Run("positive-control", Broken, [[0x03, 1, 2, 3, 4]]));
        Assert.Contains("positive-control", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutations_stay_within_bounds_and_vary()
    {
        var rng = new Random(1);
        var seeds = new List<byte[]> { new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 } };
        var distinct = new HashSet<string>();
        for (var i = 0; i < 1000; i++)
        {
            distinct.Add(Convert.ToHexString(FuzzRunner.Mutate(seeds[0], seeds, rng)));
        }
        Assert.True(distinct.Count > 500);
    }
}
