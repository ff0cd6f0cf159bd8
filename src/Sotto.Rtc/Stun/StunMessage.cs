using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Sotto.Rtc.Stun;

/// <summary>
/// A parsed STUN message (RFC 8489, wire compatible with RFC 5389): a view over the datagram that
/// copies nothing and allocates nothing. <see cref="TryParse"/> validates the header and walks every
/// attribute once, so later lookups and enumeration cannot run out of bounds.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Transaction ID (96 bits)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  attributes: Type (16) | Length (16) | Value, padded to 32 bits ...
/// </code>
/// </summary>
/// <remarks>
/// Rules applied while parsing (RFC 8489 §6.3, §14): the two top bits are zero, the magic cookie is
/// 0x2112A442, the length is a multiple of 4 and covers the datagram exactly (over UDP a STUN
/// message is a whole datagram), every attribute fits, MESSAGE-INTEGRITY is 20 bytes, FINGERPRINT is
/// 4 bytes and is the last attribute. Attributes after MESSAGE-INTEGRITY other than FINGERPRINT and
/// MESSAGE-INTEGRITY-SHA256 must be ignored (§14.5): lookups do not see them.
/// </remarks>
public readonly ref struct StunMessage
{
    public const int HeaderLength = 20;
    public const int TransactionIdLength = 12;
    public const uint MagicCookie = 0x2112A442;
    internal const int AttributeHeaderLength = 4;

    /// <summary>HMAC-SHA1 output length: the MESSAGE-INTEGRITY value (RFC 8489 §14.5).</summary>
    public const int MessageIntegrityLength = 20;

    /// <summary>The FINGERPRINT value length (RFC 8489 §14.7).</summary>
    public const int FingerprintLength = 4;

    /// <summary>XORed into the CRC-32 so FINGERPRINT differs from CRCs of other protocols (RFC 8489 §14.7).</summary>
    public const uint FingerprintXor = 0x5354554E;

    private const int TypeOffset = 0;
    private const int LengthOffset = 2;
    private const int MagicCookieOffset = 4;
    private const int TransactionIdOffset = 8;

    // Messages up to this size are copied to the stack for the MESSAGE-INTEGRITY HMAC; larger ones
    // (not seen in ICE, whose checks are ~100 bytes) use a pooled buffer.
    private const int IntegrityStackLimit = 512;

    private readonly ReadOnlySpan<byte> _message;
    private readonly int _integrityOffset;
    private readonly int _fingerprintOffset;
    private readonly int _visibleEnd;
    private readonly int _unknownRequiredCount;

    private StunMessage(ReadOnlySpan<byte> message, int integrityOffset, int fingerprintOffset, int visibleEnd, int unknownRequiredCount)
    {
        _message = message;
        _integrityOffset = integrityOffset;
        _fingerprintOffset = fingerprintOffset;
        _visibleEnd = visibleEnd;
        _unknownRequiredCount = unknownRequiredCount;
    }

    /// <summary>The 14-bit message type (method and class interleaved).</summary>
    public ushort MessageType => BinaryPrimitives.ReadUInt16BigEndian(_message[TypeOffset..]);

    public StunMethod Method => StunMessageType.GetMethod(MessageType);

    public StunMessageClass Class => StunMessageType.GetClass(MessageType);

    /// <summary>The 96-bit transaction id.</summary>
    public ReadOnlySpan<byte> TransactionId => _message.Slice(TransactionIdOffset, TransactionIdLength);

    /// <summary>The whole message, header included.</summary>
    public ReadOnlySpan<byte> RawBytes => _message;

    public bool HasMessageIntegrity => _integrityOffset >= 0;

    public bool HasFingerprint => _fingerprintOffset >= 0;

    /// <summary>Number of comprehension-required attributes we do not understand (before MESSAGE-INTEGRITY).</summary>
    public int UnknownComprehensionRequiredCount => _unknownRequiredCount;

    /// <summary>
    /// Quick test for the RFC 7983 demultiplexer and for callers that only need to know whether a
    /// datagram looks like STUN: top bits zero, magic cookie present, length consistent.
    /// </summary>
    public static bool IsStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderLength
        && (datagram[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(datagram[MagicCookieOffset..]) == MagicCookie
        && BinaryPrimitives.ReadUInt16BigEndian(datagram[LengthOffset..]) == datagram.Length - HeaderLength;

    /// <summary>Parses and validates <paramref name="datagram"/> as one STUN message. Never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out StunMessage message)
    {
        message = default;
        if (datagram.Length < HeaderLength || (datagram[0] & 0xC0) != 0)
        {
            return false;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[MagicCookieOffset..]) != MagicCookie)
        {
            return false;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[LengthOffset..]);
        if ((length & 3) != 0 || length != datagram.Length - HeaderLength)
        {
            return false;
        }

        var integrityOffset = -1;
        var fingerprintOffset = -1;
        var visibleEnd = datagram.Length;
        var unknownRequired = 0;
        var offset = HeaderLength;
        while (offset < datagram.Length)
        {
            if (fingerprintOffset >= 0)
            {
                return false; // FINGERPRINT must be the last attribute (§14.7).
            }
            // offset and the end are both multiples of 4, so a whole attribute header is present.
            var type = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            var next = offset + AttributeHeaderLength + Pad4(valueLength);
            if (next > datagram.Length)
            {
                return false;
            }

            switch (type)
            {
                case StunAttributeType.Fingerprint:
                    if (valueLength != FingerprintLength)
                    {
                        return false;
                    }
                    fingerprintOffset = offset;
                    break;
                case StunAttributeType.MessageIntegrity when integrityOffset < 0:
                    if (valueLength != MessageIntegrityLength)
                    {
                        return false;
                    }
                    integrityOffset = offset;
                    visibleEnd = next;
                    break;
                default:
                    if (integrityOffset < 0 && StunAttributeType.IsUnknownComprehensionRequired(type))
                    {
                        unknownRequired++;
                    }
                    break;
            }
            offset = next;
        }

        message = new StunMessage(datagram, integrityOffset, fingerprintOffset, visibleEnd, unknownRequired);
        return true;
    }

    /// <summary>Every attribute in wire order, including any after MESSAGE-INTEGRITY.</summary>
    public StunAttributeEnumerator Attributes => new(_message[HeaderLength..]);

    /// <summary>
    /// Finds the first attribute of <paramref name="type"/> (RFC 8489 §14: only the first occurrence
    /// of a type needs processing). Attributes after MESSAGE-INTEGRITY are not visible, except
    /// FINGERPRINT.
    /// </summary>
    public bool TryGetAttribute(ushort type, out ReadOnlySpan<byte> value)
    {
        foreach (var attribute in new StunAttributeEnumerator(_message[HeaderLength.._visibleEnd]))
        {
            if (attribute.Type == type)
            {
                value = attribute.Value;
                return true;
            }
        }
        if (type == StunAttributeType.Fingerprint && _fingerprintOffset >= 0)
        {
            value = _message.Slice(_fingerprintOffset + AttributeHeaderLength, FingerprintLength);
            return true;
        }
        value = default;
        return false;
    }

    public bool HasAttribute(ushort type) => TryGetAttribute(type, out _);

    /// <summary>
    /// Copies the types of the unknown comprehension-required attributes (for UNKNOWN-ATTRIBUTES in
    /// a 420 answer, RFC 8489 §14.9) into <paramref name="destination"/>; returns how many were copied.
    /// </summary>
    public int CopyUnknownComprehensionRequired(Span<ushort> destination)
    {
        var count = 0;
        foreach (var attribute in new StunAttributeEnumerator(_message[HeaderLength.._visibleEnd]))
        {
            if (count == destination.Length)
            {
                break;
            }
            if (StunAttributeType.IsUnknownComprehensionRequired(attribute.Type))
            {
                destination[count++] = attribute.Type;
            }
        }
        return count;
    }

    /// <summary>USERNAME as UTF-8 bytes (RFC 8489 §14.3).</summary>
    public bool TryGetUsername(out ReadOnlySpan<byte> username) => TryGetAttribute(StunAttributeType.Username, out username);

    /// <summary>PRIORITY (RFC 8445 §7.1.1).</summary>
    public bool TryGetPriority(out uint priority)
    {
        if (TryGetAttribute(StunAttributeType.Priority, out var value) && value.Length == 4)
        {
            priority = BinaryPrimitives.ReadUInt32BigEndian(value);
            return true;
        }
        priority = 0;
        return false;
    }

    /// <summary>USE-CANDIDATE present (RFC 8445 §7.1.2): the controlling agent nominates this pair.</summary>
    public bool HasUseCandidate => HasAttribute(StunAttributeType.UseCandidate);

    /// <summary>ICE-CONTROLLING tie-breaker (RFC 8445 §7.1.3).</summary>
    public bool TryGetIceControlling(out ulong tieBreaker) => TryGetUInt64(StunAttributeType.IceControlling, out tieBreaker);

    /// <summary>ICE-CONTROLLED tie-breaker (RFC 8445 §7.1.3).</summary>
    public bool TryGetIceControlled(out ulong tieBreaker) => TryGetUInt64(StunAttributeType.IceControlled, out tieBreaker);

    /// <summary>XOR-MAPPED-ADDRESS (RFC 8489 §14.2), un-XORed. No allocation.</summary>
    public bool TryGetXorMappedAddress(out StunAddress address)
    {
        if (TryGetAttribute(StunAttributeType.XorMappedAddress, out var value))
        {
            return StunAddress.TryReadXor(value, TransactionId, out address);
        }
        address = default;
        return false;
    }

    /// <summary>MAPPED-ADDRESS (RFC 8489 §14.1), sent by RFC 3489 servers.</summary>
    public bool TryGetMappedAddress(out StunAddress address)
    {
        if (TryGetAttribute(StunAttributeType.MappedAddress, out var value))
        {
            return StunAddress.TryRead(value, out address);
        }
        address = default;
        return false;
    }

    /// <summary>ERROR-CODE (RFC 8489 §14.8).</summary>
    public bool TryGetErrorCode(out StunErrorCode errorCode)
    {
        if (TryGetAttribute(StunAttributeType.ErrorCode, out var value) && StunErrorCode.TryParse(value, out errorCode))
        {
            return true;
        }
        errorCode = default;
        return false;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 keyed with <paramref name="key"/> (for ICE
    /// the short-term key, i.e. the password's bytes, §9.1.1) over the message up to the attribute,
    /// with the header length set as if MESSAGE-INTEGRITY were the last attribute. Constant-time
    /// comparison; no allocation. False when the attribute is absent.
    /// </summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "RFC 8489 §14.5 defines MESSAGE-INTEGRITY as HMAC-SHA1.")]
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (_integrityOffset < 0)
        {
            return false;
        }
        Span<byte> computed = stackalloc byte[MessageIntegrityLength];
        ComputeMessageIntegrity(_message[.._integrityOffset], key, computed);
        var received = _message.Slice(_integrityOffset + AttributeHeaderLength, MessageIntegrityLength);
        return CryptographicOperations.FixedTimeEquals(computed, received);
    }

    /// <summary>Checks FINGERPRINT (RFC 8489 §14.7). False when the attribute is absent.</summary>
    public bool VerifyFingerprint()
    {
        if (_fingerprintOffset < 0)
        {
            return false;
        }
        // FINGERPRINT is last, so the header length already covers it, as §14.7 requires.
        var expected = ComputeFingerprint(_message[.._fingerprintOffset]);
        return BinaryPrimitives.ReadUInt32BigEndian(_message[(_fingerprintOffset + AttributeHeaderLength)..]) == expected;
    }

    /// <summary>
    /// HMAC-SHA1 of <paramref name="prefix"/> (a message up to where MESSAGE-INTEGRITY goes) with the
    /// header length rewritten to end just after a MESSAGE-INTEGRITY attribute. The input is read only;
    /// the length is patched in a copy.
    /// </summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "RFC 8489 §14.5 defines MESSAGE-INTEGRITY as HMAC-SHA1.")]
    internal static void ComputeMessageIntegrity(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        byte[]? rented = null;
        var scratch = prefix.Length <= IntegrityStackLimit
            ? stackalloc byte[IntegrityStackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(prefix.Length));
        try
        {
            var copy = scratch[..prefix.Length];
            prefix.CopyTo(copy);
            var adjustedLength = prefix.Length - HeaderLength + AttributeHeaderLength + MessageIntegrityLength;
            BinaryPrimitives.WriteUInt16BigEndian(copy[LengthOffset..], (ushort)adjustedLength);
            HMACSHA1.HashData(key, copy, destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>CRC-32 of <paramref name="prefix"/> XOR 0x5354554E (RFC 8489 §14.7).</summary>
    internal static uint ComputeFingerprint(ReadOnlySpan<byte> prefix) => Crc32.Compute(prefix) ^ FingerprintXor;

    internal static int Pad4(int length) => (length + 3) & ~3;

    private bool TryGetUInt64(ushort type, out ulong value)
    {
        if (TryGetAttribute(type, out var raw) && raw.Length == 8)
        {
            value = BinaryPrimitives.ReadUInt64BigEndian(raw);
            return true;
        }
        value = 0;
        return false;
    }
}
