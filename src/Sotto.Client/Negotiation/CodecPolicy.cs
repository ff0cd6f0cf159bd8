using Sotto.Rtc.Sdp;

namespace Sotto.Client.Negotiation;

/// <summary>
/// §S7 codec policy, checked on the server's publish answer before anything is sent: no RED, no
/// audio-level header extension (it leaks who speaks), Opus with <c>cbr=1</c> (variable bitrate
/// leaks speech content through packet sizes), and only VP8 for video. Otherwise we refuse to send.
/// </summary>
internal static class CodecPolicy
{
    public static void ThrowIfViolated(SessionDescription answer)
    {
        foreach (MediaDescription media in answer.Media.Where(m => !m.IsRejected))
        {
            if (media.Extmaps.Any(e => e.Uri == ExtmapAttribute.AudioLevel))
                throw new InvalidOperationException("codec policy: the answer negotiates the audio-level extension");
            foreach (int pt in media.PayloadTypes)
            {
                string name = media.GetRtpMap(pt)?.EncodingName.ToUpperInvariant() ?? "";
                if (name is "RED" or "ULPFEC" or "H264" or "VP9" or "AV1")
                    throw new InvalidOperationException($"codec policy: the answer negotiates {name}");
                if (name == "OPUS" && media.GetFmtpParameter(pt, "cbr") != "1")
                    throw new InvalidOperationException("codec policy: Opus without cbr=1");
            }
        }
    }
}
