using Sotto.Rtc.Sdp;

namespace Sotto.Rtc.Tests.Sdp;

/// <summary>Building descriptions in code (as the SFU builds answers), the writer's guarantees, and the lookup helpers.</summary>
public sealed class SessionDescriptionTests
{
    private static readonly byte[] Fingerprint = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

    /// <summary>An ICE-lite, passive, BUNDLE answer like the one the SFU sends a publisher (DESIGN §3, §9).</summary>
    private static SessionDescription BuildAnswer() => new()
    {
        Origin = new SdpOrigin("-", 4611731400430051336, 2, "IN", "IP4", "127.0.0.1"),
        Attributes =
        [
            new GroupAttribute(GroupAttribute.Bundle, ["0", "1"]),
            new PropertyAttribute(PropertyAttribute.IceLite),
            new MsidSemanticAttribute("WMS", ["*"]),
        ],
        Media =
        [
            new MediaDescription
            {
                MediaType = MediaDescription.Audio,
                Port = 10000,
                Protocol = MediaDescription.UdpTlsRtpSavpf,
                Formats = ["111"],
                Connections = [new SdpConnection("IN", "IP4", "203.0.113.10")],
                Attributes =
                [
                    new RtcpAttribute(9, new SdpConnection("IN", "IP4", "0.0.0.0")),
                    new CandidateAttribute(new IceCandidate("1", 1, "udp", 2130706431, "203.0.113.10", 10000, IceCandidate.Host)),
                    new PropertyAttribute(PropertyAttribute.EndOfCandidates),
                    new IceUfragAttribute("sfu1"),
                    new IcePwdAttribute("0123456789abcdefghijklmn"),
                    new FingerprintAttribute(FingerprintAttribute.Sha256, [.. Fingerprint]),
                    new SetupAttribute(SetupRole.Passive),
                    new MidAttribute("0"),
                    new ExtmapAttribute(4, null, ExtmapAttribute.SdesMid, null),
                    new DirectionAttribute(MediaDirection.RecvOnly),
                    new PropertyAttribute(PropertyAttribute.RtcpMux),
                    new PropertyAttribute(PropertyAttribute.RtcpReducedSize),
                    new RtpMapAttribute(111, "opus", 48000, 2),
                    new RtcpFeedbackAttribute(111, RtcpFeedbackAttribute.TransportCc, null),
                    new FmtpAttribute(111, [new("minptime", "10"), new("useinbandfec", "1")]),
                ],
            },
            new MediaDescription
            {
                MediaType = MediaDescription.Video,
                Port = 10000,
                Protocol = MediaDescription.UdpTlsRtpSavpf,
                Formats = ["96", "97"],
                Connections = [new SdpConnection("IN", "IP4", "203.0.113.10")],
                Attributes =
                [
                    new MidAttribute("1"),
                    new DirectionAttribute(MediaDirection.RecvOnly),
                    new PropertyAttribute(PropertyAttribute.BundleOnly),
                    new RtpMapAttribute(96, "VP8", 90000, null),
                    new RtcpFeedbackAttribute(96, RtcpFeedbackAttribute.Nack, null),
                    new RtcpFeedbackAttribute(96, RtcpFeedbackAttribute.Nack, RtcpFeedbackAttribute.Pli),
                    new RtpMapAttribute(97, "rtx", 90000, null),
                    new FmtpAttribute(97, [new("apt", "96")]),
                    new RidAttribute("q", RidDirection.Recv),
                    new RidAttribute("h", RidDirection.Recv),
                    new RidAttribute("f", RidDirection.Recv),
                    new SimulcastAttribute([], [Layer("q"), Layer("h"), Layer("f")]),
                ],
            },
        ],
    };

    private static SimulcastStream Layer(string rid) => new([new SimulcastRid(rid, false)]);

