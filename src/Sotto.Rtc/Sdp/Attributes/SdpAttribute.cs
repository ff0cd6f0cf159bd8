using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// One a= line (RFC 8866 §5.13): a property attribute "a=&lt;name&gt;" or a value attribute
/// "a=&lt;name&gt;:&lt;value&gt;". Attributes the SFU uses parse into typed records; any other attribute
/// is kept verbatim as an <see cref="UnknownAttribute"/> (or a valueless <see cref="PropertyAttribute"/>),
/// in its original position, so writing a parsed description back loses nothing.
/// </summary>
/// <remarks>
/// The hierarchy is closed (internal abstract members): the writer and the equality of the model rely
/// on every attribute being one of the records in this folder.
/// </remarks>
public abstract record SdpAttribute
{
    private protected SdpAttribute()
    {
    }

    /// <summary>The attribute name, the text between "a=" and the first ':'.</summary>
    public abstract string Name { get; }

    /// <summary>False for property attributes, written as "a=&lt;name&gt;" with no ':'.</summary>
    internal virtual bool HasValue => true;

    /// <summary>Appends the text after "a=&lt;name&gt;:".</summary>
    internal abstract void AppendValue(StringBuilder builder);

    /// <summary>The line without its "a=" prefix, e.g. "rtpmap:111 opus/48000/2".</summary>
    public sealed override string ToString()
    {
        var builder = new StringBuilder(Name);
        if (HasValue)
        {
            builder.Append(':');
            AppendValue(builder);
        }
        return builder.ToString();
    }

    /// <summary>
    /// Parses the text of one attribute line after "a=" (for example "mid:0" or "rtcp-mux").
    /// Returns false with a reason when a known attribute's value is malformed; never throws.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out SdpAttribute? attribute, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? text : text[..colon];
        var value = colon < 0 ? null : text[(colon + 1)..];
        attribute = null;
        if (!SdpText.IsToken(name))
        {
            error = $"attribute name {SdpText.Quote(name)} is not a token";
            return false;
        }
        if (DirectionAttribute.TryGetDirection(name, out var direction))
        {
            return NoValue(name, value, new DirectionAttribute(direction), out attribute, out error);
        }
        if (PropertyAttribute.IsKnown(name))
        {
            return NoValue(name, value, new PropertyAttribute(name), out attribute, out error);
        }
        if (value is null)
        {
            if (IsKnownValueAttribute(name))
            {
                error = $"a={name} needs a value";
                return false;
            }
            attribute = new PropertyAttribute(name);
            error = null;
            return true;
        }
        return name switch
        {
            GroupAttribute.AttributeName => GroupAttribute.TryParseValue(value, out attribute, out error),
            MsidSemanticAttribute.AttributeName => MsidSemanticAttribute.TryParseValue(value, out attribute, out error),
            IceUfragAttribute.AttributeName => IceUfragAttribute.TryParseValue(value, out attribute, out error),
            IcePwdAttribute.AttributeName => IcePwdAttribute.TryParseValue(value, out attribute, out error),
            IceOptionsAttribute.AttributeName => IceOptionsAttribute.TryParseValue(value, out attribute, out error),
            FingerprintAttribute.AttributeName => FingerprintAttribute.TryParseValue(value, out attribute, out error),
            SetupAttribute.AttributeName => SetupAttribute.TryParseValue(value, out attribute, out error),
            MidAttribute.AttributeName => MidAttribute.TryParseValue(value, out attribute, out error),
            MsidAttribute.AttributeName => MsidAttribute.TryParseValue(value, out attribute, out error),
            RtcpAttribute.AttributeName => RtcpAttribute.TryParseValue(value, out attribute, out error),
            RtpMapAttribute.AttributeName => RtpMapAttribute.TryParseValue(value, out attribute, out error),
            FmtpAttribute.AttributeName => FmtpAttribute.TryParseValue(value, out attribute, out error),
            RtcpFeedbackAttribute.AttributeName => RtcpFeedbackAttribute.TryParseValue(value, out attribute, out error),
            ExtmapAttribute.AttributeName => ExtmapAttribute.TryParseValue(value, out attribute, out error),
            RidAttribute.AttributeName => RidAttribute.TryParseValue(value, out attribute, out error),
            SimulcastAttribute.AttributeName => SimulcastAttribute.TryParseValue(value, out attribute, out error),
            SsrcAttribute.AttributeName => SsrcAttribute.TryParseValue(value, out attribute, out error),
            SsrcGroupAttribute.AttributeName => SsrcGroupAttribute.TryParseValue(value, out attribute, out error),
            CandidateAttribute.AttributeName => CandidateAttribute.TryParseValue(value, out attribute, out error),
            SctpPortAttribute.AttributeName => SctpPortAttribute.TryParseValue(value, out attribute, out error),
            MaxMessageSizeAttribute.AttributeName => MaxMessageSizeAttribute.TryParseValue(value, out attribute, out error),
            _ => Unknown(name, value, out attribute, out error),
        };
    }

    private static bool IsKnownValueAttribute(string name) => name is
        GroupAttribute.AttributeName or MsidSemanticAttribute.AttributeName or IceUfragAttribute.AttributeName
        or IcePwdAttribute.AttributeName or IceOptionsAttribute.AttributeName or FingerprintAttribute.AttributeName
        or SetupAttribute.AttributeName or MidAttribute.AttributeName or MsidAttribute.AttributeName
        or RtcpAttribute.AttributeName or RtpMapAttribute.AttributeName or FmtpAttribute.AttributeName
        or RtcpFeedbackAttribute.AttributeName or ExtmapAttribute.AttributeName or RidAttribute.AttributeName
        or SimulcastAttribute.AttributeName or SsrcAttribute.AttributeName or SsrcGroupAttribute.AttributeName
        or CandidateAttribute.AttributeName or SctpPortAttribute.AttributeName or MaxMessageSizeAttribute.AttributeName;

    private static bool NoValue(string name, string? value, SdpAttribute parsed, out SdpAttribute? attribute, out string? error)
    {
        if (value is not null)
        {
            attribute = null;
            error = $"a={name} takes no value";
            return false;
        }
        attribute = parsed;
        error = null;
        return true;
    }

    private static bool Unknown(string name, string value, out SdpAttribute? attribute, out string? error)
    {
        attribute = new UnknownAttribute(name, value);
        error = null;
        return true;
    }

    /// <summary>Common failure exit for the typed parsers.</summary>
    private protected static bool Fail(string name, string reason, out SdpAttribute? attribute, out string? error)
    {
        attribute = null;
        error = $"a={name}: {reason}";
        return false;
    }

    private protected static bool Success(SdpAttribute parsed, out SdpAttribute? attribute, out string? error)
    {
        attribute = parsed;
        error = null;
        return true;
    }
}
