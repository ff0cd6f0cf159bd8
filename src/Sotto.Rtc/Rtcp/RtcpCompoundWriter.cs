namespace Sotto.Rtc.Rtcp;

/// <summary>
/// Writes several RTCP packets back to back into one buffer (RFC 3550 §6.1 compound packet).
/// </summary>
/// <remarks>
/// Order is enforced: reports (SR/RR) first, then SDES, then feedback and other packets, BYE last
/// (RFC 3550 §6.1: "BYE should be the last packet sent with a given SSRC"). A packet that would break
/// the order or does not fit is refused and leaves the buffer as it was. A compound packet without an
/// SR/RR first is only legal with reduced-size RTCP (RFC 5506), which the writer permits; whether to
/// send one is the session's decision.
/// </remarks>
public ref struct RtcpCompoundWriter
{
    private const int ReportRank = 0;
    private const int SourceDescriptionRank = 1;
    private const int FeedbackRank = 2;
    private const int GoodbyeRank = 3;

    private readonly Span<byte> _destination;
    private int _lastRank;

    /// <summary>Writes into <paramref name="destination"/> from its start.</summary>
    public RtcpCompoundWriter(Span<byte> destination)
    {
        _destination = destination;
        _lastRank = ReportRank;
        BytesWritten = 0;
        PacketCount = 0;
    }

    /// <summary>Octets written so far.</summary>
    public int BytesWritten { get; private set; }

    /// <summary>Packets written so far.</summary>
    public int PacketCount { get; private set; }

    /// <summary>The compound packet written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _destination[..BytesWritten];

    /// <summary>Appends <paramref name="packet"/>; false (nothing written) when out of order or out of room.</summary>
    public bool TryAdd<T>(scoped T packet)
        where T : IRtcpSerializable, allows ref struct
    {
        var rank = RankOf(packet.PacketType);
        if (rank < _lastRank)
        {
            return false;
        }
        if (!packet.TryWrite(_destination[BytesWritten..], out var written))
        {
            return false;
        }
        Commit(rank, written);
        return true;
    }

    /// <summary>
    /// Appends one packet already serialized (e.g. by <see cref="TransportCcFeedbackBuilder"/>); false
    /// unless <paramref name="packet"/> is exactly one well-formed RTCP packet, in order, that fits.
    /// </summary>
    public bool TryAddSerialized(ReadOnlySpan<byte> packet)
    {
        if (!RtcpHeader.TryParsePacket(packet, out var header, out _))
        {
            return false;
        }
        var rank = RankOf(header.PacketType);
        if (rank < _lastRank || !packet.TryCopyTo(_destination[BytesWritten..]))
        {
            return false;
        }
        Commit(rank, packet.Length);
        return true;
    }

    private void Commit(int rank, int written)
    {
        _lastRank = rank;
        BytesWritten += written;
        PacketCount++;
    }

    private static int RankOf(RtcpPacketType packetType) => packetType switch
    {
        RtcpPacketType.SenderReport or RtcpPacketType.ReceiverReport => ReportRank,
        RtcpPacketType.SourceDescription => SourceDescriptionRank,
        RtcpPacketType.Goodbye => GoodbyeRank,
        _ => FeedbackRank,
    };
}
