namespace Sotto.Client.Tests;

/// <summary>Waits on a condition, never on a fixed sleep; a generous deadline because CI is loaded.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out after {seconds} s waiting for: {what}");
            await Task.Delay(50);
        }
    }
}
