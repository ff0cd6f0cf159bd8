namespace Sotto.Browser.Tests.Call;

/// <summary>Waits on a condition read from the browsers or the server (getStats, counters) — never a fixed sleep as an assertion.</summary>
internal static class Eventually
{
    /// <param name="what">what was awaited, read when the wait fails (so it can report the last values seen)</param>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out after {timeout.TotalSeconds:0} s waiting until {what()}");
            await Task.Delay(250);
        }
    }

    public static Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what) => Until(condition, timeout, () => what);

    public static Task Until(Func<bool> condition, TimeSpan timeout, string what) => Until(() => Task.FromResult(condition()), timeout, () => what);

    public static Task Until(Func<bool> condition, TimeSpan timeout, Func<string> what) => Until(() => Task.FromResult(condition()), timeout, what);
}
