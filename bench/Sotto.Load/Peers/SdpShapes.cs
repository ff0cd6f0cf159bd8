using System.Globalization;
using System.Net;
using System.Text;
using Sotto.Load.Media;
using Sotto.Rtc.Sdp;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Load.Peers;

/// <summary>
/// The SDP a headless participant writes: a Chromium-shaped publish offer (audio mid 0, VP8 mid 1,
/// BUNDLE, rtcp-mux, the extension ids below) and the answer a browser gives a subscribe offer.
/// Used for Sotto and for Janus alike, so both servers see the same media description.
/// </summary>
internal static class SdpShapes
{
    public const byte AbsSendTimeId = 2;
    public const byte TransportCcId = 4;
    public const byte MidId = 9;
    public const byte RidId = 10;
    public const byte RepairedRidId = 11;

    /// <param name="setup">"actpass" (what browsers offer; Sotto answers passive) or "active" (so Janus answers passive: it would take the client role on actpass, DESIGN.md §9).</param>
    /// <param name="candidate">Our host candidate, for a server that wants one (Janus); Sotto learns our address from our checks.</param>
    public static string PublishOffer(MediaProfile profile, IceParameters ice, DtlsCertificate certificate, string setup, SyntheticPublisher publisher, IPEndPoint? candidate)
    {
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");
        Line("v=0");
        Line("o=- " + publisher.AudioSsrc.ToString(CultureInfo.InvariantCulture) + " 2 IN IP4 127.0.0.1");
        Line("s=-");
        Line("t=0 0");
        var mids = new List<string>();
        if (profile.Audio)
            mids.Add("0");
        if (profile.Video)
            mids.Add("1");
        Line("a=group:BUNDLE " + string.Join(' ', mids));
        Line("a=msid-semantic: WMS load");
        void Common(string mid)
        {
            Line("c=IN IP4 0.0.0.0");
            Line($"a=ice-ufrag:{ice.UsernameFragment}");
            Line($"a=ice-pwd:{ice.Password}");
            Line($"a=fingerprint:{certificate.Fingerprint}");
            Line($"a=setup:{setup}");
            Line($"a=mid:{mid}");
            Line($"a=extmap:{AbsSendTimeId} http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
            Line($"a=extmap:{TransportCcId} http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
            Line($"a=extmap:{MidId} urn:ietf:params:rtp-hdrext:sdes:mid");
            if (candidate is not null && mid == mids[0])
            {
                Line(string.Create(CultureInfo.InvariantCulture, $"a=candidate:1 1 udp 2122260223 {candidate.Address} {candidate.Port} typ host"));
                Line("a=end-of-candidates");
            }
        }

        if (profile.Audio)
        {
            Line("m=audio 9 UDP/TLS/RTP/SAVPF 111");
            Common("0");
            Line("a=sendonly");
            Line("a=msid:load a");
            Line("a=rtcp-mux");
            Line("a=rtpmap:111 opus/48000/2");
            Line("a=fmtp:111 minptime=10;useinbandfec=1");
            Line(string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{publisher.AudioSsrc} cname:load"));
            Line(string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{publisher.AudioSsrc} msid:load a"));
        }

        if (profile.Video)
        {
            Line("m=video 9 UDP/TLS/RTP/SAVPF 96 97");
            Common("1");
            if (profile.Simulcast)
            {
                Line($"a=extmap:{RidId} urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
                Line($"a=extmap:{RepairedRidId} urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
            }
            Line("a=sendonly");
            Line("a=msid:load v");
            Line("a=rtcp-mux");
            Line("a=rtcp-rsize");
            Line("a=rtpmap:96 VP8/90000");
            Line("a=rtcp-fb:96 transport-cc");
            Line("a=rtcp-fb:96 nack");
            Line("a=rtcp-fb:96 nack pli");
            Line("a=rtpmap:97 rtx/90000");
            Line("a=fmtp:97 apt=96");
            if (profile.Simulcast)
            {
                Line("a=rid:q send");
                Line("a=rid:h send");
                Line("a=rid:f send");
                Line("a=simulcast:send q;h;f");
            }
            else
            {
                uint ssrc = publisher.VideoSsrcs.First();
                Line(string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{ssrc} cname:load"));
                Line(string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{ssrc} msid:load v"));
            }
        }

        return sdp.ToString();
    }

    /// <summary>A browser's answer to a server's subscribe offer: every sendonly m-line received (recvonly), the rest inactive, data channels refused.</summary>
    public static string SubscribeAnswer(SessionDescription offer, IceParameters ice, DtlsCertificate certificate, int version)
    {
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");
        Line("v=0");
        Line("o=- 1 " + version.ToString(CultureInfo.InvariantCulture) + " IN IP4 127.0.0.1");
        Line("s=-");
        Line("t=0 0");
        var bundled = offer.Media.Where(m => m.MediaType != MediaDescription.Application).Select(m => m.Mid);
        Line("a=group:BUNDLE " + string.Join(' ', bundled));
        foreach (MediaDescription media in offer.Media)
        {
            if (media.MediaType == MediaDescription.Application)
            {
                Line($"m=application 0 {media.Protocol} {string.Join(' ', media.Formats)}");
                Line("c=IN IP4 0.0.0.0");
                Line($"a=mid:{media.Mid}");
                continue;
            }

            Line($"m={media.MediaType} 9 UDP/TLS/RTP/SAVPF {string.Join(' ', media.PayloadTypes)}");
            Line("c=IN IP4 0.0.0.0");
            Line($"a=ice-ufrag:{ice.UsernameFragment}");
            Line($"a=ice-pwd:{ice.Password}");
            Line($"a=fingerprint:{certificate.Fingerprint}");
            Line("a=setup:active");
            Line($"a=mid:{media.Mid}");
            foreach (ExtmapAttribute extmap in media.Extmaps)
                Line($"a=extmap:{extmap.Id} {extmap.Uri}");
            Line(media.Direction is MediaDirection.SendOnly or MediaDirection.SendRecv ? "a=recvonly" : "a=inactive");
            Line("a=rtcp-mux");
            foreach (RtpMapAttribute map in media.RtpMaps)
                Line($"a=rtpmap:{map.PayloadType} {map.EncodingName}/{map.ClockRate}" + (map.Channels is { } c ? $"/{c}" : ""));
        }

        return sdp.ToString();
    }

    /// <summary>The server's ICE credentials, DTLS fingerprint and first IPv4 UDP host candidate.</summary>
    public static (IceParameters Ice, DtlsFingerprint Fingerprint, IPEndPoint Candidate) RemoteTransport(SessionDescription remote)
    {
        MediaDescription first = remote.Media.First(m => m.Port != 0 || m.MediaType != MediaDescription.Application);
        IceCredentials credentials = remote.GetIceCredentials(first) ?? throw new InvalidOperationException("The remote SDP has no ICE credentials.");
        FingerprintAttribute fingerprint = remote.GetFingerprint(first) ?? throw new InvalidOperationException("The remote SDP has no fingerprint.");
        string text = fingerprint.ToString();
        IceCandidate candidate = remote.Media.SelectMany(m => m.Candidates)
            .FirstOrDefault(c => c.Component == 1 && c.Transport.Equals("udp", StringComparison.OrdinalIgnoreCase) && IPAddress.TryParse(c.Address, out IPAddress? a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException("The remote SDP has no IPv4 UDP candidate.");
        return (new IceParameters(credentials.Ufrag, credentials.Password),
            DtlsFingerprint.Parse(text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..]),
            new IPEndPoint(IPAddress.Parse(candidate.Address), candidate.Port));
    }
}
