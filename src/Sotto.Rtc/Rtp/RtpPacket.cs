using System.Buffers.Binary;

namespace Sotto.Rtc.Rtp;

/// <summary>
/// A read-only view of an RTP packet (RFC 3550 §5.1) over the datagram: copies nothing, allocates
/// nothing. <see cref="TryParse"/> checks that the CSRC list, the extension block and the padding
/// all fit, so every property below is in bounds.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  defined by profile (0xBEDE…) |           length (words)      |  if X (§5.3.1)
/// |                        header extension                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      payload  ...     | padding ... | count   |  count if P
/// </code>
/// </summary>
public readonly ref struct RtpPacket
{
    public const int FixedHeaderLength = 12;
    public const int Version = 2;
    internal const int CsrcLength = 4;
    internal const int ExtensionHeaderLength = 4;

    internal const int FirstByteOffset = 0;
    internal const int SecondByteOffset = 1;
    internal const int SequenceNumberOffset = 2;
    internal const int TimestampOffset = 4;
    internal const int SsrcOffset = 8;
    internal const int CsrcOffset = 12;

    internal const byte VersionMask = 0xC0;
    internal const byte PaddingBit = 0x20;
    internal const byte ExtensionBit = 0x10;
    internal const byte CsrcCountMask = 0x0F;
    internal const byte MarkerBit = 0x80;
    internal const byte PayloadTypeMask = 0x7F;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _headerLength;
    private readonly int _paddingLength;

    /// <summary>For a buffer <see cref="TryMeasure"/> already validated.</summary>
    internal RtpPacket(ReadOnlySpan<byte> packet, int headerLength, int paddingLength)
    {
        _packet = packet;
        _headerLength = headerLength;
        _paddingLength = paddingLength;
    }

    /// <summary>Parses <paramref name="datagram"/> as one RTP packet. Never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out RtpPacket packet)
    {
        packet = default;
        if (!TryMeasure(datagram, out var headerLength, out var paddingLength))
        {
            return false;
        }
        packet = new RtpPacket(datagram, headerLength, paddingLength);
        return true;
    }

    /// <summary>Validates the layout and returns the header length (fixed header, CSRCs, extension) and padding length.</summary>
    internal static bool TryMeasure(ReadOnlySpan<byte> datagram, out int headerLength, out int paddingLength)
    {
        headerLength = 0;
        paddingLength = 0;
        if (datagram.Length < FixedHeaderLength || (datagram[FirstByteOffset] >> 6) != Version)
        {
            return false;
        }
        var first = datagram[FirstByteOffset];
        var length = FixedHeaderLength + (first & CsrcCountMask) * CsrcLength;
        if ((first & ExtensionBit) != 0)
        {
            if (datagram.Length < length + ExtensionHeaderLength)
            {
                return false;
            }
            var words = BinaryPrimitives.ReadUInt16BigEndian(datagram[(length + 2)..]);
            length += ExtensionHeaderLength + words * 4;
        }
        if (length > datagram.Length)
        {
            return false;
        }
        if ((first & PaddingBit) != 0)
        {
            // §5.1: the last octet counts the padding, itself included, so it is at least 1.
            int padding = datagram[^1];
            if (padding == 0 || padding > datagram.Length - length)
            {
                return false;
            }
            paddingLength = padding;
        }
        headerLength = length;
        return true;
    }

    public bool HasPadding => (_packet[FirstByteOffset] & PaddingBit) != 0;

    public bool HasExtension => (_packet[FirstByteOffset] & ExtensionBit) != 0;

    public int CsrcCount => _packet[FirstByteOffset] & CsrcCountMask;

    public bool Marker => (_packet[SecondByteOffset] & MarkerBit) != 0;

    public byte PayloadType => (byte)(_packet[SecondByteOffset] & PayloadTypeMask);

    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_packet[SequenceNumberOffset..]);

    public uint Timestamp => BinaryPrimitives.ReadUInt32BigEndian(_packet[TimestampOffset..]);

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_packet[SsrcOffset..]);

    /// <summary>The <paramref name="index"/>-th CSRC (0 ≤ index &lt; <see cref="CsrcCount"/>).</summary>
    public uint GetCsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(_packet[(CsrcOffset + index * CsrcLength)..]);
    }

    /// <summary>The 16-bit "defined by profile" field: 0xBEDE one-byte, 0x100X two-byte (RFC 8285). 0 without extension.</summary>
    public ushort ExtensionProfile => HasExtension ? BinaryPrimitives.ReadUInt16BigEndian(_packet[ExtensionStart..]) : (ushort)0;

    /// <summary>The extension data after its 4-byte header (empty without extension).</summary>
    public ReadOnlySpan<byte> ExtensionData => HasExtension ? _packet[(ExtensionStart + ExtensionHeaderLength).._headerLength] : default;

    /// <summary>Fixed header + CSRCs + extension block.</summary>
    public int HeaderLength => _headerLength;

    /// <summary>Padding bytes at the end, including the count octet (0 without P).</summary>
    public int PaddingLength => _paddingLength;

    /// <summary>The payload, without header and padding.</summary>
    public ReadOnlySpan<byte> Payload => _packet[_headerLength..(_packet.Length - _paddingLength)];

    /// <summary>The whole packet.</summary>
    public ReadOnlySpan<byte> RawBytes => _packet;

    /// <summary>
    /// True when nothing is left once header and padding are removed: libwebrtc's bandwidth probes
    /// (also sent on SSRC 0). The SFU counts them for transport-cc and never forwards them.
    /// </summary>
    public bool IsPaddingOnly => _packet.Length - _paddingLength == _headerLength;

    /// <summary>The header extension elements (RFC 8285), one- or two-byte form. Empty for other profiles.</summary>
    public RtpHeaderExtensionEnumerator Extensions => new(ExtensionProfile, ExtensionData);

    /// <summary>Finds the first extension element with local identifier <paramref name="id"/>.</summary>
    public bool TryGetExtension(byte id, out ReadOnlySpan<byte> value)
    {
        foreach (var element in Extensions)
        {
            if (element.Id == id)
            {
                value = element.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    private int ExtensionStart => FixedHeaderLength + CsrcCount * CsrcLength;
}
