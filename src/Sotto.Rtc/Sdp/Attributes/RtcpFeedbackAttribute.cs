using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// a=rtcp-fb:&lt;payload type | *&gt; &lt;type&gt; [&lt;parameters&gt;] (RFC 4585 §4.2), e.g. "96 nack pli",
/// "96 ccm fir" (RFC 5104), "96 goog-remb", "111 transport-cc". A null payload type means "*": every
/// format of the m-line.
/// </summary>
public sealed record RtcpFeedbackAttribute(int? PayloadType, string Type, string? Parameters) : SdpAttribute
{
    public const string AttributeName = "rtcp-fb";
    public const string Nack = "nack";
    public const string Pli = "pli";
    public const string Ccm = "ccm";
    public const string Fir = "fir";
    public const string GoogRemb = "goog-remb";
    public const string TransportCc = "transport-cc";

    public override string Name => AttributeName;

    /// <summary>True when this feedback applies to <paramref name="payloadType"/> (directly or through "*").</summary>
    public bool AppliesTo(int payloadType) => PayloadType is null || PayloadType == payloadType;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var f = SdpText.SplitFields(value);
        if (f.Length < 2)
        {
            return Fail(AttributeName, "expected '<payload type|*> <type> [<parameters>]'", out attribute, out error);
        }
        int? pt = null;
        if (f[0] != "*")
        {
            if (!SdpText.TryParseInt(f[0], 0, RtpMapAttribute.MaxPayloadType, out var p))
            {
                return Fail(AttributeName, $"payload type {SdpText.Quote(f[0])} is not '*' or a number 0-{RtpMapAttribute.MaxPayloadType}", out attribute, out error);
            }
            pt = p;
        }
        if (!SdpText.IsToken(f[1]))
        {
            return Fail(AttributeName, $"feedback type {SdpText.Quote(f[1])} is not a token", out attribute, out error);
        }
        var parameters = f.Length > 2 ? string.Join(' ', f[2..]) : null;
        return Success(new RtcpFeedbackAttribute(pt, f[1], parameters), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder)
    {
        builder.Append(PayloadType is { } pt ? SdpText.Format(pt) : "*").Append(' ').Append(Type);
        if (Parameters is not null)
        {
            builder.Append(' ').Append(Parameters);
        }
    }
}
