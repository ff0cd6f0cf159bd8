namespace Sotto.Rtc.Rtp.Extensions;

/// <summary>
/// Client-to-mixer audio level (RFC 6464 §3): a voice-activity flag and the level in −dBov
/// (0 loudest … 127 silence). Parsed for completeness; Sotto does not negotiate it, because it
/// leaks speech to the server (DESIGN.md §3).
/// <code>
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |V|    level    |
/// +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct AudioLevel(bool VoiceActivity, byte Level)
{
    public const int Length = 1;
    public const string Uri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public const byte MaxLevel = 127;

    private const byte VoiceActivityBit = 0x80;

    /// <summary>
    /// Reads the first byte. One-byte-form senders may pad the element to more bytes (RFC 6464 §3
    /// allows a 1–4 byte element); only the first counts.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out AudioLevel level)
    {
        if (value.IsEmpty)
        {
            level = default;
            return false;
        }
        level = new AudioLevel((value[0] & VoiceActivityBit) != 0, (byte)(value[0] & MaxLevel));
        return true;
    }

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.IsEmpty || Level > MaxLevel)
        {
            return false;
        }
        destination[0] = (byte)((VoiceActivity ? VoiceActivityBit : 0) | Level);
        written = Length;
        return true;
    }
}
