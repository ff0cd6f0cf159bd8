using Sotto.Rtc.Sdp;

namespace Sotto.Sfu.Negotiation;

/// <summary>
/// The header extension ids on one peer connection (0 = not negotiated). With BUNDLE all m-lines
/// share one RTP session, and Chromium uses one id per URI across its m-lines, so one table serves
/// the whole transport.
/// </summary>
internal readonly record struct RtpExtensionIds(byte Mid, byte Rid, byte RepairedRid, byte AbsSendTime, byte TransportCc)
{
    /// <summary>The ids of the subscribe offer (Sotto's fixed choice).</summary>
    public static RtpExtensionIds Subscribe => new(Mid: 1, Rid: 0, RepairedRid: 0, AbsSendTime: 2, TransportCc: 3);

    /// <summary>The URIs Sotto negotiates (DESIGN.md §3; not ssrc-audio-level: it leaks speech).</summary>
    public static readonly string[] Supported =
    [
        ExtmapAttribute.SdesMid,
        ExtmapAttribute.SdesRtpStreamId,
        ExtmapAttribute.SdesRepairedRtpStreamId,
        ExtmapAttribute.AbsSendTime,
        ExtmapAttribute.TransportWideCc,
    ];

    public static RtpExtensionIds FromOffer(IEnumerable<MediaDescription> media)
    {
        byte mid = 0, rid = 0, repaired = 0, abs = 0, twcc = 0;
        foreach (var m in media)
        {
            foreach (var extmap in m.Extmaps)
            {
                if (extmap.Id is < 1 or > 14)
                {
                    continue; // one-byte form only; Chromium uses 1–14 for these
                }
                var id = (byte)extmap.Id;
                switch (extmap.Uri)
                {
                    case ExtmapAttribute.SdesMid: mid = mid == 0 ? id : mid; break;
                    case ExtmapAttribute.SdesRtpStreamId: rid = rid == 0 ? id : rid; break;
                    case ExtmapAttribute.SdesRepairedRtpStreamId: repaired = repaired == 0 ? id : repaired; break;
                    case ExtmapAttribute.AbsSendTime: abs = abs == 0 ? id : abs; break;
                    case ExtmapAttribute.TransportWideCc: twcc = twcc == 0 ? id : twcc; break;
                    default: break;
                }
            }
        }
        return new RtpExtensionIds(mid, rid, repaired, abs, twcc);
    }

    public byte IdOf(string uri) => uri switch
    {
        ExtmapAttribute.SdesMid => Mid,
        ExtmapAttribute.SdesRtpStreamId => Rid,
        ExtmapAttribute.SdesRepairedRtpStreamId => RepairedRid,
        ExtmapAttribute.AbsSendTime => AbsSendTime,
        ExtmapAttribute.TransportWideCc => TransportCc,
        _ => 0,
    };
}
