using Sotto.Rtc.Sdp;

namespace Sotto.Rtc.Tests.Sdp;

/// <summary>One row per attribute form: the text after "a=" parses to the typed record and writes back unchanged.</summary>
public sealed class SdpAttributeTests
{
    private static readonly byte[] ChromiumFingerprint = Convert.FromHexString("99A3AEC70B8AEA65E322099EF31AB341656E12F225BD6D98AC5CBF85109AF3DA");

    public static TheoryData<string, SdpAttribute> Canonical => new()
    {
        // Property attributes and directions (RFC 8866 §5.13, §6.7).
        { "rtcp-mux", new PropertyAttribute(PropertyAttribute.RtcpMux) },
        { "rtcp-rsize", new PropertyAttribute(PropertyAttribute.RtcpReducedSize) },
        { "rtcp-mux-only", new PropertyAttribute(PropertyAttribute.RtcpMuxOnly) },
        { "ice-lite", new PropertyAttribute(PropertyAttribute.IceLite) },
        { "extmap-allow-mixed", new PropertyAttribute(PropertyAttribute.ExtmapAllowMixed) },
        { "end-of-candidates", new PropertyAttribute(PropertyAttribute.EndOfCandidates) },
        { "bundle-only", new PropertyAttribute(PropertyAttribute.BundleOnly) },
        { "x-unknown-flag", new PropertyAttribute("x-unknown-flag") },
        { "sendrecv", new DirectionAttribute(MediaDirection.SendRecv) },
        { "sendonly", new DirectionAttribute(MediaDirection.SendOnly) },
        { "recvonly", new DirectionAttribute(MediaDirection.RecvOnly) },
        { "inactive", new DirectionAttribute(MediaDirection.Inactive) },
        // Unknown value attributes are kept verbatim, including odd spacing and an empty value.
        { "rtcp-xr:rcvr-rtt=all", new UnknownAttribute("rtcp-xr", "rcvr-rtt=all") },
        { "sctpmap:5000 webrtc-datachannel 1024", new UnknownAttribute("sctpmap", "5000 webrtc-datachannel 1024") },
        { "x-odd: two  spaces :colon ", new UnknownAttribute("x-odd", " two  spaces :colon ") },
        { "x-empty:", new UnknownAttribute("x-empty", "") },
        // Grouping and streams (RFC 5888, RFC 8843, RFC 8830).
        { "group:BUNDLE 0 1", new GroupAttribute("BUNDLE", ["0", "1"]) },
        { "group:BUNDLE", new GroupAttribute("BUNDLE", []) },
        { "group:LS audio video", new GroupAttribute("LS", ["audio", "video"]) },
        { "msid-semantic: WMS d27b022e-11f0-47ba-b598-c94b42c69f60", new MsidSemanticAttribute("WMS", ["d27b022e-11f0-47ba-b598-c94b42c69f60"]) },
        { "msid-semantic: WMS", new MsidSemanticAttribute("WMS", []) },
        { "msid-semantic: WMS *", new MsidSemanticAttribute("WMS", ["*"]) },
        { "mid:0", new MidAttribute("0") },
        { "mid:audio-main", new MidAttribute("audio-main") },
        { "msid:stream track", new MsidAttribute("stream", "track") },
        { "msid:- 4ff4bf1f-e797-4a33-a1ea-d952f65b3d85", new MsidAttribute("-", "4ff4bf1f-e797-4a33-a1ea-d952f65b3d85") },
        { "msid:stream-only", new MsidAttribute("stream-only", null) },
        // ICE (RFC 8839) and DTLS (RFC 8122, RFC 4145).
        { "ice-ufrag:Ktd1", new IceUfragAttribute("Ktd1") },
        { "ice-pwd:g3ehIOH7DrJEstbnlomh+1V2", new IcePwdAttribute("g3ehIOH7DrJEstbnlomh+1V2") },
        { "ice-options:trickle", new IceOptionsAttribute([IceOptionsAttribute.Trickle]) },
        { "ice-options:trickle ice2", new IceOptionsAttribute([IceOptionsAttribute.Trickle, IceOptionsAttribute.Ice2]) },
        {
            "fingerprint:sha-256 99:A3:AE:C7:0B:8A:EA:65:E3:22:09:9E:F3:1A:B3:41:65:6E:12:F2:25:BD:6D:98:AC:5C:BF:85:10:9A:F3:DA",
            new FingerprintAttribute("sha-256", [.. ChromiumFingerprint])
        },
        { "fingerprint:sha-1 00:FF", new FingerprintAttribute("sha-1", [0x00, 0xFF]) },
        { "setup:actpass", new SetupAttribute(SetupRole.ActPass) },
        { "setup:active", new SetupAttribute(SetupRole.Active) },
        { "setup:passive", new SetupAttribute(SetupRole.Passive) },
        { "setup:holdconn", new SetupAttribute(SetupRole.HoldConn) },
        // RTP (RFC 8866 §6.6, §6.15, RFC 4585, RFC 3605).
        { "rtcp:9 IN IP4 0.0.0.0", new RtcpAttribute(9, new SdpConnection("IN", "IP4", "0.0.0.0")) },
        { "rtcp:53020", new RtcpAttribute(53020, null) },
        { "rtpmap:111 opus/48000/2", new RtpMapAttribute(111, "opus", 48000, 2) },
        { "rtpmap:96 VP8/90000", new RtpMapAttribute(96, "VP8", 90000, null) },
        { "rtpmap:0 PCMU/8000", new RtpMapAttribute(0, "PCMU", 8000, null) },
        { "fmtp:111 minptime=10;useinbandfec=1", new FmtpAttribute(111, [new("minptime", "10"), new("useinbandfec", "1")]) },
        { "fmtp:63 111/111", new FmtpAttribute(63, [new("111/111", null)]) },
        { "fmtp:97 apt=96", new FmtpAttribute(97, [new("apt", "96")]) },
        { "fmtp:96 sprop-parameter-sets=Z0IAH+kAoAtyA==,aM4xsg==", new FmtpAttribute(96, [new("sprop-parameter-sets", "Z0IAH+kAoAtyA==,aM4xsg==")]) },
        { "fmtp:45 level-idx=5;profile=0;tier=0", new FmtpAttribute(45, [new("level-idx", "5"), new("profile", "0"), new("tier", "0")]) },
        { "rtcp-fb:96 nack pli", new RtcpFeedbackAttribute(96, "nack", "pli") },
        { "rtcp-fb:96 nack", new RtcpFeedbackAttribute(96, "nack", null) },
        { "rtcp-fb:96 ccm fir", new RtcpFeedbackAttribute(96, "ccm", "fir") },
        { "rtcp-fb:* trr-int 100", new RtcpFeedbackAttribute(null, "trr-int", "100") },
        { "rtcp-fb:111 transport-cc", new RtcpFeedbackAttribute(111, "transport-cc", null) },
        // Header extensions (RFC 8285 §7).
        { "extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", new ExtmapAttribute(1, null, ExtmapAttribute.AudioLevel, null) },
        { "extmap:14/sendonly urn:ietf:params:rtp-hdrext:toffset", new ExtmapAttribute(14, MediaDirection.SendOnly, "urn:ietf:params:rtp-hdrext:toffset", null) },
        { "extmap:255/inactive urn:x", new ExtmapAttribute(255, MediaDirection.Inactive, "urn:x", null) },
        { "extmap:4096 urn:x", new ExtmapAttribute(4096, null, "urn:x", null) },
        { "extmap:2 urn:x attr-one attr-two", new ExtmapAttribute(2, null, "urn:x", "attr-one attr-two") },
        // Simulcast (RFC 8851, RFC 8853).
        { "rid:q send", new RidAttribute("q", RidDirection.Send) },
        {
            "rid:1 recv pt=96,97;max-width=1280;max-height=720",
            new RidAttribute("1", RidDirection.Recv) { PayloadTypes = [96, 97], Restrictions = [new("max-width", "1280"), new("max-height", "720")] }
        },
        { "rid:hi_res-2 send max-fps=30", new RidAttribute("hi_res-2", RidDirection.Send) { Restrictions = [new("max-fps", "30")] } },
        { "rid:a send pt=96", new RidAttribute("a", RidDirection.Send) { PayloadTypes = [96] } },
        { "rid:a send depend", new RidAttribute("a", RidDirection.Send) { Restrictions = [new("depend", null)] } },
        {
            "simulcast:send q;h;f",
            new SimulcastAttribute([Stream("q"), Stream("h"), Stream("f")], [])
        },
        {
            "simulcast:send 1,~2;3 recv ~r0",
            new SimulcastAttribute(
                [new SimulcastStream([new("1", false), new("2", true)]), Stream("3")],
                [new SimulcastStream([new("r0", true)])])
        },
        { "simulcast:recv a;b", new SimulcastAttribute([], [Stream("a"), Stream("b")]) },
        // SSRCs (RFC 5576).
        { "ssrc:1454656429 cname:7phnJ/7bfQJrPYID", new SsrcAttribute(1454656429, "cname", "7phnJ/7bfQJrPYID") },
        { "ssrc:1 msid:stream track", new SsrcAttribute(1, "msid", "stream track") },
        { "ssrc:4294967295 x-flag", new SsrcAttribute(uint.MaxValue, "x-flag", null) },
        { "ssrc:0 cname:", new SsrcAttribute(0, "cname", "") },
        { "ssrc-group:FID 1869165724 2646831477", new SsrcGroupAttribute(SsrcGroupAttribute.Fid, [1869165724, 2646831477]) },
        { "ssrc-group:SIM 1 2 3", new SsrcGroupAttribute(SsrcGroupAttribute.Sim, [1, 2, 3]) },
        // Candidates (RFC 8839 §5.1): Chromium's forms, a reflexive one, a relay, an mDNS host name.
        {
            "candidate:2646519435 1 udp 2122194687 192.0.2.2 59020 typ host generation 0 network-id 1",
            new CandidateAttribute(new IceCandidate("2646519435", 1, "udp", 2122194687, "192.0.2.2", 59020, IceCandidate.Host) { Extensions = [new("generation", "0"), new("network-id", "1")] })
        },
        {
            "candidate:1662286367 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1",
            new CandidateAttribute(new IceCandidate("1662286367", 1, "tcp", 1518214911, "192.0.2.2", 9, IceCandidate.Host) { TcpType = "active", Extensions = [new("generation", "0"), new("network-id", "1")] })
        },
        {
            "candidate:842163049 1 udp 1677729535 198.51.100.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw network-cost 999",
            new CandidateAttribute(new IceCandidate("842163049", 1, "udp", 1677729535, "198.51.100.7", 46154, IceCandidate.ServerReflexive)
            {
                RelatedAddress = "0.0.0.0",
                RelatedPort = 0,
                Extensions = [new("generation", "0"), new("ufrag", "EsAw"), new("network-cost", "999")],
            })
        },
        {
            "candidate:3 2 UDP 16777215 203.0.113.9 3478 typ relay raddr 198.51.100.7 rport 46154",
            new CandidateAttribute(new IceCandidate("3", 2, "UDP", 16777215, "203.0.113.9", 3478, IceCandidate.Relay) { RelatedAddress = "198.51.100.7", RelatedPort = 46154 })
        },
        {
            "candidate:1 1 udp 2113937151 4b2ad9a5-1d3c-4a8e-9f51-0c9a7a1e2f3b.local 51234 typ host",
            new CandidateAttribute(new IceCandidate("1", 1, "udp", 2113937151, "4b2ad9a5-1d3c-4a8e-9f51-0c9a7a1e2f3b.local", 51234, IceCandidate.Host))
        },
        // Data channel (RFC 8841).
        { "sctp-port:5000", new SctpPortAttribute(5000) },
        { "max-message-size:262144", new MaxMessageSizeAttribute(262144) },
        { "max-message-size:0", new MaxMessageSizeAttribute(0) },
    };

