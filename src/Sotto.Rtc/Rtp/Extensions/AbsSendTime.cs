using System.Buffers.Binary;

namespace Sotto.Rtc.Rtp.Extensions;

/// <summary>
/// abs-send-time (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time): the send time as a
/// 24-bit unsigned 6.18 fixed-point number of seconds, i.e. the middle 24 bits of the 64-bit NTP
/// timestamp. It wraps every 64 s; receivers only use differences.
/// <code>
///  0                   1                   2
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  seconds (6) |       fraction (18 bits)       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public static class AbsSendTime
{
    public const int Length = 3;
    public const string Uri = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    private const int FractionBits = 18;
    private const uint Mask = 0xFFFFFF;

    public static bool TryRead(ReadOnlySpan<byte> value, out uint absSendTime24)
    {
        if (value.Length != Length)
        {
            absSendTime24 = 0;
            return false;
        }
        absSendTime24 = (uint)(value[0] << 16 | value[1] << 8 | value[2]);
        return true;
    }

    public static bool TryWrite(Span<byte> destination, uint absSendTime24, out int written)
    {
        written = 0;
        if (destination.Length < Length || absSendTime24 > Mask)
        {
            return false;
        }
        destination[0] = (byte)(absSendTime24 >> 16);
        destination[1] = (byte)(absSendTime24 >> 8);
        destination[2] = (byte)absSendTime24;
        written = Length;
        return true;
    }

    /// <summary>The 6.18 value of a time (any epoch: only differences matter), wrapped to 24 bits.</summary>
    public static uint FromTimeSpan(TimeSpan time) =>
        (uint)(((ulong)time.Ticks << FractionBits) / TimeSpan.TicksPerSecond) & Mask;

    /// <summary>The 6.18 value of a 64-bit NTP timestamp (32.32): its middle 24 bits.</summary>
    public static uint FromNtp(ulong ntpTimestamp) => (uint)(ntpTimestamp >> 14) & Mask;

    /// <summary>The time a 6.18 value stands for, within its 64-second wrap.</summary>
    public static TimeSpan ToTimeSpan(uint absSendTime24) =>
        TimeSpan.FromTicks((long)(((ulong)(absSendTime24 & Mask) * TimeSpan.TicksPerSecond) >> FractionBits));

    /// <summary>Writes the 24-bit value straight into an element's 3 bytes (e.g. from <see cref="MutableRtpPacket.TryGetExtension"/>).</summary>
    public static bool TryOverwrite(Span<byte> value, uint absSendTime24) =>
        value.Length == Length && TryWrite(value, absSendTime24, out _);

}
