using System.Net;

namespace Sotto.Sfu;

/// <summary>
/// Knobs of the selective forwarding unit (configuration section <c>Sotto:Media</c>). Every timer is
/// configurable so tests run in seconds (DESIGN.md §7).
/// </summary>
public sealed class SfuOptions
{
    /// <summary>The one UDP port for every participant (DESIGN.md §3); 0 in tests.</summary>
    public int Port { get; set; } = 10000;

    /// <summary>The local address to bind; the dual-stack wildcard by default.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.IPv6Any;

    /// <summary>
    /// The address put into our ICE candidate: the public IP behind NAT or in a container. Null
    /// announces 127.0.0.1 for a wildcard bind (good for one machine only) or the bound address.
    /// </summary>
    public IPAddress? AnnouncedAddress { get; set; }

    /// <summary>
    /// Receive loops on the UDP port (Linux: one thread and SO_REUSEPORT socket each; elsewhere 1). 0: one
    /// per core the process may use. Rooms whose participants hash to different loops forward in parallel.
    /// </summary>
    public int ReceiveLoops { get; set; }

    /// <summary>A transport with no valid ICE check for this long is closed and its participant's media removed (RFC 7675).</summary>
    public TimeSpan ConsentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often transport-cc feedback and NACKs go to publishers (DESIGN.md §9: feedback from the first packet, every 50–100 ms).</summary>
    public TimeSpan FeedbackInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often receiver reports go to publishers (RFC 3550 §6.2 allows ~1 s for a few streams).</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Least time between two key-frame requests (PLI) for one publisher stream.</summary>
    public TimeSpan KeyFrameRequestInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A simulcast layer with no packet for this long counts as stopped.</summary>
    public TimeSpan LayerInactivityTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Most packets kept per subscriber video stream to answer NACKs with RTX (a power of two).</summary>
    public int RetransmissionBufferPackets { get; set; } = 512;

    /// <summary>
    /// How long a sent video packet is kept for a NACK. libwebrtc keeps its own sent packets for at least
    /// 1 s (and 3 RTT); a repair later than that arrives after the receiver's jitter buffer gave up and
    /// asked for a key frame. Older packets' buffers go back to the pool, so memory per subscribed video
    /// follows its bitrate instead of <see cref="RetransmissionBufferPackets"/> × 2 KiB.
    /// </summary>
    public TimeSpan RetransmissionHistory { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the SFU asks a publisher again for an upstream packet it still misses.</summary>
    public TimeSpan NackRetryInterval { get; set; } = TimeSpan.FromMilliseconds(60);

    /// <summary>How many NACKs one missing upstream packet gets before it is given up.</summary>
    public int NackMaxRetries { get; set; } = 8;

    /// <summary>How often each subscriber's downlink estimate is shared out across its tracks and the dominant speaker re-evaluated.</summary>
    public TimeSpan AllocationInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The downlink estimate before a subscriber's first transport-cc feedback (GCC starts low and ramps; 2.5 Mbit/s is Jitsi's start).</summary>
    public long InitialDownlinkBitsPerSecond { get; set; } = 2_500_000;

    /// <summary>Video only for the N most recent dominant speakers (plus pinned participants and screen shares); 0 or less: everyone.</summary>
    public int LastN { get; set; }

    /// <summary>Whether the SFU probes a subscriber's downlink (padding) when the estimate keeps it below what its tiles need.</summary>
    public bool Probing { get; set; } = true;

    /// <summary>A layer nobody needed for this long is reported to its publisher as not needed (adding one is reported at once).</summary>
    public TimeSpan LayerReleaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound on participants per room the SFU accepts (the Rooms layer enforces its own limit first).</summary>
    public int MaxParticipantsPerRoom { get; set; } = 64;
}
