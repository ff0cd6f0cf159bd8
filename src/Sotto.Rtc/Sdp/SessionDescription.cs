using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// A session description (RFC 8866 §5) as exchanged by JSEP (RFC 8829): session-level lines in the
/// RFC's order, then the media sections.
/// <code>
/// v=0
/// o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; IN IP4 &lt;address&gt;
/// s=-
/// [i= u= e=* p=* c= b=*]
/// t=0 0        (r=*)   [z= k=]
/// a=*          session attributes (group:BUNDLE, ice-lite, fingerprint, ...)
/// m=...        media sections
/// </code>
/// Immutable with value equality: <c>Parse(Write(x)) == x</c>. Build answers with <c>with</c> and
/// collection expressions. Parsing is for the signaling path (it allocates); it never throws on bad
/// input — <see cref="TryParse(string, out SessionDescription?, out string?)"/> says what was wrong and on which line.
/// </summary>
public sealed record SessionDescription
{
    /// <summary>v= protocol version; always 0 (RFC 8866 §5.1).</summary>
    public int Version { get; init; }

    public required SdpOrigin Origin { get; init; }

    /// <summary>s= session name; JSEP writes "-" (RFC 8829 §5.2.1).</summary>
    public string SessionName { get; init; } = "-";

    /// <summary>i= session information.</summary>
    public string? Information { get; init; }

    /// <summary>u= URI.</summary>
    public string? Uri { get; init; }

    /// <summary>e= lines.</summary>
    public EquatableArray<string> Emails { get; init; }

    /// <summary>p= lines.</summary>
    public EquatableArray<string> Phones { get; init; }

    /// <summary>Session-level c=, the default for media sections without their own.</summary>
    public SdpConnection? Connection { get; init; }

    public EquatableArray<SdpBandwidth> Bandwidths { get; init; }

    /// <summary>t= lines (each with its r= lines); at least one is required.</summary>
    public EquatableArray<SdpTiming> Timings { get; init; } = [SdpTiming.Unbounded];

    /// <summary>z= time zone adjustments, verbatim.</summary>
    public string? TimeZones { get; init; }

    /// <summary>k= (obsolete, RFC 8866 §5.12), verbatim.</summary>
    public string? EncryptionKey { get; init; }

    /// <summary>Session-level a= lines in their original order.</summary>
    public EquatableArray<SdpAttribute> Attributes { get; init; }

    /// <summary>The m= sections in order; JSEP matches offer and answer sections by index (RFC 8829 §5.3.1).</summary>
    public EquatableArray<MediaDescription> Media { get; init; }

    // ---- Parse ----

    public static bool TryParse(string text, [NotNullWhen(true)] out SessionDescription? description, out string? error) =>
        SdpParser.TryParse(text, SdpLimits.Default, out description, out error);

    public static bool TryParse(string text, SdpLimits limits, [NotNullWhen(true)] out SessionDescription? description, out string? error) =>
        SdpParser.TryParse(text, limits, out description, out error);

    /// <summary>Parses UTF-8 bytes (the WebSocket payload); the size cap applies to the bytes, before decoding.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out SessionDescription? description, out string? error) =>
        SdpParser.TryParse(utf8, SdpLimits.Default, out description, out error);

    public static bool TryParse(ReadOnlySpan<byte> utf8, SdpLimits limits, [NotNullWhen(true)] out SessionDescription? description, out string? error) =>
        SdpParser.TryParse(utf8, limits, out description, out error);

    /// <summary>For trusted input (tests, our own text): throws <see cref="FormatException"/> with the parse error.</summary>
    public static SessionDescription Parse(string text) =>
        SdpParser.TryParse(text, SdpLimits.Default, out var description, out var error)
            ? description
            : throw new FormatException("invalid SDP: " + error);

    // ---- Write ----

    /// <summary>
    /// The description as SDP text: CRLF line endings, session lines in RFC 8866 order, attributes in
    /// model order. Throws <see cref="InvalidOperationException"/> if a field holds CR, LF or NUL,
    /// which would otherwise inject lines.
    /// </summary>
    public string Write() => SdpWriter.Write(this);

