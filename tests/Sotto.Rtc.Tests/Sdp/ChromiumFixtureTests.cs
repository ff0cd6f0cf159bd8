using Sotto.Rtc.Sdp;

namespace Sotto.Rtc.Tests.Sdp;

/// <summary>Round trips and content checks on real Chromium 156 offers and answers.</summary>
public sealed class ChromiumFixtureTests
{
    public static TheoryData<string> Fixtures => SdpFixtures.All;

    [Fact]
    public void All_captured_scenarios_are_present()
    {
        // Guards against a fixture silently missing from the output folder: the theories would just run fewer cases.
        string[] expected =
        [
            "a-publish-audio-video-offer", "b-simulcast-vp8-offer", "c-recvonly-offer", "d-audio-video-screen-offer",
            "e-sendrecv-answer", "e-sendrecv-offer", "f-datachannel-offer", "g-renegotiate-reused-offer",
            "g-renegotiate-stopped-offer", "h-ice-restart-initial-offer", "h-ice-restart-offer",
        ];
        Assert.Equal(expected, SdpFixtures.Names);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Writes_back_byte_for_byte(string name)
    {
        var text = SdpFixtures.Text(name);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        var sd = SdpFixtures.Parse(name);
        Assert.Equal(text, sd.Write());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_of_write_equals_the_model(string name)
    {
        var sd = SdpFixtures.Parse(name);
        Assert.True(SessionDescription.TryParse(sd.Write(), out var again, out var error), error);
        Assert.Equal(sd, again);
        Assert.Equal(sd.GetHashCode(), again.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Utf8_write_matches_the_captured_bytes_and_nothing_aliases_the_input(string name)
    {
        var original = SdpFixtures.Bytes(name);
        var buffer = original.ToArray();
        Assert.True(SessionDescription.TryParse(buffer, out var sd, out var error), error);
        var expected = SdpFixtures.Parse(name);

        // Overwrite the source after parsing: a model that kept views into it would change.
        Array.Fill(buffer, (byte)'x');
        Assert.Equal(expected, sd);

        var length = sd.GetSerializedLength();
        Assert.Equal(original.Length, length);
        var output = new byte[length];
        Assert.True(sd.TryWrite(output, out var written));
        Assert.Equal(length, written);
        Assert.Equal(original, output);

        // And the written bytes are not shared with the model either: parse them, overwrite, compare.
        Assert.True(SessionDescription.TryParse(output, out var reparsed, out error), error);
        Array.Fill(output, (byte)'y');
        Assert.Equal(expected, reparsed);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void TryWrite_refuses_a_buffer_one_byte_short(string name)
    {
        var sd = SdpFixtures.Parse(name);
        var output = new byte[sd.GetSerializedLength() - 1];
        Assert.False(sd.TryWrite(output, out var written));
        Assert.Equal(0, written);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_chromium_line_is_typed_except_known_untyped_attributes(string name)
    {
        // Positive proof that the typed parsers are used: the only attributes left generic in Chromium's
        // output are those this model deliberately does not interpret.
        var sd = SdpFixtures.Parse(name);
        var generic = sd.Attributes.Concat(sd.Media.SelectMany(m => m.Attributes))
            .Where(a => a is UnknownAttribute or PropertyAttribute)
            .Select(a => a.Name)
            .Distinct()
            .Order(StringComparer.Ordinal);
        Assert.All(generic, n => Assert.Contains(n, new[] { "rtcp-xr", "rtcp-mux", "rtcp-rsize", "extmap-allow-mixed" }));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_fixture_is_bundled_rtcp_muxed_and_carries_dtls_and_ice_parameters(string name)
    {
        var sd = SdpFixtures.Parse(name);
        Assert.Equal(0, sd.Version);
        Assert.Equal("-", sd.Origin.Username);
        Assert.Equal([SdpTiming.Unbounded], sd.Timings);
        var bundle = sd.BundleGroup;
        Assert.NotNull(bundle);
        foreach (var m in sd.Media)
        {
            Assert.NotNull(m.Mid);
            if (m.IsRejected)
            {
                Assert.DoesNotContain(m.Mid, bundle.Mids);
                continue;
            }
            Assert.Contains(m.Mid, bundle.Mids);
            var ice = sd.GetIceCredentials(m);
            Assert.NotNull(ice);
            Assert.InRange(ice.Value.Ufrag.Length, 4, 256);
            Assert.InRange(ice.Value.Password.Length, 22, 256);
            var fingerprint = sd.GetFingerprint(m);
            Assert.NotNull(fingerprint);
            Assert.Equal(FingerprintAttribute.Sha256, fingerprint.HashFunction);
            Assert.Equal(32, fingerprint.Value.Count);
            Assert.NotNull(sd.GetSetup(m));
            if (m.MediaType != MediaDescription.Application)
            {
                Assert.True(m.HasProperty(PropertyAttribute.RtcpMux));
                Assert.True(m.HasProperty(PropertyAttribute.RtcpReducedSize));
                Assert.Equal(MediaDescription.UdpTlsRtpSavpf, m.Protocol);
                Assert.Equal(m.Formats.Count, m.RtpMaps.Count);
            }
        }
    }

    [Fact]
    public void Publisher_offer_exposes_codecs_extensions_ssrcs_and_candidates()
    {
        var sd = SdpFixtures.Parse("a-publish-audio-video-offer");
        Assert.Equal(["0", "1"], sd.BundleGroup!.Mids);
        Assert.Equal(["0", "1"], sd.Mids);
        Assert.True(sd.HasProperty(PropertyAttribute.ExtmapAllowMixed));
        var semantic = sd.GetAttribute<MsidSemanticAttribute>();
        Assert.NotNull(semantic);
        Assert.Equal("WMS", semantic.Semantic);

        var audio = sd.Media[0];
        var video = sd.Media[1];
        Assert.Equal((MediaDescription.Audio, MediaDirection.SendOnly), (audio.MediaType, audio.Direction));
        Assert.Equal((MediaDescription.Video, MediaDirection.SendOnly), (video.MediaType, video.Direction));

        Assert.Equal([111], audio.FindPayloadTypes("OPUS", 48000, 2));
        Assert.Equal("1", audio.GetFmtpParameter(111, "useinbandfec"));
        Assert.Equal("10", audio.GetFmtpParameter(111, "minptime"));
        Assert.Equal([new FmtpParameter("111/111", null)], audio.GetFmtp(63)!.Parameters);
        Assert.Equal([96], video.FindPayloadTypes("VP8", 90000));
        Assert.Equal(97, video.FindRtxPayloadType(96));
        Assert.Contains(video.GetRtcpFeedback(96), fb => fb.Type == RtcpFeedbackAttribute.Nack && fb.Parameters == RtcpFeedbackAttribute.Pli);
        Assert.Contains(video.GetRtcpFeedback(96), fb => fb.Type == RtcpFeedbackAttribute.TransportCc);

        Assert.Equal(4, audio.FindExtmapId(ExtmapAttribute.SdesMid));
        Assert.Equal(4, video.FindExtmapId(ExtmapAttribute.SdesMid));
        Assert.Equal(10, video.FindExtmapId(ExtmapAttribute.SdesRtpStreamId));
        Assert.Null(video.FindExtmapId("urn:example:not-offered"));

        Assert.Equal(audio.Msid!.StreamId, video.Msid!.StreamId);
        Assert.Single(audio.Ssrcs);
        Assert.Equal(2, video.Ssrcs.Count);
        var fid = Assert.Single(video.SsrcGroups);
        Assert.Equal(SsrcGroupAttribute.Fid, fid.Semantics);
        Assert.Equal(video.Ssrcs, fid.Ssrcs);

        Assert.NotEmpty(audio.Candidates);
        Assert.Contains(audio.Candidates, c => c.IsUdp && c.Type == IceCandidate.Host && c.Port == audio.Port);
        Assert.Contains(audio.Candidates, c => c.TcpType == "active" && c.Port == 9);
        Assert.All(audio.Candidates, c => Assert.Equal(0, c.Generation));
    }

    [Fact]
    public void Simulcast_offer_lists_three_rids_and_vp8_only()
    {
        var video = Assert.Single(SdpFixtures.Parse("b-simulcast-vp8-offer").Media);
        Assert.Equal(["q", "h", "f"], video.Rids.Select(r => r.Id));
        Assert.All(video.Rids, r => Assert.Equal(RidDirection.Send, r.Direction));
        Assert.Equal(["q", "h", "f"], video.SendLayers.Select(l => l.Rid));
        Assert.All(video.SendLayers, l => Assert.False(l.Paused));
        Assert.Empty(video.ReceiveLayers);
        Assert.Equal(["VP8", "rtx"], video.RtpMaps.Select(m => m.EncodingName));
        Assert.Empty(video.Ssrcs); // rid simulcast carries no a=ssrc (DESIGN §9)
        Assert.Equal(11, video.FindExtmapId(ExtmapAttribute.SdesRepairedRtpStreamId));
    }

    [Fact]
    public void Recvonly_offer_has_no_sender_identity()
    {
        var sd = SdpFixtures.Parse("c-recvonly-offer");
        Assert.Equal([MediaDirection.RecvOnly, MediaDirection.RecvOnly], sd.Media.Select(m => m.Direction));
        Assert.All(sd.Media, m => Assert.Null(m.Msid));
        Assert.All(sd.Media, m => Assert.Empty(m.Ssrcs));
        Assert.Empty(sd.GetAttribute<MsidSemanticAttribute>()!.Identifiers);
    }

    [Fact]
    public void Screen_share_is_a_second_video_line_in_its_own_stream()
    {
        var sd = SdpFixtures.Parse("d-audio-video-screen-offer");
        Assert.Equal([MediaDescription.Audio, MediaDescription.Video, MediaDescription.Video], sd.Media.Select(m => m.MediaType));
        Assert.Equal(sd.Media[0].Msid!.StreamId, sd.Media[1].Msid!.StreamId);
        Assert.NotEqual(sd.Media[1].Msid!.StreamId, sd.Media[2].Msid!.StreamId);
        Assert.Equal(["0", "1", "2"], sd.BundleGroup!.Mids);
    }

    [Fact]
    public void Answer_takes_the_active_dtls_role_against_an_actpass_offer()
    {
        var offer = SdpFixtures.Parse("e-sendrecv-offer");
        var answer = SdpFixtures.Parse("e-sendrecv-answer");
        Assert.All(offer.Media, m => Assert.Equal(SetupRole.ActPass, offer.GetSetup(m)));
        Assert.All(answer.Media, m => Assert.Equal(SetupRole.Active, answer.GetSetup(m)));
        Assert.Equal(offer.Mids, answer.Mids);
        Assert.All(answer.Media, m => Assert.Equal(MediaDirection.SendRecv, m.Direction));
        Assert.NotEqual(offer.GetFingerprint(offer.Media[0]), answer.GetFingerprint(answer.Media[0]));
    }

    [Fact]
    public void Datachannel_offer_keeps_sctp_parameters()
    {
        var m = Assert.Single(SdpFixtures.Parse("f-datachannel-offer").Media);
        Assert.Equal(MediaDescription.Application, m.MediaType);
        Assert.Equal(MediaDescription.UdpDtlsSctp, m.Protocol);
        Assert.Equal(["webrtc-datachannel"], m.Formats);
        Assert.Empty(m.PayloadTypes);
        Assert.Equal(5000, m.GetAttribute<SctpPortAttribute>()!.Port);
        Assert.Equal(262144UL, m.GetAttribute<MaxMessageSizeAttribute>()!.MaxMessageSize);
    }

    [Fact]
    public void Renegotiation_marks_the_stopped_line_then_recycles_it_with_a_new_mid()
    {
        var stopped = SdpFixtures.Parse("g-renegotiate-stopped-offer");
        Assert.False(stopped.Media[0].IsRejected);
        Assert.True(stopped.Media[1].IsRejected);
        Assert.Equal(0, stopped.Media[1].Port);
        Assert.Equal(["0"], stopped.BundleGroup!.Mids);

        var reused = SdpFixtures.Parse("g-renegotiate-reused-offer");
        Assert.Equal(2, reused.Media.Count);
        Assert.Equal(["0", "2"], reused.Mids);
        Assert.False(reused.Media[1].IsRejected);
        Assert.Equal(MediaDirection.SendOnly, reused.Media[1].Direction);
        Assert.True(reused.Origin.SessionVersion > stopped.Origin.SessionVersion);
    }

    [Fact]
    public void Ice_restart_changes_credentials_but_not_the_certificate()
    {
        var before = SdpFixtures.Parse("h-ice-restart-initial-offer");
        var after = SdpFixtures.Parse("h-ice-restart-offer");
        Assert.Equal(before.Origin.SessionId, after.Origin.SessionId);
        Assert.True(after.Origin.SessionVersion > before.Origin.SessionVersion);
        for (var i = 0; i < before.Media.Count; i++)
        {
            Assert.NotEqual(before.GetIceCredentials(before.Media[i])!.Value.Ufrag, after.GetIceCredentials(after.Media[i])!.Value.Ufrag);
            Assert.NotEqual(before.GetIceCredentials(before.Media[i])!.Value.Password, after.GetIceCredentials(after.Media[i])!.Value.Password);
            Assert.Equal(before.GetFingerprint(before.Media[i]), after.GetFingerprint(after.Media[i]));
        }
    }

    [Fact]
    public void Lf_only_input_parses_to_the_same_model()
    {
        var text = SdpFixtures.Text("a-publish-audio-video-offer");
        var lfOnly = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.NotEqual(text, lfOnly); // positive control: the fixture does use CRLF
        Assert.True(SessionDescription.TryParse(lfOnly, out var sd, out var error), error);
        Assert.Equal(SdpFixtures.Parse("a-publish-audio-video-offer"), sd);
        Assert.Equal(text, sd.Write());
    }
}
