using System.Buffers.Binary;

namespace Sotto.Rtc.Srtp;

/// <summary>
/// The few RTP and RTCP header fields SRTP needs (SSRC, sequence number, where the payload starts).
/// Kept private to the SRTP code on purpose: the transform must not depend on the full RTP parser, and
/// these reads are all it needs.
/// </summary>
internal static class SrtpHeaders
{
    // RFC 3550 §5.1:
    //  0                   1                   2                   3
    //  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    // |V=2|P|X|  CC   |M|     PT      |       sequence number         |
    // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    // |                           timestamp                           |
    // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    // |           synchronization source (SSRC) identifier            |
    // +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
    // |            contributing source (CSRC) identifiers             |
    // |                             ....                              |
    // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    // |      defined by profile       |           length              |  (if X, RFC 3550 §5.3.1)
    // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    // |                        header extension                       |
    public const int RtpFixedHeaderLength = 12;
    private const int RtpSequenceNumberOffset = 2;
    private const int RtpSsrcOffset = 8;
    private const int CsrcLength = 4;
    private const int ExtensionHeaderLength = 4;
    private const int ExtensionLengthOffset = 2;
    private const byte VersionMask = 0xC0;
    private const byte Version2 = 0x80;
    private const byte ExtensionBit = 0x10;
    private const byte CsrcCountMask = 0x0F;

    // RFC 3550 §6.4.1: every RTCP packet (SR, RR, feedback, ...) starts with V|P|RC, PT, length, then
    // the sender's SSRC, which SRTCP keys its IV and replay state with (RFC 3711 §3.4).
    public const int RtcpHeaderLength = 8;
    private const int RtcpSsrcOffset = 4;

    /// <summary>
    /// Reads the SSRC and sequence number of an RTP packet and the length of its header (fixed part,
    /// CSRCs and extension): everything SRTP leaves in the clear (RFC 3711 §3.1).
    /// </summary>
    /// <returns><see cref="SrtpResult.Ok"/>, <see cref="SrtpResult.PacketTooShort"/> or <see cref="SrtpResult.MalformedPacket"/>.</returns>
    public static SrtpResult TryReadRtp(ReadOnlySpan<byte> packet, out uint ssrc, out ushort sequenceNumber, out int headerLength)
    {
        ssrc = 0;
        sequenceNumber = 0;
        headerLength = 0;
        if (packet.Length < RtpFixedHeaderLength)
        {
            return SrtpResult.PacketTooShort;
        }
        var first = packet[0];
        if ((first & VersionMask) != Version2)
        {
            return SrtpResult.MalformedPacket;
        }

        var length = RtpFixedHeaderLength + (first & CsrcCountMask) * CsrcLength;
        if ((first & ExtensionBit) != 0)
        {
            if (packet.Length < length + ExtensionHeaderLength)
            {
                return SrtpResult.MalformedPacket;
            }
            var extensionWords = BinaryPrimitives.ReadUInt16BigEndian(packet[(length + ExtensionLengthOffset)..]);
            length += ExtensionHeaderLength + extensionWords * 4;
        }
        if (packet.Length < length)
        {
            return SrtpResult.MalformedPacket;
        }

        sequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet[RtpSequenceNumberOffset..]);
        ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[RtpSsrcOffset..]);
        headerLength = length;
        return SrtpResult.Ok;
    }

    /// <summary>Reads the sender SSRC of an RTCP packet (the first packet of a compound).</summary>
    public static SrtpResult TryReadRtcp(ReadOnlySpan<byte> packet, out uint ssrc)
    {
        ssrc = 0;
        if (packet.Length < RtcpHeaderLength)
        {
            return SrtpResult.PacketTooShort;
        }
        if ((packet[0] & VersionMask) != Version2)
        {
            return SrtpResult.MalformedPacket;
        }
        ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[RtcpSsrcOffset..]);
        return SrtpResult.Ok;
    }
}
