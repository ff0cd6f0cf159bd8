using System.Net;
using Sotto.Rtc.Sdp;
using Sotto.Sfu.Negotiation;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Sfu.Tests.Negotiation;

public sealed class SubscribeOfferTests
{
    private static readonly LocalTransportDescription Local = new(
        IceParameters.Generate(), DtlsCertificate.Generate().Fingerprint, new IPEndPoint(IPAddress.Loopback, 40000));

    [Fact]
    public void Offer_is_actpass_ice_lite_with_fixed_payload_types_and_one_stream_per_publisher()
    {
        var mic = new SubscribeOfferWriter.SlotSender("tok", "tok-mic", "tok", 1111, null);
        var camera = new SubscribeOfferWriter.SlotSender("tok", "tok-camera", "tok", 2222, 3333);
        var text = SubscribeOfferWriter.Write(
            [new("0", MediaKind.Audio, mic), new("1", MediaKind.Video, camera), new("2", MediaKind.Video, null)], Local, 7, 3);

        Assert.True(SessionDescription.TryParse(text, out var offer, out var error), error);
        Assert.True(offer!.IsIceLite);
        Assert.Equal(["0", "1", "2"], offer.BundleGroup!.Mids);
        Assert.All(offer.Media, m => Assert.Equal(SetupRole.ActPass, offer.GetSetup(m)));
        Assert.Equal([111], offer.Media[0].PayloadTypes);
        Assert.Equal("1", offer.Media[0].GetFmtpParameter(111, "cbr"));
        Assert.Equal([96, 97], offer.Media[1].PayloadTypes);
        Assert.Equal(97, offer.Media[1].FindRtxPayloadType(96));
        Assert.Equal(MediaDirection.SendOnly, offer.Media[0].Direction);
        Assert.Equal(MediaDirection.Inactive, offer.Media[2].Direction);
        Assert.Empty(offer.Media[2].Ssrcs);
        // Lip sync: the mic and camera of one publisher share the msid stream and the CNAME.
        Assert.Equal(offer.Media[0].Msid!.StreamId, offer.Media[1].Msid!.StreamId);
        Assert.Equal([2222u, 3333u], Assert.Single(offer.Media[1].SsrcGroups).Ssrcs);
        Assert.All(offer.Media, m => Assert.Null(m.FindExtmapId(ExtmapAttribute.AudioLevel)));
        Assert.Equal(3, offer.Media[1].FindExtmapId(ExtmapAttribute.TransportWideCc));
        Assert.Single(offer.Media.SelectMany(m => m.Candidates));
    }
}
