using System.Diagnostics;

namespace Sotto.Transport.Tests.Support;

internal static class Wait
{
    /// <summary>Polls a condition until it holds; fails the test after <paramref name="timeout"/> (generous: 2 busy cores).</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
                Assert.Fail($"Timed out after {timeout} waiting for: {what}");
            await Task.Delay(10);
        }
    }
}
