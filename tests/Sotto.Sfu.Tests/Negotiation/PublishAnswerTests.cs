using System.Net;
using Sotto.Rtc.Sdp;
using Sotto.Sfu.Negotiation;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Sfu.Tests.Negotiation;

/// <summary>The publish answer built from real Chromium 156 offers lists only what Sotto implements.</summary>
public sealed class PublishAnswerTests
{
    private static readonly LocalTransportDescription Local = new(
        IceParameters.Generate(), DtlsCertificate.Generate().Fingerprint, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 10000));

    private static SessionDescription Offer(string name) =>
        SessionDescription.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "sdp", name)));

    private static (SessionDescription Answer, PublishNegotiator.Result Result) Answer(string name, params PublishTrackRequest[] tracks)
    {
        var result = PublishNegotiator.Answer(Offer(name), tracks, Local, 42, 1);
        Assert.True(SessionDescription.TryParse(result.Answer, out var answer, out var error), error);
        return (answer!, result);
    }

    [Fact]
    public void Audio_and_video_offer_is_answered_with_opus_and_vp8_at_the_offers_payload_types()
    {
        var (answer, result) = Answer("a-publish-audio-video-offer.sdp", new("0", MediaSource.Mic), new("1", MediaSource.Camera));
        var offer = Offer("a-publish-audio-video-offer.sdp");

        Assert.True(answer.IsIceLite);
        Assert.Equal(["0", "1"], answer.BundleGroup!.Mids);
        var audio = answer.Media[0];
        var opus = offer.Media[0].FindPayloadTypes("opus", 48000, 2)[0];
        Assert.Equal([opus], audio.PayloadTypes);
        Assert.Equal("1", audio.GetFmtpParameter(opus, "cbr"));
        Assert.Equal("1", audio.GetFmtpParameter(opus, "useinbandfec"));
        Assert.Equal("1", audio.GetFmtpParameter(opus, "usedtx"));
        Assert.Empty(audio.FindPayloadTypes("red"));
        Assert.Equal(MediaDirection.RecvOnly, audio.Direction);

        var video = answer.Media[1];
        var vp8 = offer.Media[1].FindPayloadTypes("VP8", 90000)[0];
        var rtx = offer.Media[1].FindRtxPayloadType(vp8)!.Value;
        Assert.Equal([vp8, rtx], video.PayloadTypes);
        Assert.Equal(rtx, video.FindRtxPayloadType(vp8));
        var feedback = video.GetRtcpFeedback(vp8).Select(f => f.ToString()).ToList();
        Assert.Contains(feedback, f => f.EndsWith(" nack", StringComparison.Ordinal));
        Assert.Contains(feedback, f => f.EndsWith("nack pli", StringComparison.Ordinal));
        Assert.Contains(feedback, f => f.EndsWith("ccm fir", StringComparison.Ordinal));
        Assert.Contains(feedback, f => f.EndsWith("transport-cc", StringComparison.Ordinal));

        foreach (var media in answer.Media)
        {
            Assert.Equal(SetupRole.Passive, answer.GetSetup(media));
            Assert.Null(media.FindExtmapId(ExtmapAttribute.AudioLevel));
            Assert.All(media.Extmaps, e => Assert.Contains(e.Uri, RtpExtensionIds.Supported));
            // Extension ids follow the offer's.
            foreach (var extmap in media.Extmaps)
                Assert.Equal(offer.FindMedia(media.Mid!)!.FindExtmapId(extmap.Uri), extmap.Id);
        }
        Assert.NotNull(answer.Media[1].FindExtmapId(ExtmapAttribute.TransportWideCc));
        Assert.NotNull(answer.Media[0].FindExtmapId(ExtmapAttribute.SdesMid));

        var candidate = Assert.Single(answer.Media.SelectMany(m => m.Candidates));
        Assert.Equal("192.0.2.10", candidate.Address);
        Assert.Equal(10000, candidate.Port);
        Assert.True(answer.Media[0].HasProperty(PropertyAttribute.EndOfCandidates));
        Assert.Equal(Local.Ice.UsernameFragment, answer.GetIceCredentials(answer.Media[0])!.Value.Ufrag);

        Assert.Equal([MediaSource.Mic, MediaSource.Camera], result.Tracks.Select(t => t.Source));
        Assert.Equal(offer.GetIceCredentials(offer.Media[0])!.Value.Ufrag, result.Remote.Ice.UsernameFragment);
    }

    [Fact]
    public void Simulcast_offer_is_answered_with_recv_rids_and_the_rid_extensions()
    {
        var (answer, result) = Answer("b-simulcast-vp8-offer.sdp", new PublishTrackRequest("0", MediaSource.Camera));

        var video = Assert.Single(answer.Media);
        Assert.Equal(["q", "h", "f"], video.ReceiveLayers.Select(l => l.Rid));
        Assert.Empty(video.SendLayers);
        Assert.All(video.Rids, r => Assert.Equal(RidDirection.Recv, r.Direction));
        Assert.Equal(10, video.FindExtmapId(ExtmapAttribute.SdesRtpStreamId));
        Assert.Equal(11, video.FindExtmapId(ExtmapAttribute.SdesRepairedRtpStreamId));
        Assert.Equal(9, video.FindExtmapId(ExtmapAttribute.SdesMid));
        Assert.Equal(2, video.FindExtmapId(ExtmapAttribute.AbsSendTime));
        Assert.Equal(4, video.FindExtmapId(ExtmapAttribute.TransportWideCc));
        Assert.Null(video.FindExtmapId("urn:ietf:params:rtp-hdrext:toffset"));
        Assert.Equal(["q", "h", "f"], Assert.Single(result.Tracks).Rids);
        Assert.Equal(new RtpExtensionIds(9, 10, 11, 2, 4), result.Extensions);
    }

    [Fact]
    public void Screen_share_is_a_second_video_track()
    {
        var (answer, result) = Answer("d-audio-video-screen-offer.sdp", new("0", MediaSource.Mic), new("1", MediaSource.Camera), new("2", MediaSource.Screen));
        Assert.Equal(3, answer.Media.Count);
        Assert.Equal([MediaSource.Mic, MediaSource.Camera, MediaSource.Screen], result.Tracks.Select(t => t.Source));
        Assert.Equal([MediaKind.Audio, MediaKind.Video, MediaKind.Video], result.Tracks.Select(t => t.Kind));
    }

    [Fact]
    public void Stopped_m_line_is_rejected_and_left_out_of_bundle_and_a_reused_one_is_accepted()
    {
        var (stopped, stoppedResult) = Answer("g-renegotiate-stopped-offer.sdp", new PublishTrackRequest("0", MediaSource.Mic));
        Assert.Equal(0, stopped.FindMedia("1")!.Port);
        Assert.Equal(["0"], stopped.BundleGroup!.Mids);
        Assert.Single(stoppedResult.Tracks);

        var (reused, reusedResult) = Answer("g-renegotiate-reused-offer.sdp", new("0", MediaSource.Mic), new("2", MediaSource.Camera));
        Assert.Equal(["0", "2"], reused.BundleGroup!.Mids);
        Assert.Equal(["0", "2"], reusedResult.Tracks.Select(t => t.Mid));
    }

    [Fact]
    public void Data_channel_is_rejected()
    {
        var offer = Offer("f-datachannel-offer.sdp");
        var result = PublishNegotiator.Answer(offer, [], Local, 1, 1);
        var answer = SessionDescription.Parse(result.Answer);
        Assert.Equal(0, Assert.Single(answer.Media).Port);
        Assert.Empty(result.Tracks);
    }

    [Fact]
    public void Sending_m_line_missing_from_tracks_or_with_the_wrong_kind_is_refused()
    {
        var offer = Offer("a-publish-audio-video-offer.sdp");
        var missing = Assert.Throws<SfuNegotiationException>(() => PublishNegotiator.Answer(offer, [new("0", MediaSource.Mic)], Local, 1, 1));
        Assert.Equal("bad-tracks", missing.Code);
        var wrongKind = Assert.Throws<SfuNegotiationException>(() => PublishNegotiator.Answer(offer, [new("0", MediaSource.Camera), new("1", MediaSource.Camera)], Local, 1, 1));
        Assert.Equal("bad-tracks", wrongKind.Code);
        // Positive control: the right list is accepted.
        Assert.Equal(2, PublishNegotiator.Answer(offer, [new("0", MediaSource.Mic), new("1", MediaSource.Camera)], Local, 1, 1).Tracks.Count);
    }
}
