using System.Globalization;
using System.Text;
using Sotto.Rtc.Sdp;

namespace Sotto.Sfu.Negotiation;

/// <summary>
/// Answers a publishing browser's offer (docs/protocol.md "Media"): the browser offers, the SFU
/// answers, so there is never glare. The answer lists only what Sotto implements (issue 4, DESIGN.md
/// §9 "negotiate only what works"): Opus with <c>useinbandfec=1;usedtx=1;cbr=1</c> (no RED), VP8 with
/// RTX, rid simulcast received, the mid / rid / repaired-rid / abs-send-time / transport-wide-cc
/// extensions (never ssrc-audio-level), ICE-lite, <c>a=setup:passive</c>, one host candidate.
/// Payload types and extension ids follow the offer's.
/// </summary>
internal static class PublishNegotiator
{
    /// <summary>Opus parameters we ask the sender for (RFC 7587 §6.1): FEC and DTX on, constant bitrate (frame sizes leak speech under VBR).</summary>
    public const string OpusReceiveParameters = "minptime=10;useinbandfec=1;usedtx=1;cbr=1";

    public sealed record Result(string Answer, IReadOnlyList<PublishedTrack> Tracks, RtpExtensionIds Extensions, RemoteTransportDescription Remote);

    public static Result Answer(
        SessionDescription offer,
        IReadOnlyList<PublishTrackRequest> requests,
        LocalTransportDescription local,
        ulong sessionId,
        int version)
    {
        if (offer.Media.Count == 0)
            throw new SfuNegotiationException("bad-sdp", "The offer has no m-lines.");
        if (offer.BundleGroup is null)
            throw new SfuNegotiationException("bad-sdp", "The offer must use BUNDLE (RFC 8843).");
        var remote = RemoteTransportDescription.From(offer);
        var extensions = RtpExtensionIds.FromOffer(offer.Media);
        var sources = new Dictionary<string, MediaSource>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (!sources.TryAdd(request.Mid, request.Source))
                throw new SfuNegotiationException("bad-tracks", "A mid is listed twice in tracks.");
        }

        var tracks = new List<PublishedTrack>();
        var sections = new StringBuilder();
        var bundled = new List<string>();
        foreach (var media in offer.Media)
        {
            var mid = media.Mid ?? throw new SfuNegotiationException("bad-sdp", "Every m-line needs a=mid (RFC 8843).");
            var track = AcceptTrack(media, mid, sources);
            if (track is null)
            {
                AppendRejected(sections, media, mid);
                continue;
            }
            bundled.Add(mid);
            var receiving = media.Direction is MediaDirection.SendOnly or MediaDirection.SendRecv;
            AppendAccepted(sections, media, track, receiving, extensions, local, withCandidate: bundled.Count == 1);
            if (receiving)
                tracks.Add(track);
        }
        foreach (var request in requests)
        {
            if (offer.FindMedia(request.Mid) is null)
                throw new SfuNegotiationException("bad-tracks", "tracks names a mid that is not in the offer.");
        }

