using Sotto.Sfu.Adaptation;
using Sotto.Sfu.Rtp;

namespace Sotto.Sfu;

/// <summary>
/// One RTP stream of a <see cref="Producer"/>: a simulcast layer (rid) or the only stream of a
/// track. Its SSRC is learned from the first packet whose mid/rid header extensions name it
/// (rid simulcast offers carry no a=ssrc, DESIGN.md §9); its RTX SSRC from repaired-rid.
/// </summary>
internal sealed class ProducerStream
{
    public ProducerStream(Producer producer, int index, string? rid)
    {
        Producer = producer;
        Index = index;
        Rid = rid;
    }

    // Passed by argument.
    public Producer Producer { get; }

    /// <summary>Position in the track's a=simulcast list (low to high), 0 without simulcast.</summary>
    public int Index { get; }

    public string? Rid { get; }

    // Learned from packets.
    public uint Ssrc { get; set; }

    public bool HasSsrc { get; set; }

    public uint RtxSsrc { get; set; }

    public bool HasRtxSsrc { get; set; }

    /// <summary>Width of the last key frame seen (from its clear VP8 header), 0 until one arrives.</summary>
    public int Width { get; set; }

    /// <summary>Height of the last key frame seen, 0 until one arrives: what a tile of that height needs (docs/media.md "Allocation").</summary>
    public int Height { get; set; }

    /// <summary>What this layer costs per temporal layer, measured from the publisher's packets.</summary>
    public LayerBitrate Bitrate { get; } = new();

    public long LastPacketTicks { get; set; } = long.MinValue / 2;

    public long LastKeyFrameRequestTicks { get; set; } = long.MinValue / 2;

    /// <summary>The publisher's last SR for this stream (RFC 3550 §6.4.1): NTP time and the RTP timestamp at that time.</summary>
    public ulong SenderReportNtp { get; set; }

    public uint SenderReportRtp { get; set; }

    public bool HasSenderReport { get; set; }

    public ReceiveStatistics Statistics;

    public NackGenerator Nacks { get; } = new();

    public bool IsActive(long nowTicks, long inactivityTicks) => HasSsrc && nowTicks - LastPacketTicks < inactivityTicks;
}
