using System.Globalization;
using System.Text;
using Sotto.Rtc.Sdp;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Client.Negotiation;

/// <summary>
/// The answer a browser gives the SFU's subscribe offer (docs/protocol.md "subscribe-answer"):
/// the m-lines in the same order, <c>a=setup</c> as <see cref="DtlsSetup"/> decided (<c>active</c>
/// for an <c>actpass</c> offer: we are the DTLS client, DESIGN.md §9),
/// every <c>sendonly</c> m-line answered <c>recvonly</c> and the rest <c>inactive</c>, the offer's
/// payload types (Opus, VP8, RTX — never RED) with nack/pli/transport-cc feedback, and only the
/// header extensions we read (mid, abs-send-time, transport-wide-cc) at the offer's ids.
/// </summary>
internal static class SubscribeAnswerWriter
{
    private static readonly string[] AcceptedExtensions = [ExtmapAttribute.SdesMid, ExtmapAttribute.AbsSendTime, ExtmapAttribute.TransportWideCc];

    public static string Write(SessionDescription offer, IceParameters ice, DtlsFingerprint fingerprint, SetupRole setup, long sessionVersion)
    {
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");
        Line("v=0");
        Line(string.Create(CultureInfo.InvariantCulture, $"o=- 4611686018427387904 {sessionVersion} IN IP4 127.0.0.1"));
        Line("s=-");
        Line("t=0 0");
        Line("a=group:BUNDLE " + string.Join(' ', offer.Media.Where(m => !m.IsRejected).Select(m => m.Mid)));
        foreach (MediaDescription media in offer.Media)
        {
            int[] payloadTypes = [.. media.PayloadTypes.Where(pt => media.GetRtpMap(pt) is { } map
                && (map.EncodingName.Equals("opus", StringComparison.OrdinalIgnoreCase)
                    || map.EncodingName.Equals("VP8", StringComparison.OrdinalIgnoreCase)
                    || map.EncodingName.Equals("rtx", StringComparison.OrdinalIgnoreCase)))];
            bool rejected = media.IsRejected || payloadTypes.Length == 0;
            Line($"m={media.MediaType} {(rejected ? 0 : 9)} {media.Protocol} {string.Join(' ', rejected ? media.Formats : payloadTypes.Select(pt => pt.ToString(CultureInfo.InvariantCulture)))}");
            Line("c=IN IP4 0.0.0.0");
            Line($"a=ice-ufrag:{ice.UsernameFragment}");
            Line($"a=ice-pwd:{ice.Password}");
            Line($"a=fingerprint:{fingerprint}");
            Line("a=setup:" + DtlsSetup.Name(setup));
            Line($"a=mid:{media.Mid}");
            if (rejected)
                continue;
            foreach (ExtmapAttribute extmap in media.Extmaps.Where(e => AcceptedExtensions.Contains(e.Uri)))
                Line(string.Create(CultureInfo.InvariantCulture, $"a=extmap:{extmap.Id} {extmap.Uri}"));
            Line(media.Direction is MediaDirection.SendOnly or MediaDirection.SendRecv ? "a=recvonly" : "a=inactive");
            Line("a=rtcp-mux");
            Line("a=rtcp-rsize");
            foreach (int pt in payloadTypes)
            {
                RtpMapAttribute map = media.GetRtpMap(pt)!;
                Line(string.Create(CultureInfo.InvariantCulture, $"a=rtpmap:{pt} {map.EncodingName}/{map.ClockRate}{(map.Channels is { } c ? "/" + c.ToString(CultureInfo.InvariantCulture) : "")}"));
                if (map.EncodingName.Equals("VP8", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (string feedback in new[] { "transport-cc", "ccm fir", "nack", "nack pli" })
                        Line($"a=rtcp-fb:{pt} {feedback}");
                }
                else if (map.EncodingName.Equals("opus", StringComparison.OrdinalIgnoreCase))
                {
                    Line($"a=rtcp-fb:{pt} transport-cc");
                    Line($"a=fmtp:{pt} minptime=10;useinbandfec=1");
                }
                else if (media.GetFmtpParameter(pt, "apt") is { } apt)
                {
                    Line($"a=fmtp:{pt} apt={apt}");
                }
            }
        }
        return sdp.ToString();
    }
}
