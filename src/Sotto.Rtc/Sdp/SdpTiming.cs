using System.Diagnostics.CodeAnalysis;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// t=&lt;start-time&gt; &lt;stop-time&gt; (RFC 8866 §5.9) with the r= repeat lines that follow it (§5.10),
/// kept verbatim. WebRTC always sends "t=0 0" (an unbounded session, RFC 8829 §5.2.1).
/// </summary>
public sealed record SdpTiming(ulong StartTime, ulong StopTime)
{
    /// <summary>The r= lines of this timing, each the text after "r=".</summary>
    public EquatableArray<string> Repeats { get; init; }

    public static SdpTiming Unbounded { get; } = new(0, 0);

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpTiming? timing, out string? error)
    {
        timing = null;
        var f = SdpText.SplitFields(value);
        if (f.Length != 2)
        {
            error = "expected '<start-time> <stop-time>'";
            return false;
        }
        if (!SdpText.TryParseUInt64(f[0], out var start) || !SdpText.TryParseUInt64(f[1], out var stop))
        {
            error = "start and stop times must be decimal numbers";
            return false;
        }
        timing = new SdpTiming(start, stop);
        error = null;
        return true;
    }

    public override string ToString() => $"{SdpText.Format(StartTime)} {SdpText.Format(StopTime)}";
}
