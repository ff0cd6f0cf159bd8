namespace Sotto.Rtc.Rtcp;

/// <summary>A fixed-size entry repeated inside an RTCP packet (report block, NACK item, FIR entry).</summary>
public interface IRtcpListItem<TSelf>
    where TSelf : struct, IRtcpListItem<TSelf>
{
    /// <summary>Octets of one entry on the wire.</summary>
    static abstract int WireSize { get; }

    /// <summary>Reads an entry from the first <see cref="WireSize"/> octets (the caller checked the length).</summary>
    static abstract TSelf Read(ReadOnlySpan<byte> source);

    /// <summary>Writes the entry into the first <see cref="WireSize"/> octets (the caller checked the length).</summary>
    void Write(Span<byte> destination);
}
