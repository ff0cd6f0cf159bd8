using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// a=ssrc:&lt;ssrc-id&gt; &lt;attribute&gt;[:&lt;value&gt;] (RFC 5576 §4.1), e.g. "a=ssrc:1454656429 cname:7phn…"
/// or "a=ssrc:1454656429 msid:&lt;stream&gt; &lt;track&gt;" (the value may contain spaces).
/// </summary>
/// <param name="Ssrc">The RTP synchronization source.</param>
/// <param name="SourceAttribute">The source-level attribute name, e.g. "cname" or "msid".</param>
/// <param name="Value">Its value, or null when it has none.</param>
public sealed record SsrcAttribute(uint Ssrc, string SourceAttribute, string? Value) : SdpAttribute
{
    public const string AttributeName = "ssrc";
    public const string Cname = "cname";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        var idText = space < 0 ? value : value[..space];
        if (!SdpText.TryParseUInt32(idText, out var ssrc))
        {
            return Fail(AttributeName, $"ssrc {SdpText.Quote(idText)} is not a 32-bit number", out attribute, out error);
        }
        if (space < 0 || space == value.Length - 1)
        {
            return Fail(AttributeName, "expected '<ssrc> <attribute>[:<value>]'", out attribute, out error);
        }
        var rest = value[(space + 1)..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? rest : rest[..colon];
        if (!SdpText.IsToken(name))
        {
            return Fail(AttributeName, $"source attribute {SdpText.Quote(name)} is not a token", out attribute, out error);
        }
        return Success(new SsrcAttribute(ssrc, name, colon < 0 ? null : rest[(colon + 1)..]), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder)
    {
        builder.Append(SdpText.Format(Ssrc)).Append(' ').Append(SourceAttribute);
        if (Value is not null)
        {
            builder.Append(':').Append(Value);
        }
    }
}