    [Fact]
    public void A_built_answer_writes_the_expected_text_and_parses_back_equal()
    {
        var answer = BuildAnswer();
        var text = answer.Write();
        Assert.Equal(
            "v=0\r\n" +
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n" +
            "s=-\r\n" +
            "t=0 0\r\n" +
            "a=group:BUNDLE 0 1\r\n" +
            "a=ice-lite\r\n" +
            "a=msid-semantic: WMS *\r\n" +
            "m=audio 10000 UDP/TLS/RTP/SAVPF 111\r\n" +
            "c=IN IP4 203.0.113.10\r\n" +
            "a=rtcp:9 IN IP4 0.0.0.0\r\n" +
            "a=candidate:1 1 udp 2130706431 203.0.113.10 10000 typ host\r\n" +
            "a=end-of-candidates\r\n" +
            "a=ice-ufrag:sfu1\r\n" +
            "a=ice-pwd:0123456789abcdefghijklmn\r\n" +
            "a=fingerprint:sha-256 " + string.Join(':', Fingerprint.Select(b => b.ToString("X2"))) + "\r\n" +
            "a=setup:passive\r\n" +
            "a=mid:0\r\n" +
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" +
            "a=recvonly\r\n" +
            "a=rtcp-mux\r\n" +
            "a=rtcp-rsize\r\n" +
            "a=rtpmap:111 opus/48000/2\r\n" +
            "a=rtcp-fb:111 transport-cc\r\n" +
            "a=fmtp:111 minptime=10;useinbandfec=1\r\n" +
            "m=video 10000 UDP/TLS/RTP/SAVPF 96 97\r\n" +
            "c=IN IP4 203.0.113.10\r\n" +
            "a=mid:1\r\n" +
            "a=recvonly\r\n" +
            "a=bundle-only\r\n" +
            "a=rtpmap:96 VP8/90000\r\n" +
            "a=rtcp-fb:96 nack\r\n" +
            "a=rtcp-fb:96 nack pli\r\n" +
            "a=rtpmap:97 rtx/90000\r\n" +
            "a=fmtp:97 apt=96\r\n" +
            "a=rid:q recv\r\n" +
            "a=rid:h recv\r\n" +
            "a=rid:f recv\r\n" +
            "a=simulcast:recv q;h;f\r\n",
            text);
        Assert.Equal(answer, SessionDescription.Parse(text));
        Assert.Equal(text, answer.ToString());
    }

