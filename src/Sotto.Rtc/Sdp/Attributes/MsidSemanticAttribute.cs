using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// a=msid-semantic: WMS [stream ids] — from draft-ietf-mmusic-msid before RFC 8830, still written by
/// Chromium at session level. Chromium puts a space after the colon ("a=msid-semantic: WMS"); the
/// writer does the same so captured offers round-trip byte for byte.
/// </summary>
public sealed record MsidSemanticAttribute(string Semantic, EquatableArray<string> Identifiers) : SdpAttribute
{
    public const string AttributeName = "msid-semantic";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var f = SdpText.SplitFields(value);
        if (f.Length == 0 || !SdpText.IsToken(f[0]))
        {
            return Fail(AttributeName, "expected ' <semantic> [<id> ...]'", out attribute, out error);
        }
        return Success(new MsidSemanticAttribute(f[0], new EquatableArray<string>(f[1..])), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder)
    {
        builder.Append(' ').Append(Semantic);
        foreach (var id in Identifiers)
        {
            builder.Append(' ').Append(id);
        }
    }
}