        var sdp = new StringBuilder();
        SdpLines.Line(sdp, "v=0");
        SdpLines.Line(sdp, LocalTransportDescription.Origin(sessionId, version));
        SdpLines.Line(sdp, "s=-");
        SdpLines.Line(sdp, "t=0 0");
        if (bundled.Count > 0)
            SdpLines.Line(sdp, "a=group:BUNDLE " + string.Join(' ', bundled));
        SdpLines.Line(sdp, "a=ice-lite");
        SdpLines.Line(sdp, "a=msid-semantic: WMS");
        sdp.Append(sections);
        return new Result(sdp.ToString(), tracks, extensions, remote);
    }

    /// <summary>The track an m-line carries, or null when we reject it (data channel, no usable codec, port 0, unlisted).</summary>
    private static PublishedTrack? AcceptTrack(MediaDescription media, string mid, Dictionary<string, MediaSource> sources)
    {
        if (media.IsRejected || media.Protocol != MediaDescription.UdpTlsRtpSavpf)
            return null;
        MediaKind kind;
        int payloadType;
        int? rtx = null;
        int clockRate;
        switch (media.MediaType)
        {
            case MediaDescription.Audio:
                var opus = media.FindPayloadTypes("opus", 48000, 2);
                if (opus.Count == 0)
                    return null;
                kind = MediaKind.Audio;
                payloadType = opus[0];
                clockRate = 48000;
                break;
            case MediaDescription.Video:
                var vp8 = media.FindPayloadTypes("VP8", 90000);
                if (vp8.Count == 0)
                    return null;
                kind = MediaKind.Video;
                payloadType = vp8[0];
                rtx = media.FindRtxPayloadType(payloadType);
                clockRate = 90000;
                break;
            default:
                return null;
        }

        // A receiving m-line must say what it is; an inactive one (stopped track) may be unlisted.
        var sending = media.Direction is MediaDirection.SendOnly or MediaDirection.SendRecv;
        if (!sources.TryGetValue(mid, out var source))
        {
            if (sending)
                throw new SfuNegotiationException("bad-tracks", "Every sending m-line must be listed in tracks with its source.");
            source = kind == MediaKind.Audio ? MediaSource.Mic : MediaSource.Camera;
        }
        if (MediaNames.KindOf(source) != kind)
            throw new SfuNegotiationException("bad-tracks", "A track's source does not match its m-line's kind.");

        var rids = media.SendLayers.Where(l => !l.Paused).Select(l => l.Rid).ToList();
        var ssrcs = new List<uint>();
        var rtxSsrcs = new Dictionary<uint, uint>();
        foreach (var group in media.SsrcGroups)
        {
            if (group.Semantics == SsrcGroupAttribute.Fid && group.Ssrcs.Count == 2)
                rtxSsrcs[group.Ssrcs[1]] = group.Ssrcs[0];
        }
        foreach (var ssrc in media.Ssrcs)
        {
            if (!rtxSsrcs.ContainsKey(ssrc) && !ssrcs.Contains(ssrc))
                ssrcs.Add(ssrc);
        }
        return new PublishedTrack(mid, kind, source, payloadType, rtx, clockRate, rids, ssrcs, rtxSsrcs);
    }

    private static void AppendRejected(StringBuilder sdp, MediaDescription media, string mid)
    {
        // JSEP (RFC 8829 §5.3.1): a rejected m-line keeps its media type and mid, with port 0.
        var format = media.Formats.Count > 0 ? media.Formats[0] : "0";
        SdpLines.Line(sdp, $"m={media.MediaType} 0 {media.Protocol} {format}");
        SdpLines.Line(sdp, "c=IN IP4 0.0.0.0");
        SdpLines.Line(sdp, $"a=mid:{mid}");
        SdpLines.Line(sdp, "a=inactive");
    }

    private static void AppendAccepted(
        StringBuilder sdp,
        MediaDescription media,
        PublishedTrack track,
        bool receiving,
        RtpExtensionIds extensions,
        LocalTransportDescription local,
        bool withCandidate)
    {
        var payloadTypes = track.RtxPayloadType is int rtxPt
            ? string.Create(CultureInfo.InvariantCulture, $"{track.PayloadType} {rtxPt}")
            : track.PayloadType.ToString(CultureInfo.InvariantCulture);
        SdpLines.Line(sdp, string.Create(CultureInfo.InvariantCulture, $"m={media.MediaType} {local.Candidate.Port} {MediaDescription.UdpTlsRtpSavpf} {payloadTypes}"));
        local.AppendTransport(sdp, "passive", withCandidate);
        SdpLines.Line(sdp, $"a=mid:{track.Mid}");
        foreach (var extmap in media.Extmaps)
        {
            if (Array.IndexOf(RtpExtensionIds.Supported, extmap.Uri) >= 0 && extensions.IdOf(extmap.Uri) == extmap.Id)
                SdpLines.Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=extmap:{extmap.Id} {extmap.Uri}"));
        }
        SdpLines.Line(sdp, receiving ? "a=recvonly" : "a=inactive");
        SdpLines.Line(sdp, "a=rtcp-mux");
        SdpLines.Line(sdp, "a=rtcp-rsize");
        var pt = track.PayloadType.ToString(CultureInfo.InvariantCulture);
        if (track.Kind == MediaKind.Audio)
        {
            SdpLines.Line(sdp, $"a=rtpmap:{pt} opus/48000/2");
            SdpLines.Line(sdp, $"a=rtcp-fb:{pt} transport-cc");
            SdpLines.Line(sdp, $"a=fmtp:{pt} {OpusReceiveParameters}");
        }
        else
        {
            SdpLines.Line(sdp, $"a=rtpmap:{pt} VP8/90000");
            SdpLines.Line(sdp, $"a=rtcp-fb:{pt} transport-cc");
            SdpLines.Line(sdp, $"a=rtcp-fb:{pt} ccm fir");
            SdpLines.Line(sdp, $"a=rtcp-fb:{pt} nack");
            SdpLines.Line(sdp, $"a=rtcp-fb:{pt} nack pli");
            if (track.RtxPayloadType is int rtx)
            {
                SdpLines.Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=rtpmap:{rtx} rtx/90000"));
                SdpLines.Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=fmtp:{rtx} apt={pt}"));
            }
            if (receiving && track.Rids.Count > 0)
            {
                // RFC 8853 §5.3: the answerer reverses the direction of the offered rids.
                foreach (var rid in track.Rids)
                    SdpLines.Line(sdp, $"a=rid:{rid} recv");
                SdpLines.Line(sdp, "a=simulcast:recv " + string.Join(';', track.Rids));
            }
        }
    }
}
