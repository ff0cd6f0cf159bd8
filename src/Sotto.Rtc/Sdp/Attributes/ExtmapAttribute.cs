using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// a=extmap:&lt;id&gt;[/&lt;direction&gt;] &lt;URI&gt; [&lt;extension attributes&gt;] (RFC 8285 §7): binds an
/// RTP header extension URI to the local id used in packets. Ids 1-14 fit the one-byte form, 1-255 the
/// two-byte form (a=extmap-allow-mixed); 4096-4351 may appear in offers (RFC 8285 §7).
/// </summary>
public sealed record ExtmapAttribute(int Id, MediaDirection? Direction, string Uri, string? ExtensionAttributes) : SdpAttribute
{
    public const string AttributeName = "extmap";

    public const string SdesMid = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public const string SdesRtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public const string SdesRepairedRtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public const string AbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public const string TransportWideCc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public const string AudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var f = SdpText.SplitFields(value);
        if (f.Length < 2)
        {
            return Fail(AttributeName, "expected '<id>[/<direction>] <uri> [<attributes>]'", out attribute, out error);
        }
        var idText = f[0];
        MediaDirection? direction = null;
        var slash = idText.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!DirectionAttribute.TryGetDirection(idText[(slash + 1)..], out var d))
            {
                return Fail(AttributeName, $"direction {SdpText.Quote(idText.AsSpan(slash + 1))} is not sendrecv, sendonly, recvonly or inactive", out attribute, out error);
            }
            direction = d;
            idText = idText[..slash];
        }
        if (!SdpText.TryParseInt(idText, 1, 4351, out var id) || (id > 255 && id < 4096))
        {
            return Fail(AttributeName, $"id {SdpText.Quote(idText)} is not 1-255 or 4096-4351", out attribute, out error);
        }
        if (!SdpText.IsNonWsString(f[1]))
        {
            return Fail(AttributeName, "extension URI is empty", out attribute, out error);
        }
        var attributes = f.Length > 2 ? string.Join(' ', f[2..]) : null;
        return Success(new ExtmapAttribute(id, direction, f[1], attributes), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder)
    {
        builder.Append(SdpText.Format(Id));
        if (Direction is { } d)
        {
            builder.Append('/').Append(DirectionAttribute.ToName(d));
        }
        builder.Append(' ').Append(Uri);
        if (ExtensionAttributes is not null)
        {
            builder.Append(' ').Append(ExtensionAttributes);
        }
    }
}
