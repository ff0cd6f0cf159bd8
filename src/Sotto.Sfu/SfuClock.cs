using System.Diagnostics;

namespace Sotto.Sfu;

/// <summary>The monotonic clock of the media path, in <see cref="TimeSpan"/> ticks (100 ns).</summary>
internal static class SfuClock
{
    public static long NowTicks() => Stopwatch.GetElapsedTime(0).Ticks;
}
