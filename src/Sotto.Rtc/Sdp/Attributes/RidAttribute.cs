using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>Whether a rid names a stream the offerer sends or receives (RFC 8851 §4).</summary>
public enum RidDirection
{
    Send,
    Recv,
}

/// <summary>A rid restriction such as "max-width=1280" or "max-fps=30" (RFC 8851 §5).</summary>
public sealed record RidRestriction(string Name, string? Value)
{
    public override string ToString() => Value is null ? Name : Name + "=" + Value;
}

/// <summary>
/// a=rid:&lt;rid-id&gt; &lt;send|recv&gt; [pt=&lt;fmt&gt;,...][;&lt;restriction&gt;...] (RFC 8851 §10), e.g.
/// "a=rid:q send". The SFU maps each simulcast layer's SSRC to its rid through the rtp-stream-id header
/// extension, since rid offers carry no a=ssrc (DESIGN §9).
/// </summary>
public sealed record RidAttribute(string Id, RidDirection Direction) : SdpAttribute
{
    public const string AttributeName = "rid";

    /// <summary>RFC 8852 §3.1 limits an RtpStreamId to what fits one header extension element.</summary>
    public const int MaxIdLength = 255;

    /// <summary>The pt= list: the formats this rid may use; empty means all of the m-line's.</summary>
    public EquatableArray<int> PayloadTypes { get; init; }

    /// <summary>The restrictions after the pt= list, in order.</summary>
    public EquatableArray<RidRestriction> Restrictions { get; init; }

    public override string Name => AttributeName;

    /// <summary>rid-id = 1*(alpha-numeric / "-" / "_") (RFC 8851 §10).</summary>
    internal static bool IsRidId(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || s.Length > MaxIdLength)
        {
            return false;
        }
        foreach (var c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }
        return true;
    }

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var f = SdpText.SplitFields(value);
        if (f.Length is < 2 or > 3)
        {
            return Fail(AttributeName, "expected '<rid-id> <send|recv> [<parameters>]'", out attribute, out error);
        }
        if (!IsRidId(f[0]))
        {
            return Fail(AttributeName, $"rid id {SdpText.Quote(f[0])} is not 1-{MaxIdLength} of [A-Za-z0-9_-]", out attribute, out error);
        }
        RidDirection direction;
        switch (f[1])
        {
            case "send": direction = RidDirection.Send; break;
            case "recv": direction = RidDirection.Recv; break;
            default: return Fail(AttributeName, $"direction {SdpText.Quote(f[1])} is not send or recv", out attribute, out error);
        }
        var payloadTypes = new List<int>();
        var restrictions = new List<RidRestriction>();
        if (f.Length == 3)
        {
            var seenPt = false;
            foreach (var item in f[2].Split(';'))
            {
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? item : item[..eq];
                if (!SdpText.IsToken(name))
                {
                    return Fail(AttributeName, $"parameter {SdpText.Quote(item)} has no name", out attribute, out error);
                }
                if (name == "pt")
                {
                    // RFC 8851 §10: at most one pt= list, of formats.
                    if (seenPt || eq < 0)
                    {
                        return Fail(AttributeName, "pt= must appear once with a list of payload types", out attribute, out error);
                    }
                    seenPt = true;
                    foreach (var ptText in item[(eq + 1)..].Split(','))
                    {
                        if (!SdpText.TryParseInt(ptText, 0, RtpMapAttribute.MaxPayloadType, out var pt))
                        {
                            return Fail(AttributeName, $"payload type {SdpText.Quote(ptText)} is not a number 0-{RtpMapAttribute.MaxPayloadType}", out attribute, out error);
                        }
                        payloadTypes.Add(pt);
                    }
                }
                else
                {
                    restrictions.Add(new RidRestriction(name, eq < 0 ? null : item[(eq + 1)..]));
                }
            }
        }
        var rid = new RidAttribute(f[0], direction)
        {
            PayloadTypes = EquatableArray.From(payloadTypes),
            Restrictions = EquatableArray.From(restrictions),
        };
        return Success(rid, out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder)
    {
        builder.Append(Id).Append(Direction == RidDirection.Send ? " send" : " recv");
        var separator = ' ';
        if (PayloadTypes.Count > 0)
        {
            builder.Append(separator).Append("pt=");
            for (var i = 0; i < PayloadTypes.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }
                builder.Append(SdpText.Format(PayloadTypes[i]));
            }
            separator = ';';
        }
        foreach (var restriction in Restrictions)
        {
            builder.Append(separator).Append(restriction.ToString());
            separator = ';';
        }
    }
}
