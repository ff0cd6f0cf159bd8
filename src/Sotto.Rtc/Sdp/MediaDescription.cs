using System.Diagnostics.CodeAnalysis;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// One media section (RFC 8866 §5.14): the m= line, then i=, c=, b=, k= and its a= lines in order.
/// <code>
/// m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ...
/// </code>
/// In JSEP each m-line is one RTP transceiver or the data channel (RFC 8829 §5.2.1); a port of 0
/// without a=bundle-only marks a rejected or stopped m-line (RFC 8829 §5.2.2).
/// </summary>
public sealed record MediaDescription
{
    public const string Audio = "audio";
    public const string Video = "video";
    public const string Application = "application";

    /// <summary>The JSEP RTP profile (RFC 8829 §5.1.2).</summary>
    public const string UdpTlsRtpSavpf = "UDP/TLS/RTP/SAVPF";

    /// <summary>The data channel profile (RFC 8841 §4.1).</summary>
    public const string UdpDtlsSctp = "UDP/DTLS/SCTP";

    /// <summary>audio, video, application, ...</summary>
    public required string MediaType { get; init; }

    public required int Port { get; init; }

    /// <summary>The "/&lt;number of ports&gt;" suffix of the port, if present.</summary>
    public int? PortCount { get; init; }

    /// <summary>The transport protocol, e.g. "UDP/TLS/RTP/SAVPF".</summary>
    public required string Protocol { get; init; }

    /// <summary>The media formats: RTP payload type numbers as text, or "webrtc-datachannel".</summary>
    public EquatableArray<string> Formats { get; init; }

    /// <summary>i= media title.</summary>
    public string? Title { get; init; }

    /// <summary>c= lines of this section (more than one only for multicast layers).</summary>
    public EquatableArray<SdpConnection> Connections { get; init; }

    public EquatableArray<SdpBandwidth> Bandwidths { get; init; }

    /// <summary>k= (obsolete, RFC 8866 §5.12), kept verbatim if present.</summary>
    public string? EncryptionKey { get; init; }

    /// <summary>The a= lines in their original order.</summary>
    public EquatableArray<SdpAttribute> Attributes { get; init; }

    // ---- Helpers the SFU uses (all read-only views over Attributes). ----

    /// <summary>a=mid, or null if absent.</summary>
    public string? Mid => AttributeList.First<MidAttribute>(Attributes)?.Mid;

    /// <summary>The direction attribute, sendrecv when there is none (RFC 8866 §6.7).</summary>
    public MediaDirection Direction => AttributeList.First<DirectionAttribute>(Attributes)?.Direction ?? MediaDirection.SendRecv;

    /// <summary>Port 0 without a=bundle-only: rejected in an answer, stopped in an offer (RFC 8843 §7.3.3, RFC 8829 §5.2.2).</summary>
    public bool IsRejected => Port == 0 && !HasProperty(PropertyAttribute.BundleOnly);

    public bool HasProperty(string name) => AttributeList.HasProperty(Attributes, name);

    /// <summary>The first attribute of type <typeparamref name="T"/>, or null.</summary>
    public T? GetAttribute<T>()
        where T : SdpAttribute => AttributeList.First<T>(Attributes);

    /// <summary>All attributes of type <typeparamref name="T"/>, in order.</summary>
    public IReadOnlyList<T> GetAttributes<T>()
        where T : SdpAttribute => AttributeList.All<T>(Attributes);

    /// <summary>The m= line formats as payload types; non-numeric formats (data channel) are skipped.</summary>
    public IReadOnlyList<int> PayloadTypes
    {
        get
        {
            var list = new List<int>(Formats.Count);
            foreach (var format in Formats)
            {
                if (SdpText.TryParseInt(format, 0, RtpMapAttribute.MaxPayloadType, out var pt))
                {
                    list.Add(pt);
                }
            }
            return list;
        }
    }

    public IReadOnlyList<RtpMapAttribute> RtpMaps => GetAttributes<RtpMapAttribute>();

    public RtpMapAttribute? GetRtpMap(int payloadType)
    {
        foreach (var a in Attributes)
        {
            if (a is RtpMapAttribute m && m.PayloadType == payloadType)
            {
                return m;
            }
        }
        return null;
    }

    /// <summary>
    /// Payload types whose rtpmap has this encoding name (case-insensitive, RFC 8866 §6.6) and, when
    /// given, clock rate and channel count; in m= line preference order.
    /// </summary>
    public IReadOnlyList<int> FindPayloadTypes(string encodingName, uint? clockRate = null, int? channels = null)
    {
        var result = new List<int>();
        foreach (var pt in PayloadTypes)
        {
            var map = GetRtpMap(pt);
            if (map is not null
                && string.Equals(map.EncodingName, encodingName, StringComparison.OrdinalIgnoreCase)
                && (clockRate is null || map.ClockRate == clockRate)
                && (channels is null || (map.Channels ?? 1) == channels))
            {
                result.Add(pt);
            }
        }
        return result;
    }