    private static SimulcastStream Stream(string rid) => new([new SimulcastRid(rid, false)]);

    [Theory]
    [MemberData(nameof(Canonical))]
    public void Parses_to_the_typed_record_and_writes_back_unchanged(string text, SdpAttribute expected)
    {
        Assert.True(SdpAttribute.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(expected, parsed);
        Assert.Equal(expected.GetType(), parsed.GetType());
        Assert.Equal(text, parsed.ToString());
        Assert.Equal(text, expected.ToString());
    }

    [Theory]
    [MemberData(nameof(Canonical))]
    public void Round_trips_inside_a_description(string text, SdpAttribute expected)
    {
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=" + text + "\r\n";
        Assert.True(SessionDescription.TryParse(sdp, out var sd, out var error), error);
        Assert.Equal(expected, Assert.Single(sd.Media[0].Attributes));
        Assert.Equal(sdp, sd.Write());
    }

    /// <summary>Accepted spellings that are not canonical: same model, written the canonical way.</summary>
    public static TheoryData<string, string> Lenient => new()
    {
        { "msid-semantic:WMS *", "msid-semantic: WMS *" },
        { "msid-semantic:  WMS  a  b", "msid-semantic: WMS a b" },
        { "fmtp:111 minptime=10; useinbandfec=1", "fmtp:111 minptime=10;useinbandfec=1" },
        { "fmtp:111 minptime=10;useinbandfec=1;", "fmtp:111 minptime=10;useinbandfec=1" },
        { "fmtp:111  minptime=10", "fmtp:111 minptime=10" },
        { "fingerprint:sha-256 ab:cd:ef", "fingerprint:sha-256 AB:CD:EF" },
        { "simulcast:recv a send b", "simulcast:send b recv a" },
        { "rid:q send max-width=1280;pt=96", "rid:q send pt=96;max-width=1280" },
        { "rtpmap:96  VP8/90000", "rtpmap:96 VP8/90000" },
        { "group:BUNDLE  0   1", "group:BUNDLE 0 1" },
        { "rtcp-fb:096 nack  pli", "rtcp-fb:96 nack pli" },
        {
            "candidate:1 1 udp 1 192.0.2.1 5 typ srflx generation 0 raddr 0.0.0.0 rport 0",
            "candidate:1 1 udp 1 192.0.2.1 5 typ srflx raddr 0.0.0.0 rport 0 generation 0"
        },
    };

    [Theory]
    [MemberData(nameof(Lenient))]
    public void Lenient_spellings_parse_and_write_canonically(string text, string canonical)
    {
        Assert.NotEqual(text, canonical); // positive control: the row does exercise a normalization
        Assert.True(SdpAttribute.TryParse(text, out var lenient, out var error), error);
        Assert.True(SdpAttribute.TryParse(canonical, out var expected, out error), error);
        Assert.Equal(expected, lenient);
        Assert.Equal(canonical, lenient.ToString());
    }

    [Fact]
    public void Attribute_names_are_case_sensitive_so_odd_case_is_preserved_not_interpreted()
    {
        Assert.True(SdpAttribute.TryParse("MID:0", out var attribute, out var error), error);
        Assert.Equal(new UnknownAttribute("MID", "0"), attribute);
        Assert.True(SdpAttribute.TryParse("mid:0", out attribute, out error), error);
        Assert.IsType<MidAttribute>(attribute);
    }

    [Fact]
    public void Fmtp_lookup_ignores_parameter_name_case_and_returns_null_when_absent()
    {
        var fmtp = new FmtpAttribute(102, [new("profile-level-id", "42e01f"), new("packetization-mode", "1")]);
        Assert.Equal("42e01f", fmtp.GetParameter("Profile-Level-Id"));
        Assert.Null(fmtp.GetParameter("level-asymmetry-allowed"));
    }

    [Fact]
    public void Candidate_exposes_chromium_extensions_as_typed_values()
    {
        Assert.True(IceCandidate.TryParse(
            "candidate:842163049 1 udp 1677729535 198.51.100.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 2 ufrag EsAw network-id 3 network-cost 10",
            out var c, out var error), error);
        Assert.Equal((2, "EsAw", 3, 10), (c.Generation, c.Ufrag, c.NetworkId, c.NetworkCost));
        Assert.True(c.IsUdp);
        Assert.Null(c.TcpType);
        Assert.Null(c.GetExtension("x-missing"));

        // The trickled form (RTCIceCandidate.candidate) has the prefix; the SDP attribute value does not.
        Assert.True(IceCandidate.TryParse("candidate:1 1 udp 1 192.0.2.1 5 typ host", out var trickled, out error), error);
        Assert.True(IceCandidate.TryParse("1 1 udp 1 192.0.2.1 5 typ host", out var bare, out error), error);
        Assert.Equal(bare, trickled);
        Assert.Equal("1 1 udp 1 192.0.2.1 5 typ host", trickled.ToString());
    }

    [Fact]
    public void Direction_reverses_for_an_answer()
    {
        Assert.Equal(MediaDirection.RecvOnly, DirectionAttribute.Reverse(MediaDirection.SendOnly));
        Assert.Equal(MediaDirection.SendOnly, DirectionAttribute.Reverse(MediaDirection.RecvOnly));
        Assert.Equal(MediaDirection.SendRecv, DirectionAttribute.Reverse(MediaDirection.SendRecv));
        Assert.Equal(MediaDirection.Inactive, DirectionAttribute.Reverse(MediaDirection.Inactive));
    }
}
