using System.Buffers.Binary;

namespace Sotto.Rtc.Rtcp;

/// <summary>
/// The header every RTCP packet starts with (RFC 3550 §6.4.1).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  count  |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// <c>count</c> is RC (SR, RR), SC (SDES, BYE) or FMT (RTPFB, PSFB; RFC 4585 §6.1).
/// <c>length</c> is the packet length in 32-bit words minus one, header and padding included, so a
/// packet is always a whole number of words. When P is set the last octet of the packet says how many
/// octets of padding (itself included) end it.
/// </remarks>
public readonly record struct RtcpHeader
{
    /// <summary>Octets in the header.</summary>
    public const int Size = 4;

    /// <summary>The only RTP/RTCP version (RFC 3550 §6.4.1).</summary>
    public const int ProtocolVersion = 2;

    /// <summary>Largest value of the 5-bit count/FMT field.</summary>
    public const int MaxCount = 31;

    /// <summary>Longest packet the 16-bit length field can describe.</summary>
    public const int MaxPacketLength = (ushort.MaxValue + 1) * 4;

    private const int FirstOctetOffset = 0;
    private const int PacketTypeOffset = 1;
    private const int LengthOffset = 2;
    private const int VersionShift = 6;
    private const byte PaddingBit = 0x20;
    private const byte CountMask = 0x1F;

    /// <summary>Creates a header; <paramref name="lengthInWords"/> is the wire value (words minus one).</summary>
    public RtcpHeader(RtcpPacketType packetType, int count, ushort lengthInWords, bool padding = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        PacketType = packetType;
        Count = (byte)count;
        LengthInWords = lengthInWords;
        Padding = padding;
    }

    /// <summary>P: the packet ends with padding octets.</summary>
    public bool Padding { get; }

    /// <summary>RC, SC or FMT (5 bits).</summary>
    public byte Count { get; }

    /// <summary>PT.</summary>
    public RtcpPacketType PacketType { get; }

    /// <summary>The length field: packet length in 32-bit words minus one.</summary>
    public ushort LengthInWords { get; }

    /// <summary>Packet length in octets, header and padding included.</summary>
    public int PacketLength => (LengthInWords + 1) * 4;

    /// <summary>Reads a header from the first four octets of <paramref name="source"/>; false unless V=2.</summary>
    public static bool TryParse(ReadOnlySpan<byte> source, out RtcpHeader header)
    {
        header = default;
        if (source.Length < Size)
        {
            return false;
        }
        var first = source[FirstOctetOffset];
        if (first >> VersionShift != ProtocolVersion)
        {
            return false;
        }
        header = new RtcpHeader(
            (RtcpPacketType)source[PacketTypeOffset],
            first & CountMask,
            BinaryPrimitives.ReadUInt16BigEndian(source[LengthOffset..]),
            (first & PaddingBit) != 0);
        return true;
    }

    /// <summary>Writes the four header octets.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size)
        {
            return false;
        }
        destination[FirstOctetOffset] = (byte)((ProtocolVersion << VersionShift) | (Padding ? PaddingBit : 0) | Count);
        destination[PacketTypeOffset] = (byte)PacketType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[LengthOffset..], LengthInWords);
        written = Size;
        return true;
    }

    /// <summary>Always <see cref="Size"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Instance member: every wire type offers the same GetSerializedLength/TryWrite pair.")]
    public int GetSerializedLength() => Size;

    /// <summary>
    /// Splits exactly one packet (as <see cref="RtcpCompoundReader"/> yields it) into header and body:
    /// the body starts after the header and stops before any padding. False when the length field does
    /// not match <paramref name="packet"/>'s length or the padding count is impossible.
    /// </summary>
    public static bool TryParsePacket(ReadOnlySpan<byte> packet, out RtcpHeader header, out ReadOnlySpan<byte> body)
    {
        body = default;
        if (!TryParse(packet, out header) || header.PacketLength != packet.Length)
        {
            return false;
        }
        var bodyLength = packet.Length - Size;
        if (header.Padding)
        {
            // RFC 3550 §6.4.1: the last octet counts the padding octets, itself included; zero is
            // meaningless and more than the body cannot be.
            int paddingLength = packet[^1];
            if (paddingLength == 0 || paddingLength > bodyLength)
            {
                return false;
            }
            bodyLength -= paddingLength;
        }
        body = packet.Slice(Size, bodyLength);
        return true;
    }

    /// <summary>
    /// Writes the header of an unpadded packet of <paramref name="packetLength"/> octets (a multiple of
    /// four, at least <see cref="Size"/>, at most <see cref="MaxPacketLength"/>); callers check these.
    /// </summary>
    internal static void WriteUnpadded(Span<byte> destination, RtcpPacketType packetType, int count, int packetLength)
    {
        destination[FirstOctetOffset] = (byte)((ProtocolVersion << VersionShift) | count);
        destination[PacketTypeOffset] = (byte)packetType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[LengthOffset..], (ushort)((packetLength / 4) - 1));
    }

    /// <summary>Octets to add to reach the next 32-bit boundary.</summary>
    internal static int PadToWord(int length) => (4 - (length & 3)) & 3;
}
