namespace Sotto.Rtc.Rtcp;

/// <summary>
/// One packet of an RTCP datagram, as <see cref="RtcpCompoundReader"/> yields it: a view, nothing copied.
/// Hand <see cref="Packet"/> to the matching type's <c>TryParse</c> (e.g. <see cref="SenderReport.TryParse"/>).
/// </summary>
public readonly ref struct RtcpPacket
{
    internal RtcpPacket(RtcpHeader header, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> body)
    {
        Header = header;
        Packet = packet;
        Body = body;
    }

    /// <summary>The common header.</summary>
    public RtcpHeader Header { get; }

    /// <summary>The whole packet: header, body and padding (<see cref="RtcpHeader.PacketLength"/> octets).</summary>
    public ReadOnlySpan<byte> Packet { get; }

    /// <summary>The octets after the header, padding removed.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>PT.</summary>
    public RtcpPacketType PacketType => Header.PacketType;

    /// <summary>FMT of a feedback packet (RFC 4585 §6.1), RC/SC otherwise.</summary>
    public byte Count => Header.Count;
}
