namespace Sotto.Transport;

/// <summary>What the mux saw, for metrics. Each counter is incremented by one receive loop; reads are racy snapshots.</summary>
public sealed class UdpMuxCounters
{
    internal long ReceivedCount;
    internal long DroppedUnknownKindCount;
    internal long DroppedUnknownAddressCount;
    internal long DroppedUnknownUfragCount;
    internal long DroppedMalformedStunCount;
    internal long DroppedTruncatedCount;
    internal long SendErrorCount;
    internal long HandlerErrorCount;

    /// <summary>Datagrams received.</summary>
    public long Received => Volatile.Read(ref ReceivedCount);

    /// <summary>First byte outside the RFC 7983 ranges we handle.</summary>
    public long DroppedUnknownKind => Volatile.Read(ref DroppedUnknownKindCount);

    /// <summary>DTLS or RTP from an address no valid STUN check has bound yet.</summary>
    public long DroppedUnknownAddress => Volatile.Read(ref DroppedUnknownAddressCount);

    /// <summary>STUN from an unbound address whose USERNAME names no session.</summary>
    public long DroppedUnknownUfrag => Volatile.Read(ref DroppedUnknownUfragCount);

    /// <summary>STUN from an unbound address that does not parse, is not a request, or carries no usable USERNAME.</summary>
    public long DroppedMalformedStun => Volatile.Read(ref DroppedMalformedStunCount);

    /// <summary>Datagrams larger than the receive buffer.</summary>
    public long DroppedTruncated => Volatile.Read(ref DroppedTruncatedCount);

    /// <summary>Exceptions thrown by sessions or their listeners (bugs; the loop survives them).</summary>
    public long HandlerErrors => Volatile.Read(ref HandlerErrorCount);

    /// <summary>Sends the kernel refused.</summary>
    public long SendErrors => Volatile.Read(ref SendErrorCount);
}
