using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>a=sctp-port:&lt;port&gt; (RFC 8841 §5): the SCTP port of the data channel association.</summary>
public sealed record SctpPortAttribute(int Port) : SdpAttribute
{
    public const string AttributeName = "sctp-port";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error) =>
        SdpText.TryParseInt(value, 0, ushort.MaxValue, out var port)
            ? Success(new SctpPortAttribute(port), out attribute, out error)
            : Fail(AttributeName, $"port {SdpText.Quote(value)} is not a number 0-65535", out attribute, out error);

    internal override void AppendValue(StringBuilder builder) => builder.Append(SdpText.Format(Port));
}
