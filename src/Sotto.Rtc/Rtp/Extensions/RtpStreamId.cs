namespace Sotto.Rtc.Rtp.Extensions;

/// <summary>
/// The SDES-item extensions that name a stream: mid (RFC 9143 §15, the m-line), rid and
/// repaired-rid (RFC 8852 §3). Each value is the text itself, as bytes, without terminator.
/// libwebrtc sends them until an RTCP receiver report acknowledges the SSRC, so the SFU maps a new
/// SSRC to its mid/rid from the first packets (DESIGN.md §9).
/// </summary>
public static class RtpStreamId
{
    public const string MidUri = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public const string RidUri = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public const string RepairedRidUri = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    /// <summary>RFC 8852 §3: an SDES item is at most 255 bytes.</summary>
    public const int MaxLength = 255;

    /// <summary>
    /// Accepts a non-empty value of RFC 8851 rid-id characters (ALPHA / DIGIT / "-" / "_"), which
    /// also covers the mids browsers generate ("0", "1", "audio"). Rejects anything else so a
    /// forged value never reaches a lookup table.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> id)
    {
        id = default;
        if (value.IsEmpty || value.Length > MaxLength)
        {
            return false;
        }
        foreach (var b in value)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b == (byte)'-' || b == (byte)'_'))
            {
                return false;
            }
        }
        id = value;
        return true;
    }
}
