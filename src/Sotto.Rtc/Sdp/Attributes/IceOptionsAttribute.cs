using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>a=ice-options:&lt;tag&gt; *(SP &lt;tag&gt;) (RFC 8839 §5.6), e.g. "trickle" (RFC 8838), "ice2" (RFC 8445).</summary>
public sealed record IceOptionsAttribute(EquatableArray<string> Options) : SdpAttribute
{
    public const string AttributeName = "ice-options";
    public const string Trickle = "trickle";
    public const string Ice2 = "ice2";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var f = SdpText.SplitFields(value);
        if (f.Length == 0)
        {
            return Fail(AttributeName, "expected at least one option tag", out attribute, out error);
        }
        foreach (var tag in f)
        {
            if (!SdpText.IsIceChars(tag) && !SdpText.IsToken(tag))
            {
                return Fail(AttributeName, $"option {SdpText.Quote(tag)} is not a token", out attribute, out error);
            }
        }
        return Success(new IceOptionsAttribute(new EquatableArray<string>(f)), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder) => builder.AppendJoin(' ', Options);
}
