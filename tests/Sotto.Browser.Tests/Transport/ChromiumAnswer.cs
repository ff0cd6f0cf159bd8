using System.Globalization;
using System.Text;
using Sotto.Rtc.Sdp;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Browser.Tests.Transport;

/// <summary>
/// The SDP answer an SFU gives a publishing Chromium, built for this test from the parsed offer:
/// ICE-lite, one host candidate, <c>a=setup:passive</c>, rtcp-mux, Opus and VP8 (+ its RTX) at the
/// offer's payload types, and only the mid header extension — negotiate only what we act on
/// (DESIGN.md §9: accepting transport-cc without sending feedback starves the sender).
/// </summary>
internal static class ChromiumAnswer
{
    private const string MidExtension = "urn:ietf:params:rtp-hdrext:sdes:mid";

    public static string Build(SessionDescription offer, IceParameters ice, DtlsFingerprint fingerprint, IceCandidate candidate, uint? sendSsrc = null)
    {
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");

        Line("v=0");
        Line("o=- 4611731400430051336 2 IN IP4 127.0.0.1");
        Line("s=-");
        Line("t=0 0");
        Line("a=group:BUNDLE " + string.Join(' ', offer.Media.Select(m => m.Mid)));
        Line("a=ice-lite");
        Line("a=msid-semantic: WMS");

        bool first = true;
        foreach (MediaDescription media in offer.Media)
        {
            List<int> payloadTypes = media.MediaType switch
            {
                MediaDescription.Audio => [.. media.FindPayloadTypes("opus", 48000, 2).Take(1)],
                MediaDescription.Video => [.. media.FindPayloadTypes("VP8", 90000).Take(1)],
                _ => [],
            };
            if (media.MediaType == MediaDescription.Video && payloadTypes.Count == 1 && media.FindRtxPayloadType(payloadTypes[0]) is int rtx)
                payloadTypes.Add(rtx);

            Line($"m={media.MediaType} {candidate.Port} UDP/TLS/RTP/SAVPF {string.Join(' ', payloadTypes)}");
            Line($"c=IN IP4 {candidate.Address}");
            Line($"a=mid:{media.Mid}");
            Line($"a=ice-ufrag:{ice.UsernameFragment}");
            Line($"a=ice-pwd:{ice.Password}");
            Line($"a=fingerprint:{fingerprint}");
            Line("a=setup:passive");
            // We receive what Chromium sends; on an m-line where Chromium only receives, we send one stream.
            bool weSend = media.Direction == MediaDirection.RecvOnly && sendSsrc is not null;
            Line(weSend ? "a=sendonly" : "a=recvonly");
            if (weSend)
                Line("a=msid:sotto echo");
            Line("a=rtcp-mux");
            Line("a=rtcp-rsize");
            if (media.FindExtmapId(MidExtension) is int midId)
                Line($"a=extmap:{midId} {MidExtension}");

            foreach (int payloadType in payloadTypes)
            {
                var rtpmap = media.GetRtpMap(payloadType)!;
                string pt = payloadType.ToString(CultureInfo.InvariantCulture);
                Line($"a=rtpmap:{pt} {rtpmap.EncodingName}/{rtpmap.ClockRate}" + (rtpmap.Channels is { } channels ? $"/{channels}" : string.Empty));
                if (media.GetFmtp(payloadType) is { } fmtp)
                    Line($"a=fmtp:{pt} {string.Join(';', fmtp.Parameters.Select(p => p.ToString()))}");
                if (rtpmap.EncodingName.Equals("VP8", StringComparison.OrdinalIgnoreCase))
                {
                    Line($"a=rtcp-fb:{pt} nack");
                    Line($"a=rtcp-fb:{pt} nack pli");
                    Line($"a=rtcp-fb:{pt} ccm fir");
                }
            }

            if (weSend)
                Line($"a=ssrc:{sendSsrc} cname:sotto");

            if (first)
            {
                // One host candidate on the mux; with BUNDLE it covers every m-line.
                Line($"a=candidate:{candidate}");
                Line("a=end-of-candidates");
                first = false;
            }
        }

        return sdp.ToString();
    }
}
