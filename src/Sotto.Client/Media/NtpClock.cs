namespace Sotto.Client.Media;

/// <summary>NTP timestamps for sender reports (RFC 3550 §4: seconds since 1900 in 32.32 fixed point).</summary>
internal static class NtpClock
{
    private static readonly DateTimeOffset NtpEpoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ulong Now(TimeProvider time)
    {
        TimeSpan since = time.GetUtcNow() - NtpEpoch;
        ulong seconds = (ulong)since.Ticks / TimeSpan.TicksPerSecond;
        ulong fraction = ((ulong)since.Ticks % TimeSpan.TicksPerSecond << 32) / TimeSpan.TicksPerSecond;
        return seconds << 32 | fraction;
    }
}
