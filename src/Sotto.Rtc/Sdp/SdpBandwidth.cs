using System.Diagnostics.CodeAnalysis;

namespace Sotto.Rtc.Sdp;

/// <summary>b=&lt;bwtype&gt;:&lt;bandwidth&gt; (RFC 8866 §5.8), e.g. b=AS:300 (kbit/s) or b=TIAS:300000 (bit/s, RFC 3890).</summary>
public sealed record SdpBandwidth(string Type, ulong Value)
{
    public static bool TryParse(string value, [NotNullWhen(true)] out SdpBandwidth? bandwidth, out string? error)
    {
        bandwidth = null;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = "expected '<bwtype>:<bandwidth>'";
            return false;
        }
        var type = value[..colon];
        if (!SdpText.IsToken(type))
        {
            error = $"bandwidth type {SdpText.Quote(type)} is not a token";
            return false;
        }
        if (!SdpText.TryParseUInt64(value.AsSpan(colon + 1), out var amount))
        {
            error = $"bandwidth {SdpText.Quote(value.AsSpan(colon + 1))} is not a decimal number";
            return false;
        }
        bandwidth = new SdpBandwidth(type, amount);
        error = null;
        return true;
    }

    public override string ToString() => $"{Type}:{SdpText.Format(Value)}";
}
