using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// a=group:&lt;semantics&gt; *(SP &lt;identification-tag&gt;) (RFC 5888 §5), e.g. "a=group:BUNDLE 0 1":
/// the mids bundled on one transport (RFC 8843 §7), the first being the offerer's tagged m-line.
/// </summary>
public sealed record GroupAttribute(string Semantics, EquatableArray<string> Mids) : SdpAttribute
{
    public const string AttributeName = "group";
    public const string Bundle = "BUNDLE";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var f = SdpText.SplitFields(value);
        if (f.Length == 0 || !SdpText.IsToken(f[0]))
        {
            return Fail(AttributeName, "expected '<semantics> <mid> ...'", out attribute, out error);
        }
        for (var i = 1; i < f.Length; i++)
        {
            if (!SdpText.IsToken(f[i]))
            {
                return Fail(AttributeName, $"identification tag {SdpText.Quote(f[i])} is not a token", out attribute, out error);
            }
        }
        return Success(new GroupAttribute(f[0], new EquatableArray<string>(f[1..])), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder)
    {
        builder.Append(Semantics);
        foreach (var mid in Mids)
        {
            builder.Append(' ').Append(mid);
        }
    }
}
