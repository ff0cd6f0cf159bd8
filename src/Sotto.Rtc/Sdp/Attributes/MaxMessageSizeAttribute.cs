using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>a=max-message-size:&lt;bytes&gt; (RFC 8841 §6): the largest SCTP user message accepted; 0 means no limit.</summary>
public sealed record MaxMessageSizeAttribute(ulong MaxMessageSize) : SdpAttribute
{
    public const string AttributeName = "max-message-size";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error) =>
        SdpText.TryParseUInt64(value, out var size)
            ? Success(new MaxMessageSizeAttribute(size), out attribute, out error)
            : Fail(AttributeName, $"size {SdpText.Quote(value)} is not a decimal number", out attribute, out error);

    internal override void AppendValue(StringBuilder builder) => builder.Append(SdpText.Format(MaxMessageSize));
}
