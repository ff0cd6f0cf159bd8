namespace Sotto.Rtc.Rtcp;

/// <summary>SDES item types (RFC 3550 §6.5; IANA "RTP SDES Item Types").</summary>
public enum SdesItemType : byte
{
    /// <summary>END: terminates a chunk's item list; never an item of its own.</summary>
    End = 0,

    /// <summary>CNAME: canonical end-point identifier (§6.5.1); Chromium sends a random 16-character one.</summary>
    Cname = 1,

    /// <summary>NAME: user name (§6.5.2).</summary>
    Name = 2,

    /// <summary>EMAIL (§6.5.3).</summary>
    Email = 3,

    /// <summary>PHONE (§6.5.4).</summary>
    Phone = 4,

    /// <summary>LOC: location (§6.5.5).</summary>
    Location = 5,

    /// <summary>TOOL: application name (§6.5.6).</summary>
    Tool = 6,

    /// <summary>NOTE (§6.5.7).</summary>
    Note = 7,

    /// <summary>PRIV: private extension, prefix length and prefix inside the text (§6.5.8).</summary>
    Private = 8,

    /// <summary>MID (RFC 8843 §15.2).</summary>
    Mid = 12,
}

/// <summary>
/// One SDES item of a parsed chunk (RFC 3550 §6.5): a view, the text is not copied or decoded.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     type      |     length    | text (length octets, UTF-8) ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct SdesItem
{
    /// <summary>Octets before the text.</summary>
    public const int HeaderLength = 2;

    /// <summary>Longest text the 8-bit length allows.</summary>
    public const int MaxTextLength = byte.MaxValue;

    internal SdesItem(SdesItemType type, ReadOnlySpan<byte> text)
    {
        Type = type;
        Text = text;
    }

    /// <summary>Item type.</summary>
    public SdesItemType Type { get; }

    /// <summary>The text octets (UTF-8 per RFC 3550 §6.5; not validated).</summary>
    public ReadOnlySpan<byte> Text { get; }
}

/// <summary>One SDES item to write: consecutive entries with the same SSRC share a chunk.</summary>
/// <param name="Ssrc">SSRC/CSRC the item describes.</param>
/// <param name="Type">Item type (not <see cref="SdesItemType.End"/>).</param>
/// <param name="Text">Item text, at most 255 octets; encode a CNAME once per stream, not per packet.</param>
public readonly record struct SdesEntry(uint Ssrc, SdesItemType Type, ReadOnlyMemory<byte> Text);
