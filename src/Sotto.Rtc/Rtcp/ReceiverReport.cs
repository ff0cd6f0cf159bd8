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
        var blocksLength = header.Count * ReportBlock.Size;
        // Extensions are profile-defined 32-bit words; a partial word can only come from a padding
        // count that is not a multiple of four, which no sender produces and no writer could echo.
        if (body.Length < ReportBlocksOffset + blocksLength
            || RtcpHeader.PadToWord(body.Length - ReportBlocksOffset - blocksLength) != 0)
        {
            return false;
        }
        report = new ReceiverReport(
            BinaryPrimitives.ReadUInt32BigEndian(body[SsrcOffset..]),
            RtcpItemList<ReportBlock>.FromWire(body.Slice(ReportBlocksOffset, blocksLength)),
            body[(ReportBlocksOffset + blocksLength)..]);
        return true;
    }

    /// <inheritdoc/>
    public int GetSerializedLength() =>
        RtcpHeader.Size + ReportBlocksOffset + ReportBlocks.WireLength + ProfileExtensions.Length;

    /// <summary>Writes the packet; false if out of room, more than 31 blocks, or extensions not whole words.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = GetSerializedLength();
        if (ReportBlocks.Count > RtcpHeader.MaxCount
            || RtcpHeader.PadToWord(ProfileExtensions.Length) != 0
            || length > RtcpHeader.MaxPacketLength
            || destination.Length < length)
        {
            return false;
        }
        RtcpHeader.WriteUnpadded(destination, RtcpPacketType.ReceiverReport, ReportBlocks.Count, length);
        var body = destination[RtcpHeader.Size..length];
        BinaryPrimitives.WriteUInt32BigEndian(body[SsrcOffset..], Ssrc);
        ReportBlocks.WriteTo(body[ReportBlocksOffset..]);
        ProfileExtensions.CopyTo(body[(ReportBlocksOffset + ReportBlocks.WireLength)..]);
        written = length;
        return true;
    }
}
