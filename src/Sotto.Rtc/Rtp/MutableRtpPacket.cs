using System.Buffers.Binary;

namespace Sotto.Rtc.Rtp;

/// <summary>
/// An RTP packet in a writable buffer, for the SFU's rewrite path: SSRC, sequence number,
/// timestamp, payload type and marker are changed in place (no copy), and extension values can be
/// overwritten in place (e.g. a new transport-wide sequence number per outgoing packet).
/// </summary>
public readonly ref struct MutableRtpPacket
{
    private readonly Span<byte> _packet;
    private readonly int _headerLength;
    private readonly int _paddingLength;

    private MutableRtpPacket(Span<byte> packet, int headerLength, int paddingLength)
    {
        _packet = packet;
        _headerLength = headerLength;
        _paddingLength = paddingLength;
    }

    /// <summary>Validates <paramref name="datagram"/> like <see cref="RtpPacket.TryParse"/>. Never throws.</summary>
    public static bool TryParse(Span<byte> datagram, out MutableRtpPacket packet)
    {
        packet = default;
        if (!RtpPacket.TryMeasure(datagram, out var headerLength, out var paddingLength))
        {
            return false;
        }
        packet = new MutableRtpPacket(datagram, headerLength, paddingLength);
        return true;
    }

    /// <summary>The read-only view, for everything that is not rewritten.</summary>
    public RtpPacket View => new(_packet, _headerLength, _paddingLength);

    public uint Ssrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_packet[RtpPacket.SsrcOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_packet[RtpPacket.SsrcOffset..], value);
    }

    public ushort SequenceNumber
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_packet[RtpPacket.SequenceNumberOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_packet[RtpPacket.SequenceNumberOffset..], value);
    }

    public uint Timestamp
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_packet[RtpPacket.TimestampOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_packet[RtpPacket.TimestampOffset..], value);
    }

    /// <summary>The 7-bit payload type; higher bits of the value are ignored.</summary>
    public byte PayloadType
    {
        get => (byte)(_packet[RtpPacket.SecondByteOffset] & RtpPacket.PayloadTypeMask);
        set => _packet[RtpPacket.SecondByteOffset] = (byte)((_packet[RtpPacket.SecondByteOffset] & RtpPacket.MarkerBit) | (value & RtpPacket.PayloadTypeMask));
    }

    public bool Marker
    {
        get => (_packet[RtpPacket.SecondByteOffset] & RtpPacket.MarkerBit) != 0;
        set => _packet[RtpPacket.SecondByteOffset] = (byte)(value
            ? _packet[RtpPacket.SecondByteOffset] | RtpPacket.MarkerBit
            : _packet[RtpPacket.SecondByteOffset] & RtpPacket.PayloadTypeMask);
    }

    /// <summary>
    /// The writable value of the first extension element with <paramref name="id"/>, to overwrite
    /// in place (the length cannot change).
    /// </summary>
    public bool TryGetExtension(byte id, out Span<byte> value)
    {
        var view = View;
        var dataStart = view.HeaderLength - view.ExtensionData.Length;
        var elements = view.Extensions;
        while (elements.MoveNext())
        {
            if (elements.Current.Id == id)
            {
                value = _packet.Slice(dataStart + elements.CurrentValueOffset, elements.Current.Value.Length);
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>The payload, writable (e.g. to rewrite a VP8 picture id in place).</summary>
    public Span<byte> Payload => _packet[_headerLength..(_packet.Length - _paddingLength)];
}
