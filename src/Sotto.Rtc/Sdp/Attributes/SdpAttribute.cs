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
        if (!ValueParsers.TryGetValue(name, out var parse))
        {
            // Unknown: kept verbatim, a flag if it has no value.
            return Success(value is null ? new PropertyAttribute(name) : new UnknownAttribute(name, value), out attribute, out error);
        }
        if (value is null)
        {
            error = $"a={name} needs a value";
            return false;
        }
        return parse(value, out attribute, out error);
    }

    private delegate bool ValueParser(string value, out SdpAttribute? attribute, out string? error);

    /// <summary>The typed value attributes, by name: one table for dispatch and for "is this name known".</summary>
    private static readonly Dictionary<string, ValueParser> ValueParsers = new(StringComparer.Ordinal)
    {
        [GroupAttribute.AttributeName] = GroupAttribute.TryParseValue,
        [MsidSemanticAttribute.AttributeName] = MsidSemanticAttribute.TryParseValue,
        [IceUfragAttribute.AttributeName] = IceUfragAttribute.TryParseValue,
        [IcePwdAttribute.AttributeName] = IcePwdAttribute.TryParseValue,
        [IceOptionsAttribute.AttributeName] = IceOptionsAttribute.TryParseValue,
        [FingerprintAttribute.AttributeName] = FingerprintAttribute.TryParseValue,
        [SetupAttribute.AttributeName] = SetupAttribute.TryParseValue,
        [MidAttribute.AttributeName] = MidAttribute.TryParseValue,
        [MsidAttribute.AttributeName] = MsidAttribute.TryParseValue,
        [RtcpAttribute.AttributeName] = RtcpAttribute.TryParseValue,
        [RtpMapAttribute.AttributeName] = RtpMapAttribute.TryParseValue,
        [FmtpAttribute.AttributeName] = FmtpAttribute.TryParseValue,
        [RtcpFeedbackAttribute.AttributeName] = RtcpFeedbackAttribute.TryParseValue,
        [ExtmapAttribute.AttributeName] = ExtmapAttribute.TryParseValue,
        [RidAttribute.AttributeName] = RidAttribute.TryParseValue,
        [SimulcastAttribute.AttributeName] = SimulcastAttribute.TryParseValue,
        [SsrcAttribute.AttributeName] = SsrcAttribute.TryParseValue,
        [SsrcGroupAttribute.AttributeName] = SsrcGroupAttribute.TryParseValue,
        [CandidateAttribute.AttributeName] = CandidateAttribute.TryParseValue,
        [SctpPortAttribute.AttributeName] = SctpPortAttribute.TryParseValue,
        [MaxMessageSizeAttribute.AttributeName] = MaxMessageSizeAttribute.TryParseValue,
    };

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