    public FmtpAttribute? GetFmtp(int payloadType)
    {
        foreach (var a in Attributes)
        {
            if (a is FmtpAttribute f && f.PayloadType == payloadType)
            {
                return f;
            }
        }
        return null;
    }

    /// <summary>One fmtp parameter of a payload type, e.g. <c>GetFmtpParameter(97, "apt")</c>.</summary>
    public string? GetFmtpParameter(int payloadType, string name) => GetFmtp(payloadType)?.GetParameter(name);

    /// <summary>The RTX payload type repairing <paramref name="payloadType"/> (rtx with apt=, RFC 4588 §8.1), or null.</summary>
    public int? FindRtxPayloadType(int payloadType)
    {
        foreach (var pt in FindPayloadTypes("rtx"))
        {
            if (GetFmtpParameter(pt, "apt") == SdpText.Format(payloadType))
            {
                return pt;
            }
        }
        return null;
    }

    /// <summary>rtcp-fb lines that apply to <paramref name="payloadType"/>, including "*" ones.</summary>
    public IReadOnlyList<RtcpFeedbackAttribute> GetRtcpFeedback(int payloadType)
    {
        var list = new List<RtcpFeedbackAttribute>();
        foreach (var a in Attributes)
        {
            if (a is RtcpFeedbackAttribute fb && fb.AppliesTo(payloadType))
            {
                list.Add(fb);
            }
        }
        return list;
    }

    public IReadOnlyList<ExtmapAttribute> Extmaps => GetAttributes<ExtmapAttribute>();

    /// <summary>The header extension id negotiated for <paramref name="uri"/>, or null.</summary>
    public int? FindExtmapId(string uri)
    {
        foreach (var a in Attributes)
        {
            if (a is ExtmapAttribute e && e.Uri == uri)
            {
                return e.Id;
            }
        }
        return null;
    }

    public IReadOnlyList<RidAttribute> Rids => GetAttributes<RidAttribute>();

    public SimulcastAttribute? Simulcast => GetAttribute<SimulcastAttribute>();

    /// <summary>
    /// The rids of the simulcast layers this side sends, in a=simulcast order (first alternative of each
    /// stream); empty without a=simulcast.
    /// </summary>
    public IReadOnlyList<SimulcastRid> SendLayers => Layers(Simulcast?.Send ?? default);

    /// <summary>The rids of the simulcast layers this side receives.</summary>
    public IReadOnlyList<SimulcastRid> ReceiveLayers => Layers(Simulcast?.Receive ?? default);

    private static List<SimulcastRid> Layers(EquatableArray<SimulcastStream> streams)
    {
        var list = new List<SimulcastRid>(streams.Count);
        foreach (var s in streams)
        {
            if (s.Alternatives.Count > 0)
            {
                list.Add(s.Alternatives[0]);
            }
        }
        return list;
    }

    public MsidAttribute? Msid => GetAttribute<MsidAttribute>();

    public IReadOnlyList<SsrcAttribute> SsrcAttributes => GetAttributes<SsrcAttribute>();

    public IReadOnlyList<SsrcGroupAttribute> SsrcGroups => GetAttributes<SsrcGroupAttribute>();

    /// <summary>The distinct SSRCs of a=ssrc lines, in first-seen order.</summary>
    public IReadOnlyList<uint> Ssrcs
    {
        get
        {
            var list = new List<uint>();
            foreach (var a in Attributes)
            {
                if (a is SsrcAttribute s && !list.Contains(s.Ssrc))
                {
                    list.Add(s.Ssrc);
                }
            }
            return list;
        }
    }

    public IReadOnlyList<IceCandidate> Candidates
    {
        get
        {
            var list = new List<IceCandidate>();
            foreach (var a in Attributes)
            {
                if (a is CandidateAttribute c)
                {
                    list.Add(c.Candidate);
                }
            }
            return list;
        }
    }

    /// <summary>a=ice-ufrag and a=ice-pwd of this section only; see <see cref="SessionDescription.GetIceCredentials"/> for the effective ones.</summary>
    public bool TryGetIceCredentials([NotNullWhen(true)] out IceCredentials? credentials)
    {
        var ufrag = GetAttribute<IceUfragAttribute>();
        var pwd = GetAttribute<IcePwdAttribute>();
        credentials = ufrag is not null && pwd is not null ? new IceCredentials(ufrag.Ufrag, pwd.Password) : null;
        return credentials is not null;
    }
}
