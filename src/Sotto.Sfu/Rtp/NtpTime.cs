namespace Sotto.Sfu.Rtp;

/// <summary>64-bit NTP timestamps (RFC 3550 §4: seconds since 1900 in the high word, fraction in the low word).</summary>
internal static class NtpTime
{
    private static readonly long UnixEpochTicksFrom1900 = new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    public static ulong Now() => FromUtcTicks(DateTime.UtcNow.Ticks);

    public static ulong FromUtcTicks(long utcTicks)
    {
        var ticks = (ulong)(utcTicks - UnixEpochTicksFrom1900);
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var fraction = ((ticks % TimeSpan.TicksPerSecond) << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    /// <summary>The middle 32 bits (RFC 3550 §6.4.1 LSR).</summary>
    public static uint Compact(ulong ntp) => (uint)(ntp >> 16);

    /// <summary>Converts an NTP difference (2^-32 s units, signed) to RTP ticks at <paramref name="clockRate"/>.</summary>
    public static long ToRtpTicks(long ntpDifference, int clockRate) =>
        (long)((Int128)ntpDifference * clockRate >> 32);
}
