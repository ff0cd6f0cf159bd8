namespace Sotto.Transport;

/// <summary>Per-transport packet counters (racy snapshots for metrics).</summary>
public sealed class WebRtcTransportCounters
{
    internal long RtpReceivedCount;
    internal long RtcpReceivedCount;
    internal long SrtpRejectedCount;
    internal long ReplayedCount;
    internal long MediaBeforeKeysCount;
    internal long MediaHeldCount;
    internal long RtpSentCount;
    internal long RtcpSentCount;
    internal long ChecksAnsweredCount;
    internal long ChecksRejectedCount;

    /// <summary>RTP packets unprotected and delivered.</summary>
    public long RtpReceived => Volatile.Read(ref RtpReceivedCount);

    /// <summary>RTCP packets unprotected and delivered.</summary>
    public long RtcpReceived => Volatile.Read(ref RtcpReceivedCount);

    /// <summary>SRTP/SRTCP packets that failed authentication or were malformed.</summary>
    public long SrtpRejected => Volatile.Read(ref SrtpRejectedCount);

    /// <summary>Replayed SRTP/SRTCP packets dropped by the replay window.</summary>
    public long Replayed => Volatile.Read(ref ReplayedCount);

    /// <summary>Media datagrams that arrived before DTLS finished and were dropped (not handshaking yet, or too many to keep).</summary>
    public long MediaBeforeKeys => Volatile.Read(ref MediaBeforeKeysCount);

    /// <summary>Media datagrams that arrived while the DTLS handshake finished, kept and handed on once the keys existed.</summary>
    public long MediaHeld => Volatile.Read(ref MediaHeldCount);

    /// <summary>RTP packets protected and sent.</summary>
    public long RtpSent => Volatile.Read(ref RtpSentCount);

    /// <summary>RTCP packets protected and sent.</summary>
    public long RtcpSent => Volatile.Read(ref RtcpSentCount);

    /// <summary>Valid connectivity checks answered with success (server side).</summary>
    public long ChecksAnswered => Volatile.Read(ref ChecksAnsweredCount);

    /// <summary>Checks answered with an error (server side).</summary>
    public long ChecksRejected => Volatile.Read(ref ChecksRejectedCount);
}
