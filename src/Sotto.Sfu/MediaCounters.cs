namespace Sotto.Sfu;

/// <summary>
/// Packet counters of one room or one participant. Written under the room's lock (one writer at a
/// time), read from anywhere with <see cref="Volatile"/>: no counter is shared across rooms, so
/// the forwarding path never contends on a global cache line.
/// </summary>
public sealed class MediaCounters
{
    internal long PacketsReceivedCount;
    internal long BytesReceivedCount;
    internal long PacketsForwardedCount;
    internal long BytesForwardedCount;
    internal long PacketsLostCount;
    internal long NacksSentCount;
    internal long NacksReceivedCount;
    internal long PlisSentCount;
    internal long PlisReceivedCount;
    internal long RetransmissionsSentCount;
    internal long RetransmissionsReceivedCount;
    internal long PaddingDroppedCount;
    internal long StageDroppedCount;
    internal long MalformedDroppedCount;
    internal long UnknownStreamDroppedCount;
    internal long SenderReportsSentCount;
    internal long ReceiverReportsSentCount;
    internal long TransportCcFeedbacksSentCount;
    internal long PaddingSentCount;
    internal long TransportCcFeedbacksReceivedCount;
    internal long LayerSwitchesCount;

    /// <summary>RTP packets received from publishers (including padding and RTX).</summary>
    public long PacketsReceived => Volatile.Read(ref PacketsReceivedCount);

    /// <summary>RTP bytes received from publishers.</summary>
    public long BytesReceived => Volatile.Read(ref BytesReceivedCount);

    /// <summary>Media RTP packets sent to subscribers (RTX not included).</summary>
    public long PacketsForwarded => Volatile.Read(ref PacketsForwardedCount);

    /// <summary>Media RTP bytes sent to subscribers.</summary>
    public long BytesForwarded => Volatile.Read(ref BytesForwardedCount);

    /// <summary>Upstream packets found missing by sequence number gaps (RFC 3550 §6.4.1 "expected − received" in the making).</summary>
    public long PacketsLost => Volatile.Read(ref PacketsLostCount);

    /// <summary>Generic NACK packets sent to publishers for upstream gaps.</summary>
    public long NacksSent => Volatile.Read(ref NacksSentCount);

    /// <summary>Generic NACK packets received from subscribers.</summary>
    public long NacksReceived => Volatile.Read(ref NacksReceivedCount);

    /// <summary>PLIs sent to publishers (key-frame requests, after rate limiting).</summary>
    public long PlisSent => Volatile.Read(ref PlisSentCount);

    /// <summary>PLIs and FIRs received from subscribers.</summary>
    public long PlisReceived => Volatile.Read(ref PlisReceivedCount);

    /// <summary>RTX packets sent to subscribers in answer to their NACKs.</summary>
    public long RetransmissionsSent => Volatile.Read(ref RetransmissionsSentCount);

    /// <summary>RTX packets received from publishers (answers to our NACKs), padding excluded.</summary>
    public long RetransmissionsReceived => Volatile.Read(ref RetransmissionsReceivedCount);

    /// <summary>Padding-only packets (bandwidth probes, also on SSRC 0) counted for transport-cc and dropped.</summary>
    public long PaddingDropped => Volatile.Read(ref PaddingDroppedCount);

    /// <summary>Padding-only probe packets sent to subscribers (bandwidth probing).</summary>
    public long PaddingSent => Volatile.Read(ref PaddingSentCount);

    /// <summary>transport-cc feedback packets received from subscribers (the downlink estimator's input).</summary>
    public long TransportCcFeedbacksReceived => Volatile.Read(ref TransportCcFeedbacksReceivedCount);

    /// <summary>Layer changes the allocator made for consumers (spatial or temporal, pause included).</summary>
    public long LayerSwitches => Volatile.Read(ref LayerSwitchesCount);

    /// <summary>Packets dropped by a test-only <see cref="Stages.IMediaPathStage"/>.</summary>
    public long StageDropped => Volatile.Read(ref StageDroppedCount);

    /// <summary>Datagrams that were not valid RTP.</summary>
    public long MalformedDropped => Volatile.Read(ref MalformedDroppedCount);

    /// <summary>RTP whose SSRC could not be tied to a published track.</summary>
    public long UnknownStreamDropped => Volatile.Read(ref UnknownStreamDroppedCount);

    /// <summary>Sender reports sent to subscribers.</summary>
    public long SenderReportsSent => Volatile.Read(ref SenderReportsSentCount);

    /// <summary>Receiver reports sent to publishers.</summary>
    public long ReceiverReportsSent => Volatile.Read(ref ReceiverReportsSentCount);

    /// <summary>Transport-cc feedback packets sent to publishers.</summary>
    public long TransportCcFeedbacksSent => Volatile.Read(ref TransportCcFeedbacksSentCount);

    internal void AddTo(MediaCounters total)
    {
        total.PacketsReceivedCount += PacketsReceived;
        total.BytesReceivedCount += BytesReceived;
        total.PacketsForwardedCount += PacketsForwarded;
        total.BytesForwardedCount += BytesForwarded;
        total.PacketsLostCount += PacketsLost;
        total.NacksSentCount += NacksSent;
        total.NacksReceivedCount += NacksReceived;
        total.PlisSentCount += PlisSent;
        total.PlisReceivedCount += PlisReceived;
        total.RetransmissionsSentCount += RetransmissionsSent;
        total.RetransmissionsReceivedCount += RetransmissionsReceived;
        total.PaddingDroppedCount += PaddingDropped;
        total.StageDroppedCount += StageDropped;
        total.MalformedDroppedCount += MalformedDropped;
        total.UnknownStreamDroppedCount += UnknownStreamDropped;
        total.SenderReportsSentCount += SenderReportsSent;
        total.ReceiverReportsSentCount += ReceiverReportsSent;
        total.TransportCcFeedbacksSentCount += TransportCcFeedbacksSent;
        total.PaddingSentCount += PaddingSent;
        total.TransportCcFeedbacksReceivedCount += TransportCcFeedbacksReceived;
        total.LayerSwitchesCount += LayerSwitches;
    }
}
