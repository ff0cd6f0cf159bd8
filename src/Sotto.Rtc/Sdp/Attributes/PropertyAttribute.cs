using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// A flag attribute with no value, "a=&lt;name&gt;" (RFC 8866 §5.13): rtcp-mux (RFC 8035), rtcp-rsize
/// (RFC 5506), ice-lite (RFC 8839 §5.3), extmap-allow-mixed (RFC 8285 §6), end-of-candidates
/// (RFC 8840 §8.2), bundle-only (RFC 8843 §6), and any unknown valueless attribute.
/// </summary>
public sealed record PropertyAttribute(string Name) : SdpAttribute
{
    public const string RtcpMux = "rtcp-mux";
    public const string RtcpMuxOnly = "rtcp-mux-only";
    public const string RtcpReducedSize = "rtcp-rsize";
    public const string IceLite = "ice-lite";
    public const string ExtmapAllowMixed = "extmap-allow-mixed";
    public const string EndOfCandidates = "end-of-candidates";
    public const string BundleOnly = "bundle-only";

    public override string Name { get; } = Name;

    internal override bool HasValue => false;

    /// <summary>Known flags: a value after one of these names is an error rather than an unknown attribute.</summary>
    internal static bool IsKnown(string name) =>
        name is RtcpMux or RtcpMuxOnly or RtcpReducedSize or IceLite or ExtmapAllowMixed or EndOfCandidates or BundleOnly;

    internal override void AppendValue(StringBuilder builder)
    {
    }
}
