using System.Buffers.Binary;

namespace Sotto.Rtc.Rtcp;

/// <summary>
/// SR: sender report (RFC 3550 §6.4.1), parsed as a view over the packet or built from values.
/// </summary>
/// <remarks>
/// <code>
///         0                   1                   2                   3
///         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header |V=2|P|    RC   |   PT=SR=200   |             length            |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                         SSRC of sender                        |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// sender |              NTP timestamp, most significant word             |
/// info   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |             NTP timestamp, least significant word             |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                         RTP timestamp                         |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                     sender's packet count                     |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                      sender's octet count                     |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// report |                 report block 1 (24 octets)                    |
/// blocks :                              ...                              :
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///        |                  profile-specific extensions                  |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The NTP/RTP timestamp pair is what aligns simulcast layers and audio with video (DESIGN.md §9).
/// </remarks>
public readonly ref struct SenderReport : IRtcpSerializable
{
    private const int SsrcOffset = 0;
    private const int NtpTimestampOffset = 4;
    private const int RtpTimestampOffset = 12;
    private const int PacketCountOffset = 16;
    private const int OctetCountOffset = 20;
    private const int ReportBlocksOffset = 24;

    /// <summary>Builds a sender report to write.</summary>
    public SenderReport(
        uint ssrc,
        ulong ntpTimestamp,
        uint rtpTimestamp,
        uint packetCount,
        uint octetCount,
        ReadOnlySpan<ReportBlock> reportBlocks = default,
        ReadOnlySpan<byte> profileExtensions = default)
        : this(ssrc, ntpTimestamp, rtpTimestamp, packetCount, octetCount, new RtcpItemList<ReportBlock>(reportBlocks), profileExtensions)
    {
    }

    private SenderReport(
        uint ssrc,
        ulong ntpTimestamp,
        uint rtpTimestamp,
        uint packetCount,
        uint octetCount,
        RtcpItemList<ReportBlock> reportBlocks,
        ReadOnlySpan<byte> profileExtensions)
    {
        Ssrc = ssrc;
        NtpTimestamp = ntpTimestamp;
        RtpTimestamp = rtpTimestamp;
        PacketCount = packetCount;
        OctetCount = octetCount;
        ReportBlocks = reportBlocks;
        ProfileExtensions = profileExtensions;
    }

    /// <summary>SSRC of the sender.</summary>
    public uint Ssrc { get; }

    /// <summary>64-bit NTP timestamp (seconds since 1900 in the high word, fraction in the low word).</summary>
    public ulong NtpTimestamp { get; }

    /// <summary>The RTP timestamp of the same instant as <see cref="NtpTimestamp"/>.</summary>
    public uint RtpTimestamp { get; }

    /// <summary>RTP packets sent since the start.</summary>
    public uint PacketCount { get; }

    /// <summary>RTP payload octets sent since the start.</summary>
    public uint OctetCount { get; }

    /// <summary>Reception reports (at most 31).</summary>
    public RtcpItemList<ReportBlock> ReportBlocks { get; }

    /// <summary>Profile-specific extension octets after the report blocks (usually empty).</summary>
    public ReadOnlySpan<byte> ProfileExtensions { get; }

    /// <summary>The middle 32 bits of <see cref="NtpTimestamp"/>: what a receiver echoes as LSR (RFC 3550 §6.4.1).</summary>
    public uint CompactNtpTimestamp => (uint)(NtpTimestamp >> 16);

    /// <inheritdoc/>
    public RtcpPacketType PacketType => RtcpPacketType.SenderReport;

    /// <summary>Parses exactly one SR packet.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out SenderReport report)
    {
        report = default;
        if (!RtcpHeader.TryParsePacket(packet, out var header, out var body)
            || header.PacketType != RtcpPacketType.SenderReport)
        {
            return false;
        }
        if (!ReportSection.TrySplit(body, ReportBlocksOffset, header.Count, out var blocks, out var extensions))
        {
            return false;
        }
        report = new SenderReport(
            BinaryPrimitives.ReadUInt32BigEndian(body[SsrcOffset..]),
            BinaryPrimitives.ReadUInt64BigEndian(body[NtpTimestampOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(body[RtpTimestampOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(body[PacketCountOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(body[OctetCountOffset..]),
            blocks,
            extensions);
        return true;
    }

    /// <inheritdoc/>
    public int GetSerializedLength() => ReportSection.GetPacketLength(ReportBlocksOffset, ReportBlocks, ProfileExtensions);

    /// <summary>Writes the packet; false if out of room, more than 31 blocks, or extensions not whole words.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        if (!ReportSection.TryWrite(destination, RtcpPacketType.SenderReport, ReportBlocksOffset, ReportBlocks, ProfileExtensions, out var body, out written))
        {
            return false;
        }
        BinaryPrimitives.WriteUInt32BigEndian(body[SsrcOffset..], Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(body[NtpTimestampOffset..], NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(body[RtpTimestampOffset..], RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(body[PacketCountOffset..], PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(body[OctetCountOffset..], OctetCount);
        return true;
    }
}
