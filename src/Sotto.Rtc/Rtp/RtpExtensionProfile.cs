namespace Sotto.Rtc.Rtp;

/// <summary>The "defined by profile" values of the two RFC 8285 header extension forms.</summary>
public static class RtpExtensionProfile
{
    /// <summary>One-byte header form (RFC 8285 §4.2): IDs 1–14, 1–16 data bytes.</summary>
    public const ushort OneByte = 0xBEDE;

    /// <summary>Two-byte header form (RFC 8285 §4.3): 0x100 then 4 "appbits"; IDs 1–255, 0–255 data bytes.</summary>
    public const ushort TwoByte = 0x1000;

    internal const ushort TwoByteMask = 0xFFF0;

    public const int OneByteMaxId = 14;
    public const int OneByteMaxLength = 16;

    public static bool IsOneByte(ushort profile) => profile == OneByte;

    public static bool IsTwoByte(ushort profile) => (profile & TwoByteMask) == TwoByte;
}
