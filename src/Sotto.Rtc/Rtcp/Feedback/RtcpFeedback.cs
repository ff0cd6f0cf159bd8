using System.Buffers.Binary;

namespace Sotto.Rtc.Rtcp;

/// <summary>FMT values of the feedback messages this stack speaks.</summary>
public static class RtcpFeedbackFormat
{
    /// <summary>RTPFB FMT 1: Generic NACK (RFC 4585 §6.2.1).</summary>
    public const byte GenericNack = 1;

    /// <summary>RTPFB FMT 15: transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).</summary>
    public const byte TransportWideCc = 15;

    /// <summary>PSFB FMT 1: Picture Loss Indication (RFC 4585 §6.3.1).</summary>
    public const byte PictureLossIndication = 1;

    /// <summary>PSFB FMT 4: Full Intra Request (RFC 5104 §4.3.1).</summary>
    public const byte FullIntraRequest = 4;

    /// <summary>PSFB FMT 15: application layer feedback (RFC 4585 §6.4), carrying REMB.</summary>
    public const byte ApplicationLayer = 15;
}

/// <summary>
/// The common packet format of RTCP feedback messages (RFC 4585 §6.1), shared by RTPFB and PSFB.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|   FMT   |       PT      |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// :            Feedback Control Information (FCI)                 :
/// </code>
/// </remarks>
internal static class RtcpFeedback
{
    /// <summary>Header plus the two SSRCs: the smallest feedback packet (a PLI).</summary>
    public const int CommonLength = RtcpHeader.Size + FciOffset;

    private const int SenderSsrcOffset = 0;
    private const int MediaSsrcOffset = 4;
    private const int FciOffset = 8;

    /// <summary>Parses the common part of one feedback packet of the given PT and FMT.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> packet,
        RtcpPacketType packetType,
        byte format,
        out uint senderSsrc,
        out uint mediaSsrc,
        out ReadOnlySpan<byte> fci)
    {
        senderSsrc = 0;
        mediaSsrc = 0;
        fci = default;
        if (!RtcpHeader.TryParsePacket(packet, out var header, out var body)
            || header.PacketType != packetType
            || header.Count != format
            || body.Length < FciOffset)
        {
            return false;
        }
        senderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[SenderSsrcOffset..]);
        mediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[MediaSsrcOffset..]);
        fci = body[FciOffset..];
        return true;
    }

    /// <summary>
    /// Writes header and SSRCs of an unpadded packet of <paramref name="packetLength"/> octets and returns
    /// the FCI area; the caller checked the length is a whole number of words that fits.
    /// </summary>
    public static Span<byte> WriteCommon(
        Span<byte> destination,
        RtcpPacketType packetType,
        byte format,
        int packetLength,
        uint senderSsrc,
        uint mediaSsrc)
    {
        RtcpHeader.WriteUnpadded(destination, packetType, format, packetLength);
        var body = destination[RtcpHeader.Size..packetLength];
        BinaryPrimitives.WriteUInt32BigEndian(body[SenderSsrcOffset..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(body[MediaSsrcOffset..], mediaSsrc);
        return body[FciOffset..];
    }
}
