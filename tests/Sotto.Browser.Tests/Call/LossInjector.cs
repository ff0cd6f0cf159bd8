using Sotto.Sfu;
using Sotto.Sfu.Stages;

namespace Sotto.Browser.Tests.Call;

/// <summary>Which hop a <see cref="LossInjector"/> drops on.</summary>
public enum LossDirection
{
    /// <summary>Publisher → SFU: the SFU must NACK the publisher (or ask it for a key frame).</summary>
    Upstream,

    /// <summary>SFU → subscriber (after the retransmission cache): the subscriber NACKs the SFU, which answers with RTX.</summary>
    Downstream,
}

/// <summary>
/// A test-only SFU stage (the kernel here has no netem, DESIGN.md §9) that drops video on one hop:
/// random loss of media packets, and bursts that take everything, retransmissions included, so the
/// gap cannot be repaired and only a key frame helps.
/// </summary>
internal sealed class LossInjector(LossDirection direction) : IMediaPathStage
{
    /// <summary>
    /// libwebrtc pads (and probes) with RTX copies of packets it just sent, which can repair an upstream
    /// loss before the SFU notices the gap. An RTX copy of a dropped packet is dropped too while the SFU
    /// cannot have NACKed it yet: less than this after the drop, or before any later packet of the stream
    /// got through (the last packet of a frame is missed only when the next frame starts, often after the
    /// padding already repaired it). So every repair comes from a NACK, as after real loss on a path.
    /// </summary>
    private const long ShadowMilliseconds = 20;

    /// <summary>When a packet was dropped, and the arrival number at that moment (see <see cref="_arrivals"/>).</summary>
    private readonly Dictionary<(uint Ssrc, ushort Sequence), (long Ticks, long Arrival)> _recentlyDropped = [];

    /// <summary>Per upstream SSRC: the arrival number of the last media packet let through (the SFU saw it and NACKed any gap before it).</summary>
    private readonly Dictionary<uint, long> _lastKeptArrival = [];
    private long _arrivals;
    private readonly Lock _gate = new();
    private long _burstUntilTicks;
    private long _noRetransmissionsUntilTicks;

    /// <summary>Probability of dropping a video media packet (not a retransmission): 0 = off.</summary>
    public double RandomLoss { get; set; }

    public int Dropped;

    /// <summary>Drops every video packet for <paramref name="burst"/>, then every retransmission for <paramref name="thenNoRepair"/>.</summary>
    public void StartBurst(TimeSpan burst, TimeSpan thenNoRepair)
    {
        var now = Environment.TickCount64;
        Volatile.Write(ref _noRetransmissionsUntilTicks, now + (long)(burst + thenNoRepair).TotalMilliseconds);
        Volatile.Write(ref _burstUntilTicks, now + (long)burst.TotalMilliseconds);
    }

    public bool OnPacketFromPublisher(scoped in MediaPathPacket packet)
    {
        if (direction != LossDirection.Upstream)
            return true;
        var key = (packet.Ssrc, packet.SequenceNumber); // upstream RTX is unwrapped: the media SSRC and the original sequence number
        var now = Environment.TickCount64;
        lock (_gate)
        {
            var arrival = ++_arrivals;
            if (packet.IsRetransmission && _recentlyDropped.TryGetValue(key, out var dropped)
                && (now - dropped.Ticks < ShadowMilliseconds || _lastKeptArrival.GetValueOrDefault(packet.Ssrc) < dropped.Arrival))
            {
                Interlocked.Increment(ref Dropped);
                return false;
            }
            if (Keep(packet.Kind, packet.IsRetransmission))
            {
                if (!packet.IsRetransmission)
                    _lastKeptArrival[packet.Ssrc] = arrival;
                return true;
            }
            if (!packet.IsRetransmission)
            {
                if (_recentlyDropped.Count > 4096)
                    _recentlyDropped.Clear();
                _recentlyDropped[key] = (now, arrival);
            }
            return false;
        }
    }

    public bool OnPacketToSubscriber(scoped in MediaPathPacket packet) =>
        direction != LossDirection.Downstream || Keep(packet.Kind, packet.IsRetransmission);

    private bool Keep(MediaKind kind, bool isRetransmission)
    {
        if (kind != MediaKind.Video)
            return true;
        var now = Environment.TickCount64;
        var drop = now < Volatile.Read(ref _burstUntilTicks)
            || (isRetransmission && now < Volatile.Read(ref _noRetransmissionsUntilTicks))
            || (!isRetransmission && RandomLoss > 0 && Random.Shared.NextDouble() < RandomLoss);
        if (drop)
            Interlocked.Increment(ref Dropped);
        return !drop;
    }
}
