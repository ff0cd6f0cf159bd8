using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>a=ice-pwd:&lt;password&gt; (RFC 8839 §5.4): 22 to 256 ice-chars, the STUN short-term credential key.</summary>
public sealed record IcePwdAttribute(string Password) : SdpAttribute
{
    public const string AttributeName = "ice-pwd";
    public const int MinLength = 22;
    public const int MaxLength = 256;

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        // The value is a secret: the error names its length, never echoes it.
        if (value.Length < MinLength || value.Length > MaxLength || !SdpText.IsIceChars(value))
        {
            return Fail(AttributeName, $"must be {MinLength}-{MaxLength} characters of [A-Za-z0-9+/] (got {value.Length} characters)", out attribute, out error);
        }
        return Success(new IcePwdAttribute(value), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder) => builder.Append(Password);
}
