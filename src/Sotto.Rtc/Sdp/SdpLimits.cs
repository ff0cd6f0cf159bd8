namespace Sotto.Rtc.Sdp;

/// <summary>
/// Caps applied before and while parsing, so a hostile peer cannot make the signaling path spend
/// unbounded memory or time on one description. The defaults fit a Chromium offer with dozens of
/// m-lines (a two-m-line publish offer with candidates is about 6 KB).
/// </summary>
public sealed record SdpLimits
{
    public static SdpLimits Default { get; } = new();

    /// <summary>Maximum input size, in UTF-16 chars for text input and in bytes for UTF-8 input.</summary>
    public int MaxLength { get; init; } = 64 * 1024;

    /// <summary>Maximum number of lines.</summary>
    public int MaxLines { get; init; } = 4096;

    /// <summary>Maximum number of m= sections.</summary>
    public int MaxMediaDescriptions { get; init; } = 256;
}