    /// <summary>The SDP text (same as <see cref="Write"/>).</summary>
    public override string ToString() => Write();

    /// <summary>The size of <see cref="Write"/>'s text in UTF-8 bytes.</summary>
    public int GetSerializedLength() => Encoding.UTF8.GetByteCount(Write());

    /// <summary>Writes the SDP text as UTF-8; false (nothing written) when <paramref name="destination"/> is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int written) =>
        Encoding.UTF8.TryGetBytes(Write(), destination, out written);

    // ---- Helpers the SFU uses ----

    public bool HasProperty(string name) => AttributeList.HasProperty(Attributes, name);

    public T? GetAttribute<T>()
        where T : SdpAttribute => AttributeList.First<T>(Attributes);

    public IReadOnlyList<T> GetAttributes<T>()
        where T : SdpAttribute => AttributeList.All<T>(Attributes);

    /// <summary>a=ice-lite at session level (RFC 8839 §5.3).</summary>
    public bool IsIceLite => HasProperty(PropertyAttribute.IceLite);

    /// <summary>The first a=group:BUNDLE, or null.</summary>
    public GroupAttribute? BundleGroup
    {
        get
        {
            foreach (var a in Attributes)
            {
                if (a is GroupAttribute g && g.Semantics == GroupAttribute.Bundle)
                {
                    return g;
                }
            }
            return null;
        }
    }

    /// <summary>The a=mid of every media section in order (null where a section has none).</summary>
    public IReadOnlyList<string?> Mids
    {
        get
        {
            var list = new List<string?>(Media.Count);
            foreach (var m in Media)
            {
                list.Add(m.Mid);
            }
            return list;
        }
    }

    public MediaDescription? FindMedia(string mid)
    {
        foreach (var m in Media)
        {
            if (m.Mid == mid)
            {
                return m;
            }
        }
        return null;
    }

    /// <summary>ICE credentials in force for <paramref name="media"/>: media level overrides session level (RFC 8839 §5.4).</summary>
    public IceCredentials? GetIceCredentials(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        var ufrag = media.GetAttribute<IceUfragAttribute>() ?? GetAttribute<IceUfragAttribute>();
        var pwd = media.GetAttribute<IcePwdAttribute>() ?? GetAttribute<IcePwdAttribute>();
        return ufrag is not null && pwd is not null ? new IceCredentials(ufrag.Ufrag, pwd.Password) : null;
    }

    /// <summary>ICE options in force for <paramref name="media"/> (media level overrides session level).</summary>
    public IReadOnlyList<string> GetIceOptions(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        var options = media.GetAttribute<IceOptionsAttribute>() ?? GetAttribute<IceOptionsAttribute>();
        return options is null ? [] : [.. options.Options];
    }

    /// <summary>
    /// DTLS fingerprints in force for <paramref name="media"/>: the media-level ones if it has any,
    /// else the session-level ones (RFC 8122 §5). Several may be present (different hashes).
    /// </summary>
    public IReadOnlyList<FingerprintAttribute> GetFingerprints(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        var own = media.GetAttributes<FingerprintAttribute>();
        return own.Count > 0 ? own : GetAttributes<FingerprintAttribute>();
    }

    /// <summary>The first fingerprint in force for <paramref name="media"/>, or null.</summary>
    public FingerprintAttribute? GetFingerprint(MediaDescription media)
    {
        var all = GetFingerprints(media);
        return all.Count > 0 ? all[0] : null;
    }

    /// <summary>a=setup in force for <paramref name="media"/> (media level overrides session level).</summary>
    public SetupRole? GetSetup(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return (media.GetAttribute<SetupAttribute>() ?? GetAttribute<SetupAttribute>())?.Role;
    }

    /// <summary>c= in force for <paramref name="media"/>: its own first c=, else the session's.</summary>
    public SdpConnection? GetConnection(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Connections.Count > 0 ? media.Connections[0] : Connection;
    }
}
