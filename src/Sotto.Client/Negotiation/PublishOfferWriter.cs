using System.Globalization;
using System.Text;
using Sotto.Rtc.Sdp;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Client.Negotiation;

/// <summary>Our fixed RTP numbering: the same payload types and extension ids the SFU uses in its own offers (docs/media.md).</summary>
internal static class RtpNumbers
{
    public const byte OpusPayloadType = 111;
    public const byte Vp8PayloadType = 96;
    public const byte RtxPayloadType = 97;
    public const byte MidExtensionId = 1;
    public const byte AbsSendTimeExtensionId = 2;
    public const byte TransportCcExtensionId = 3;
    public const uint OpusClockRate = 48_000;
    public const uint VideoClockRate = 90_000;
}

/// <summary>One track we publish: its mid, source (mic, camera…), SSRCs.</summary>
internal sealed record PublishedTrackSpec(string Mid, string Kind, string Source, uint Ssrc, uint? RtxSsrc);

/// <summary>
/// The publish offer a browser would write (docs/protocol.md "publish"): Unified Plan, BUNDLE,
/// rtcp-mux, <c>sendonly</c>, <c>a=setup:actpass</c>, Opus and VP8 + RTX at Sotto's payload types,
/// mid / abs-send-time / transport-wide-cc, and <c>a=ssrc</c> lines (one stream per track, no
/// simulcast: a file has one resolution). No ssrc-audio-level (it leaks who speaks, DESIGN.md §3).
/// </summary>
internal static class PublishOfferWriter
{
    public static string Write(IceParameters ice, DtlsFingerprint fingerprint, string cname, string streamId, IReadOnlyList<PublishedTrackSpec> tracks, long sessionVersion)
    {
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");
        Line("v=0");
        Line(string.Create(CultureInfo.InvariantCulture, $"o=- {Random.Shared.NextInt64(1, long.MaxValue)} {sessionVersion} IN IP4 127.0.0.1"));
        Line("s=-");
        Line("t=0 0");
        Line("a=group:BUNDLE " + string.Join(' ', tracks.Select(t => t.Mid)));
        Line("a=msid-semantic: WMS " + streamId);
        foreach (PublishedTrackSpec track in tracks)
        {
            bool audio = track.Kind == "audio";
            Line(audio
                ? $"m=audio 9 UDP/TLS/RTP/SAVPF {RtpNumbers.OpusPayloadType}"
                : $"m=video 9 UDP/TLS/RTP/SAVPF {RtpNumbers.Vp8PayloadType} {RtpNumbers.RtxPayloadType}");
            Line("c=IN IP4 0.0.0.0");
            Line("a=rtcp:9 IN IP4 0.0.0.0");
            Line($"a=ice-ufrag:{ice.UsernameFragment}");
            Line($"a=ice-pwd:{ice.Password}");
            Line("a=ice-options:trickle");
            Line($"a=fingerprint:{fingerprint}");
            Line("a=setup:actpass");
            Line($"a=mid:{track.Mid}");
            Line($"a=extmap:{RtpNumbers.MidExtensionId} {ExtmapAttribute.SdesMid}");
            Line($"a=extmap:{RtpNumbers.AbsSendTimeExtensionId} {ExtmapAttribute.AbsSendTime}");
            Line($"a=extmap:{RtpNumbers.TransportCcExtensionId} {ExtmapAttribute.TransportWideCc}");
            Line("a=sendonly");
            Line($"a=msid:{streamId} {track.Mid}-{track.Source}");
            Line("a=rtcp-mux");
            Line("a=rtcp-rsize");
            if (audio)
            {
                Line($"a=rtpmap:{RtpNumbers.OpusPayloadType} opus/48000/2");
                Line($"a=rtcp-fb:{RtpNumbers.OpusPayloadType} transport-cc");
                Line($"a=fmtp:{RtpNumbers.OpusPayloadType} minptime=10;useinbandfec=1;usedtx=1;cbr=1");
            }
            else
            {
                Line($"a=rtpmap:{RtpNumbers.Vp8PayloadType} VP8/90000");
                foreach (string feedback in new[] { "goog-remb", "transport-cc", "ccm fir", "nack", "nack pli" })
                    Line($"a=rtcp-fb:{RtpNumbers.Vp8PayloadType} {feedback}");
                Line($"a=rtpmap:{RtpNumbers.RtxPayloadType} rtx/90000");
                Line($"a=fmtp:{RtpNumbers.RtxPayloadType} apt={RtpNumbers.Vp8PayloadType}");
                if (track.RtxSsrc is { } rtx)
                    Line(string.Create(CultureInfo.InvariantCulture, $"a=ssrc-group:FID {track.Ssrc} {rtx}"));
            }
            foreach (uint ssrc in track.RtxSsrc is { } r ? new[] { track.Ssrc, r } : [track.Ssrc])
            {
                Line(string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{ssrc} cname:{cname}"));
                Line(string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{ssrc} msid:{streamId} {track.Mid}-{track.Source}"));
            }
        }
        return sdp.ToString();
    }
}
