using System.Buffers.Binary;

namespace Sotto.Rtc.Rtcp;

/// <summary>
/// RR: receiver report (RFC 3550 §6.4.2), parsed as a view over the packet or built from values.
/// </summary>
/// <remarks>
/// <code>
///         0                   1                   2                   3
///         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header |V=2|P|    RC   |   PT=RR=201   |             length            |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                     SSRC of packet sender                     |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// report |                 report block 1 (24 octets)                    |
/// blocks :                              ...                              :
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///        |                  profile-specific extensions                  |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// An RR with RC=0 is how a receiver that has received nothing still starts a compound packet (§6.1).
/// </remarks>
public readonly ref struct ReceiverReport : IRtcpSerializable
{
    private const int SsrcOffset = 0;
    private const int ReportBlocksOffset = 4;

    /// <summary>Builds a receiver report to write.</summary>
    public ReceiverReport(uint ssrc, ReadOnlySpan<ReportBlock> reportBlocks = default, ReadOnlySpan<byte> profileExtensions = default)
        : this(ssrc, new RtcpItemList<ReportBlock>(reportBlocks), profileExtensions)
    {
    }

    private ReceiverReport(uint ssrc, RtcpItemList<ReportBlock> reportBlocks, ReadOnlySpan<byte> profileExtensions)
    {
        Ssrc = ssrc;
        ReportBlocks = reportBlocks;
        ProfileExtensions = profileExtensions;
    }

    /// <summary>SSRC of the packet sender.</summary>
    public uint Ssrc { get; }

    /// <summary>Reception reports (at most 31).</summary>
    public RtcpItemList<ReportBlock> ReportBlocks { get; }

    /// <summary>Profile-specific extension octets after the report blocks (usually empty).</summary>
    public ReadOnlySpan<byte> ProfileExtensions { get; }

    /// <inheritdoc/>
    public RtcpPacketType PacketType => RtcpPacketType.ReceiverReport;

    /// <summary>Parses exactly one RR packet.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out ReceiverReport report)
    {
        report = default;
        if (!RtcpHeader.TryParsePacket(packet, out var header, out var body)
            || header.PacketType != RtcpPacketType.ReceiverReport)
        {
            return false;
        }
        if (!ReportSection.TrySplit(body, ReportBlocksOffset, header.Count, out var blocks, out var extensions))
        {
            return false;
        }
        report = new ReceiverReport(
            BinaryPrimitives.ReadUInt32BigEndian(body[SsrcOffset..]),
            blocks,
            extensions);
        return true;
    }

    /// <inheritdoc/>
    public int GetSerializedLength() => ReportSection.GetPacketLength(ReportBlocksOffset, ReportBlocks, ProfileExtensions);

    /// <summary>Writes the packet; false if out of room, more than 31 blocks, or extensions not whole words.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        if (!ReportSection.TryWrite(destination, RtcpPacketType.ReceiverReport, ReportBlocksOffset, ReportBlocks, ProfileExtensions, out var body, out written))
        {
            return false;
        }
        BinaryPrimitives.WriteUInt32BigEndian(body[SsrcOffset..], Ssrc);
        return true;
    }
}
