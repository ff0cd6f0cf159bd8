using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// a=mid:&lt;identification-tag&gt; (RFC 5888 §4, RFC 8843): names the m-line. The same value is sent in
/// the RTP mid header extension (RFC 8843 §15), which is how the SFU maps unsignaled SSRCs to m-lines.
/// </summary>
public sealed record MidAttribute(string Mid) : SdpAttribute
{
    public const string AttributeName = "mid";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error) =>
        SdpText.IsToken(value)
            ? Success(new MidAttribute(value), out attribute, out error)
            : Fail(AttributeName, $"identification tag {SdpText.Quote(value)} is not a token", out attribute, out error);

    internal override void AppendValue(StringBuilder builder) => builder.Append(Mid);
}
