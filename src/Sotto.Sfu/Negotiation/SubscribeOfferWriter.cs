using System.Globalization;
using System.Text;

namespace Sotto.Sfu.Negotiation;

/// <summary>
/// Writes the subscribe offer (the SFU offers, the browser answers): one m-line per slot, active
/// slots <c>sendonly</c> with the consumer's SSRCs, freed slots <c>inactive</c> and reused later for
/// a track of the same kind (DESIGN.md §9), Sotto's fixed payload types (Opus 111, VP8 96, RTX 97)
/// and extension ids (mid 1, abs-send-time 2, transport-wide-cc 3), <c>a=setup:actpass</c> so
/// Chromium takes the DTLS client role and the SFU stays the DTLS server.
/// </summary>
internal static class SubscribeOfferWriter
{
    public const int OpusPayloadType = 111;
    public const int Vp8PayloadType = 96;
    public const int RtxPayloadType = 97;

    /// <summary>A slot of the offer: its mid, its kind and, when active, what it sends.</summary>
    public sealed record Slot(string Mid, MediaKind Kind, SlotSender? Sender);

    /// <summary>
    /// The sender of an active slot. A participant's mic and camera share one msid stream and one
    /// CNAME so the receiver synchronises them (RFC 8830; DESIGN.md §9 lip sync).
    /// </summary>
    public sealed record SlotSender(string StreamId, string TrackId, string Cname, uint Ssrc, uint? RtxSsrc);

    public static string Write(IReadOnlyList<Slot> slots, LocalTransportDescription local, ulong sessionId, int version)
    {
        var sdp = new StringBuilder();
        SdpLines.Line(sdp, "v=0");
        SdpLines.Line(sdp, LocalTransportDescription.Origin(sessionId, version));
        SdpLines.Line(sdp, "s=-");
        SdpLines.Line(sdp, "t=0 0");
        SdpLines.Line(sdp, "a=group:BUNDLE " + string.Join(' ', slots.Select(s => s.Mid)));
        SdpLines.Line(sdp, "a=ice-lite");
        SdpLines.Line(sdp, "a=msid-semantic: WMS");
        for (var i = 0; i < slots.Count; i++)
            AppendSlot(sdp, slots[i], local, withCandidate: i == 0);
        return sdp.ToString();
    }

    private static void AppendSlot(StringBuilder sdp, Slot slot, LocalTransportDescription local, bool withCandidate)
    {
        var port = local.Candidate.Port.ToString(CultureInfo.InvariantCulture);
        var audio = slot.Kind == MediaKind.Audio;
        SdpLines.Line(sdp, audio
            ? $"m=audio {port} UDP/TLS/RTP/SAVPF {OpusPayloadType}"
            : $"m=video {port} UDP/TLS/RTP/SAVPF {Vp8PayloadType} {RtxPayloadType}");
        local.AppendTransport(sdp, "actpass", withCandidate);
        SdpLines.Line(sdp, $"a=mid:{slot.Mid}");
        var ids = RtpExtensionIds.Subscribe;
        SdpLines.Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=extmap:{ids.Mid} {Rtc.Sdp.ExtmapAttribute.SdesMid}"));
        SdpLines.Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=extmap:{ids.AbsSendTime} {Rtc.Sdp.ExtmapAttribute.AbsSendTime}"));
        SdpLines.Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=extmap:{ids.TransportCc} {Rtc.Sdp.ExtmapAttribute.TransportWideCc}"));
        SdpLines.Line(sdp, slot.Sender is null ? "a=inactive" : "a=sendonly");
        if (slot.Sender is { } sender)
            SdpLines.Line(sdp, $"a=msid:{sender.StreamId} {sender.TrackId}");
        SdpLines.Line(sdp, "a=rtcp-mux");
        SdpLines.Line(sdp, "a=rtcp-rsize");
        if (audio)
        {
            SdpLines.Line(sdp, "a=rtpmap:111 opus/48000/2");
            SdpLines.Line(sdp, "a=rtcp-fb:111 transport-cc");
            SdpLines.Line(sdp, "a=fmtp:111 " + PublishNegotiator.OpusReceiveParameters);
        }
        else
        {
            SdpLines.Line(sdp, "a=rtpmap:96 VP8/90000");
            SdpLines.Line(sdp, "a=rtcp-fb:96 transport-cc");
            SdpLines.Line(sdp, "a=rtcp-fb:96 ccm fir");
            SdpLines.Line(sdp, "a=rtcp-fb:96 nack");
            SdpLines.Line(sdp, "a=rtcp-fb:96 nack pli");
            SdpLines.Line(sdp, "a=rtpmap:97 rtx/90000");
            SdpLines.Line(sdp, "a=fmtp:97 apt=96");
        }
        if (slot.Sender is { } s)
        {
            if (s.RtxSsrc is uint rtx)
                SdpLines.Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=ssrc-group:FID {s.Ssrc} {rtx}"));
            AppendSsrc(sdp, s.Ssrc, s);
            if (s.RtxSsrc is uint rtxSsrc)
                AppendSsrc(sdp, rtxSsrc, s);
        }
    }

    private static void AppendSsrc(StringBuilder sdp, uint ssrc, SlotSender sender)
    {
        var text = ssrc.ToString(CultureInfo.InvariantCulture);
        SdpLines.Line(sdp, $"a=ssrc:{text} cname:{sender.Cname}");
        SdpLines.Line(sdp, $"a=ssrc:{text} msid:{sender.StreamId} {sender.TrackId}");
    }
}
