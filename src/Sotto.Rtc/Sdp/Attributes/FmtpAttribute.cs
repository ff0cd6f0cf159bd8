using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// One format parameter: "name=value", or a bare value with no '=' (Opus RED writes "111/111",
/// RFC 2198 §5). A value may itself contain '=' (base64 in H.264 sprop-parameter-sets): only the first
/// '=' separates.
/// </summary>
public sealed record FmtpParameter(string Name, string? Value)
{
    public override string ToString() => Value is null ? Name : Name + "=" + Value;
}

/// <summary>
/// a=fmtp:&lt;payload type&gt; &lt;format specific parameters&gt; (RFC 8866 §6.15). The parameters are
/// the ';'-separated list used by every WebRTC codec (e.g. "minptime=10;useinbandfec=1",
/// "apt=96"), kept in order.
/// </summary>
public sealed record FmtpAttribute(int PayloadType, EquatableArray<FmtpParameter> Parameters) : SdpAttribute
{
    public const string AttributeName = "fmtp";

    public override string Name => AttributeName;

    /// <summary>The value of parameter <paramref name="name"/> (names compare ASCII case-insensitively, RFC 8866 §6.15 leaves case to the format; all WebRTC ones are lowercase).</summary>
    public string? GetParameter(string name)
    {
        foreach (var p in Parameters)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value;
            }
        }
        return null;
    }

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        var format = space < 0 ? value : value[..space];
        if (!SdpText.TryParseInt(format, 0, RtpMapAttribute.MaxPayloadType, out var pt))
        {
            return Fail(AttributeName, $"payload type {SdpText.Quote(format)} is not a number 0-{RtpMapAttribute.MaxPayloadType}", out attribute, out error);
        }
        var parameters = new List<FmtpParameter>();
        if (space >= 0)
        {
            foreach (var raw in value[(space + 1)..].Split(';'))
            {
                // Some stacks write "a=1; b=2": the spaces are not part of the names.
                var item = raw.Trim(' ');
                if (item.Length == 0)
                {
                    continue;
                }
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? item : item[..eq];
                if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal))
                {
                    return Fail(AttributeName, $"parameter {SdpText.Quote(item)} has no name", out attribute, out error);
                }
                parameters.Add(new FmtpParameter(name, eq < 0 ? null : item[(eq + 1)..]));
            }
        }
        return Success(new FmtpAttribute(pt, EquatableArray.From(parameters)), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder)
    {
        builder.Append(SdpText.Format(PayloadType));
        for (var i = 0; i < Parameters.Count; i++)
        {
            builder.Append(i == 0 ? ' ' : ';').Append(Parameters[i].ToString());
        }
    }
}
