using System.Buffers.Binary;
using Sotto.Rtc.Rtp.Extensions;

namespace Sotto.Rtc.Rtp;

/// <summary>
/// Writes an RTP packet into a caller's buffer in wire order: fixed header and CSRCs
/// (<see cref="TryCreate"/>), extension elements (<see cref="TryAddExtension"/>, one- or two-byte form
/// chosen up front), the payload, then optional padding (<see cref="TryComplete"/>). A call that does
/// not fit, or comes out of order, returns false and leaves what was written intact.
/// </summary>
public ref struct RtpPacketWriter
{
    private readonly Span<byte> _buffer;
    private readonly ushort _extensionProfile;
    private readonly int _extensionStart;
    private int _length;
    private bool _payloadWritten;
    private bool _completed;

    private RtpPacketWriter(Span<byte> buffer, ushort extensionProfile, int extensionStart, int length)
    {
        _buffer = buffer;
        _extensionProfile = extensionProfile;
        _extensionStart = extensionStart;
        _length = length;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _length;

    /// <summary>The packet as written so far.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer[.._length];

    /// <summary>
    /// Writes the fixed header and <paramref name="csrcs"/> (at most 15). <paramref name="extensionProfile"/>
    /// is 0 for no extension block, <see cref="RtpExtensionProfile.OneByte"/> or <see cref="RtpExtensionProfile.TwoByte"/>.
    /// </summary>
    public static bool TryCreate(Span<byte> buffer, RtpHeader header, ReadOnlySpan<uint> csrcs, ushort extensionProfile, out RtpPacketWriter writer)
    {
        writer = default;
        var hasExtension = extensionProfile != 0;
        if (csrcs.Length > RtpPacket.CsrcCountMask
            || (hasExtension && !RtpExtensionProfile.IsOneByte(extensionProfile) && !RtpExtensionProfile.IsTwoByte(extensionProfile)))
        {
            return false;
        }
        var extensionStart = RtpPacket.FixedHeaderLength + csrcs.Length * RtpPacket.CsrcLength;
        var length = extensionStart + (hasExtension ? RtpPacket.ExtensionHeaderLength : 0);
        if (buffer.Length < length)
        {
            return false;
        }
        buffer[RtpPacket.FirstByteOffset] = (byte)((RtpPacket.Version << 6) | (hasExtension ? RtpPacket.ExtensionBit : 0) | csrcs.Length);
        buffer[RtpPacket.SecondByteOffset] = (byte)((header.Marker ? RtpPacket.MarkerBit : 0) | (header.PayloadType & RtpPacket.PayloadTypeMask));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[RtpPacket.SequenceNumberOffset..], header.SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[RtpPacket.TimestampOffset..], header.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[RtpPacket.SsrcOffset..], header.Ssrc);
        for (var i = 0; i < csrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer[(RtpPacket.CsrcOffset + i * RtpPacket.CsrcLength)..], csrcs[i]);
        }
        if (hasExtension)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer[extensionStart..], extensionProfile);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(extensionStart + 2)..], 0);
        }
        writer = new RtpPacketWriter(buffer, extensionProfile, extensionStart, length);
        return true;
    }

    /// <summary>
    /// Appends an extension element. One-byte form: id 1–14, 1–16 bytes; two-byte form: id 1–255,
    /// 0–255 bytes (RFC 8285 §4.2, §4.3). Only before the payload.
    /// </summary>
    public bool TryAddExtension(byte id, scoped ReadOnlySpan<byte> value)
    {
        if (_extensionProfile == 0 || _payloadWritten || _completed || id == 0)
        {
            return false;
        }
        var oneByte = RtpExtensionProfile.IsOneByte(_extensionProfile);
        int elementHeader;
        if (oneByte)
        {
            if (id > RtpExtensionProfile.OneByteMaxId || value.IsEmpty || value.Length > RtpExtensionProfile.OneByteMaxLength)
            {
                return false;
            }
            elementHeader = 1;
        }
        else
        {
            if (value.Length > byte.MaxValue)
            {
                return false;
            }
            elementHeader = 2;
        }
        var newLength = _length + elementHeader + value.Length;
        // The block is padded to 32 bits later; its word count must still fit 16 bits.
        if (newLength > _buffer.Length || (newLength - _extensionStart - RtpPacket.ExtensionHeaderLength + 3) / 4 > ushort.MaxValue)
        {
            return false;
        }
        var element = _buffer[_length..newLength];
        if (oneByte)
        {
            element[0] = (byte)((id << 4) | (value.Length - 1));
        }
        else
        {
            element[0] = id;
            element[1] = (byte)value.Length;
        }
        value.CopyTo(element[elementHeader..]);
        _length = newLength;
        return true;
    }

    /// <summary>abs-send-time element (<see cref="AbsSendTime"/>).</summary>
    public bool TryAddAbsSendTime(byte id, uint absSendTime24)
    {
        Span<byte> value = stackalloc byte[AbsSendTime.Length];
        return AbsSendTime.TryWrite(value, absSendTime24, out _) && TryAddExtension(id, value);
    }

    /// <summary>transport-wide-cc element (<see cref="TransportSequenceNumber"/>).</summary>
    public bool TryAddTransportSequenceNumber(byte id, ushort sequenceNumber)
    {
        Span<byte> value = stackalloc byte[TransportSequenceNumber.Length];
        return TransportSequenceNumber.TryWrite(value, sequenceNumber, out _) && TryAddExtension(id, value);
    }

    /// <summary>ssrc-audio-level element (<see cref="AudioLevel"/>).</summary>
    public bool TryAddAudioLevel(byte id, AudioLevel level)
    {
        Span<byte> value = stackalloc byte[AudioLevel.Length];
        return level.TryWrite(value, out _) && TryAddExtension(id, value);
    }

    /// <summary>
    /// Closes the extension block (zero padding to 32 bits, RFC 8285 §4.1) and appends the payload.
    /// At most once.
    /// </summary>
    public bool TryWritePayload(scoped ReadOnlySpan<byte> payload)
    {
        if (_payloadWritten || _completed)
        {
            return false;
        }
        var headerEnd = ExtensionEnd();
        if (headerEnd + payload.Length > _buffer.Length)
        {
            return false;
        }
        CloseExtension(headerEnd);
        payload.CopyTo(_buffer[headerEnd..]);
        _length = headerEnd + payload.Length;
        _payloadWritten = true;
        return true;
    }

    /// <summary>
    /// Finishes the packet: closes the extension block if no payload was written, appends
    /// <paramref name="paddingLength"/> bytes of padding (zeros, the last one the count; RFC 3550 §5.1)
    /// and sets P. Returns the packet length in <paramref name="written"/>.
    /// </summary>
    public bool TryComplete(byte paddingLength, out int written)
    {
        written = 0;
        if (_completed)
        {
            return false;
        }
        var end = _payloadWritten ? _length : ExtensionEnd();
        if (end + paddingLength > _buffer.Length)
        {
            return false;
        }
        if (!_payloadWritten)
        {
            CloseExtension(end);
        }
        if (paddingLength > 0)
        {
            _buffer.Slice(end, paddingLength - 1).Clear();
            _buffer[end + paddingLength - 1] = paddingLength;
            _buffer[RtpPacket.FirstByteOffset] |= RtpPacket.PaddingBit;
        }
        _length = end + paddingLength;
        _completed = true;
        written = _length;
        return true;
    }

    /// <summary>Where the header ends once the extension block is padded to 32 bits.</summary>
    private readonly int ExtensionEnd()
    {
        if (_extensionProfile == 0)
        {
            return _length;
        }
        var dataStart = _extensionStart + RtpPacket.ExtensionHeaderLength;
        return dataStart + ((_length - dataStart + 3) & ~3);
    }

    private readonly void CloseExtension(int headerEnd)
    {
        if (_extensionProfile == 0)
        {
            return;
        }
        _buffer[_length..headerEnd].Clear();
        var words = (headerEnd - _extensionStart - RtpPacket.ExtensionHeaderLength) / 4;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_extensionStart + 2)..], (ushort)words);
    }
}
