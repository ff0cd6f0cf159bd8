namespace Sotto.Rtc.Rtcp;

/// <summary>A received RTP packet, by transport-wide sequence number and arrival time, to report in transport-cc feedback.</summary>
/// <param name="SequenceNumber">The transport-wide sequence number from the RTP header extension.</param>
/// <param name="ArrivalTimeMicros">Arrival time in microseconds on the receiver's monotonic clock.</param>
public readonly record struct TransportCcArrival(ushort SequenceNumber, long ArrivalTimeMicros);

/// <summary>One reported packet of a parsed transport-cc feedback.</summary>
/// <param name="SequenceNumber">Transport-wide sequence number.</param>
/// <param name="Symbol">Its status symbol.</param>
/// <param name="DeltaTicks">Receive delta in 250 µs ticks from the previous received packet (the first from the reference time); 0 if not received.</param>
/// <param name="ArrivalTimeMicros">Reference time plus the deltas so far: the arrival time on the feedback sender's clock, modulo the 24-bit reference time wrap; 0 if not received.</param>
public readonly record struct TransportCcPacketStatus(
    ushort SequenceNumber,
    TransportCcStatusSymbol Symbol,
    int DeltaTicks,
    long ArrivalTimeMicros)
{
    /// <summary>True if the packet arrived.</summary>
    public bool IsReceived => Symbol != TransportCcStatusSymbol.NotReceived;

    /// <summary>Receive delta in microseconds.</summary>
    public long DeltaMicros => DeltaTicks * (long)TransportWideCcFeedback.DeltaTickMicros;
}