    [Fact]
    public void Equality_is_structural_and_notices_a_single_changed_value()
    {
        Assert.Equal(BuildAnswer(), BuildAnswer());
        var a = BuildAnswer();
        var changedMedia = a.Media[1] with { Attributes = [.. a.Media[1].Attributes.Take(11), new SimulcastAttribute([], [Layer("q"), Layer("h")])] };
        var b = a with { Media = [a.Media[0], changedMedia] };
        Assert.NotEqual(a, b);
        Assert.NotEqual(a.Write(), b.Write());
        var c = a with { Origin = a.Origin with { SessionVersion = 3 } };
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Helpers_prefer_media_level_values_over_session_level()
    {
        var session = BuildAnswer();
        var sessionLevel = session with
        {
            Attributes =
            [
                .. session.Attributes,
                new IceUfragAttribute("sess"),
                new IcePwdAttribute("sessionlevelpassword0000"),
                new FingerprintAttribute("sha-1", [1, 2, 3]),
                new SetupAttribute(SetupRole.Active),
                new IceOptionsAttribute(["trickle"]),
            ],
            Connection = new SdpConnection("IN", "IP4", "198.51.100.1"),
        };
        var audio = sessionLevel.Media[0];
        var video = sessionLevel.Media[1];

        Assert.Equal(new IceCredentials("sfu1", "0123456789abcdefghijklmn"), sessionLevel.GetIceCredentials(audio));
        Assert.Equal(new IceCredentials("sess", "sessionlevelpassword0000"), sessionLevel.GetIceCredentials(video));
        Assert.Equal(SetupRole.Passive, sessionLevel.GetSetup(audio));
        Assert.Equal(SetupRole.Active, sessionLevel.GetSetup(video));
        Assert.Equal(32, sessionLevel.GetFingerprint(audio)!.Value.Count);
        Assert.Equal("sha-1", sessionLevel.GetFingerprint(video)!.HashFunction);
        Assert.Equal(["trickle"], sessionLevel.GetIceOptions(video));
        Assert.Equal("203.0.113.10", sessionLevel.GetConnection(audio)!.Address);
        Assert.Equal("198.51.100.1", (sessionLevel with { Media = [video with { Connections = [] }] }).GetConnection(video with { Connections = [] })!.Address);

        Assert.True(audio.TryGetIceCredentials(out var own));
        Assert.Equal("sfu1", own.Value.Ufrag);
        Assert.False(video.TryGetIceCredentials(out _));
        Assert.Null(session.GetIceCredentials(video));
        Assert.Empty(session.GetIceOptions(video));
    }

    [Fact]
    public void Helpers_answer_the_questions_the_sfu_asks()
    {
        var sd = BuildAnswer();
        Assert.True(sd.IsIceLite);
        Assert.Equal(["0", "1"], sd.BundleGroup!.Mids);
        Assert.Equal(["0", "1"], sd.Mids);
        Assert.Same(sd.Media[1], sd.FindMedia("1"));
        Assert.Null(sd.FindMedia("9"));

        var video = sd.Media[1];
        Assert.Equal([96, 97], video.PayloadTypes);
        Assert.Equal([96], video.FindPayloadTypes("vp8"));
        Assert.Empty(video.FindPayloadTypes("VP8", 48000));
        Assert.Equal(97, video.FindRtxPayloadType(96));
        Assert.Null(video.FindRtxPayloadType(97));
        Assert.Equal("96", video.GetFmtpParameter(97, "apt"));
        Assert.Null(video.GetFmtp(96));
        Assert.Equal(2, video.GetRtcpFeedback(96).Count);
        Assert.Empty(video.GetRtcpFeedback(97));
        Assert.Equal(["q", "h", "f"], video.ReceiveLayers.Select(l => l.Rid));
        Assert.Empty(video.SendLayers);
        Assert.Equal(MediaDirection.RecvOnly, video.Direction);
        Assert.False(video.IsRejected);
        Assert.True((video with { Attributes = [] }).Direction == MediaDirection.SendRecv); // RFC 8866 §6.7 default
        Assert.True((video with { Port = 0, Attributes = [] }).IsRejected);
        Assert.False((video with { Port = 0 }).IsRejected); // bundle-only keeps port 0 alive

        var audio = sd.Media[0];
        Assert.Equal([111], audio.FindPayloadTypes("opus", 48000, 2));
        Assert.Empty(audio.FindPayloadTypes("opus", 48000, 1));
        Assert.Equal(4, audio.FindExtmapId(ExtmapAttribute.SdesMid));
        Assert.Single(audio.Candidates);
        Assert.True(audio.HasProperty(PropertyAttribute.EndOfCandidates));
    }

    [Fact]
    public void Rtcp_feedback_with_a_wildcard_applies_to_every_payload_type()
    {
        var media = new MediaDescription
        {
            MediaType = "video",
            Port = 9,
            Protocol = MediaDescription.UdpTlsRtpSavpf,
            Formats = ["96", "98"],
            Attributes = [new RtcpFeedbackAttribute(null, "nack", null), new RtcpFeedbackAttribute(96, "ccm", "fir")],
        };
        Assert.Equal(2, media.GetRtcpFeedback(96).Count);
        Assert.Single(media.GetRtcpFeedback(98));
    }

    [Theory]
    [InlineData("\r\na=injected")]
    [InlineData("\na=injected")]
    [InlineData("x\0y")]
    public void Writer_refuses_fields_that_would_inject_lines(string hostile)
    {
        var sd = BuildAnswer();
        Assert.NotNull(sd.Write()); // positive control: the untouched description writes

        var badName = sd with { SessionName = "Alice" + hostile };
        Assert.Throws<InvalidOperationException>(() => badName.Write());

        var badMid = sd with { Media = [sd.Media[0] with { Attributes = [new MidAttribute("0" + hostile)] }] };
        Assert.Throws<InvalidOperationException>(() => badMid.Write());

        var badCandidate = sd with
        {
            Media = [sd.Media[0] with { Attributes = [new CandidateAttribute(new IceCandidate("1", 1, "udp", 1, "host" + hostile, 9, "host"))] }],
        };
        Assert.Throws<InvalidOperationException>(() => badCandidate.Write());
        Assert.Throws<InvalidOperationException>(() => badCandidate.TryWrite(new byte[4096], out _));
    }

    [Fact]
    public void Session_level_lines_keep_their_rfc_order_and_round_trip()
    {
        // Every optional session line of RFC 8866 §5, in order, with two timings (the first with r= lines).
        const string text =
            "v=0\r\n" +
            "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r\n" +
            "s=Call to John Smith\r\n" +
            "i=SDP Offer #1\r\n" +
            "u=http://www.jdoe.example.com/home.html\r\n" +
            "e=Jane Doe <jane@jdoe.example.com>\r\n" +
            "p=+1 617 555-6011\r\n" +
            "c=IN IP4 198.51.100.1\r\n" +
            "b=AS:2000\r\n" +
            "t=3724394400 3724398000\r\n" +
            "r=604800 3600 0 90000\r\n" +
            "r=7d 1h 0 25h\r\n" +
            "t=0 0\r\n" +
            "z=2882844526 -1h 2898848070 0\r\n" +
            "k=prompt\r\n" +
            "a=recvonly\r\n" +
            "m=audio 49170 RTP/AVP 0\r\n" +
            "m=audio 49180/2 RTP/AVP 0\r\n" +
            "i=second audio\r\n" +
            "c=IN IP6 2001:db8::2\r\n" +
            "c=IN IP6 2001:db8::3\r\n" +
            "b=TIAS:64000\r\n" +
            "k=prompt\r\n" +
            "m=video 51372 RTP/AVP 99\r\n" +
            "a=rtpmap:99 h263-1998/90000\r\n";
        var sd = SessionDescription.Parse(text);
        Assert.Equal(text, sd.Write());
        Assert.Equal("jdoe", sd.Origin.Username);
        Assert.Equal(2, sd.Timings.Count);
        Assert.Equal(["604800 3600 0 90000", "7d 1h 0 25h"], sd.Timings[0].Repeats);
        Assert.Empty(sd.Timings[1].Repeats);
        Assert.Equal(new SdpBandwidth("AS", 2000), Assert.Single(sd.Bandwidths));
        Assert.Equal(2, sd.Media[1].PortCount);
        Assert.Equal(2, sd.Media[1].Connections.Count);
        Assert.Equal("second audio", sd.Media[1].Title);
        Assert.Equal(MediaDirection.RecvOnly, Assert.Single(sd.GetAttributes<DirectionAttribute>()).Direction);
        Assert.Equal(sd, SessionDescription.Parse(sd.Write()));
    }
}
