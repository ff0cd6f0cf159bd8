using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace Sotto.Rtc.Stun;

/// <summary>
/// Builds a STUN message in a caller's buffer (RFC 8489 §6): header first, then attributes in call
/// order, then optionally MESSAGE-INTEGRITY and FINGERPRINT, which must come last and in that order.
/// After every call the header length is current, so <see cref="WrittenSpan"/> is always a complete
/// message. A call that does not fit (or breaks the ordering rules) returns false and writes nothing.
/// </summary>
/// <example>
/// <code>
/// StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.SuccessResponse, request.TransactionId, out var w);
/// w.TryAddXorMappedAddress(source);
/// w.TryAddMessageIntegrity(localPassword);
/// w.TryAddFingerprint();
/// socket.SendTo(w.WrittenSpan, ...);
/// </code>
/// </example>
public ref struct StunMessageWriter
{
    private const int LengthOffset = 2;
    private readonly Span<byte> _buffer;
    private int _length;
    private bool _hasIntegrity;
    private bool _hasFingerprint;

    private StunMessageWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = StunMessage.HeaderLength;
    }

    /// <summary>Bytes written so far, header included.</summary>
    public readonly int Length => _length;

    /// <summary>The message as written so far (always a well-formed message).</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer[.._length];

    /// <summary>Fills <paramref name="destination"/> (12 bytes) with a random transaction id (RFC 8489 §6: cryptographically random).</summary>
    public static void GenerateTransactionId(Span<byte> destination) =>
        RandomNumberGenerator.Fill(destination[..StunMessage.TransactionIdLength]);

    /// <summary>Writes the 20-byte header. False if the buffer is shorter or the id is not 12 bytes.</summary>
    public static bool TryCreate(Span<byte> buffer, StunMethod method, StunMessageClass messageClass, scoped ReadOnlySpan<byte> transactionId, out StunMessageWriter writer)
    {
        writer = default;
        if (buffer.Length < StunMessage.HeaderLength || transactionId.Length != StunMessage.TransactionIdLength
            || (ushort)method > StunMessageType.MaxMethod)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(buffer, StunMessageType.Encode(method, messageClass));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[LengthOffset..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessage.MagicCookie);
        transactionId.CopyTo(buffer[8..]);
        writer = new StunMessageWriter(buffer);
        return true;
    }

    /// <summary>Appends any attribute; the value is padded with zero bytes to 32 bits.</summary>
    public bool TryAddAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        if (!TryReserve(type, value.Length, out var destination))
        {
            return false;
        }
        value.CopyTo(destination);
        return true;
    }

    /// <summary>USERNAME (§14.3): UTF-8, fewer than 509 bytes.</summary>
    public bool TryAddUsername(scoped ReadOnlySpan<byte> username) =>
        username.Length < 509 && TryAddAttribute(StunAttributeType.Username, username);

    /// <summary>PRIORITY (RFC 8445 §7.1.1).</summary>
    public bool TryAddPriority(uint priority)
    {
        if (!TryReserve(StunAttributeType.Priority, 4, out var destination))
        {
            return false;
        }
        BinaryPrimitives.WriteUInt32BigEndian(destination, priority);
        return true;
    }

    /// <summary>USE-CANDIDATE (RFC 8445 §7.1.2): no value.</summary>
    public bool TryAddUseCandidate() => TryAddAttribute(StunAttributeType.UseCandidate, []);

    /// <summary>ICE-CONTROLLING with its 64-bit tie-breaker (RFC 8445 §7.1.3).</summary>
    public bool TryAddIceControlling(ulong tieBreaker) => TryAddUInt64(StunAttributeType.IceControlling, tieBreaker);

    /// <summary>ICE-CONTROLLED with its 64-bit tie-breaker (RFC 8445 §7.1.3).</summary>
    public bool TryAddIceControlled(ulong tieBreaker) => TryAddUInt64(StunAttributeType.IceControlled, tieBreaker);

    /// <summary>XOR-MAPPED-ADDRESS (§14.2), XORed with this message's transaction id.</summary>
    public bool TryAddXorMappedAddress(StunAddress address)
    {
        if (!TryReserve(StunAttributeType.XorMappedAddress, address.GetSerializedLength(), out var destination))
        {
            return false;
        }
        return address.TryWriteXor(destination, _buffer.Slice(8, StunMessage.TransactionIdLength), out _);
    }

    /// <summary>XOR-MAPPED-ADDRESS from an endpoint (IPv4-mapped IPv6 addresses are written as IPv4).</summary>
    public bool TryAddXorMappedAddress(IPEndPoint endPoint) => TryAddXorMappedAddress(StunAddress.FromEndPoint(endPoint));

    /// <summary>MAPPED-ADDRESS (§14.1), for RFC 3489 clients.</summary>
    public bool TryAddMappedAddress(StunAddress address)
    {
        if (!TryReserve(StunAttributeType.MappedAddress, address.GetSerializedLength(), out var destination))
        {
            return false;
        }
        return address.TryWrite(destination, out _);
    }

    /// <summary>ERROR-CODE (§14.8), e.g. 401 or 420; <paramref name="reason"/> is UTF-8.</summary>
    public bool TryAddErrorCode(int code, scoped ReadOnlySpan<byte> reason)
    {
        var errorCode = new StunErrorCode(code, reason);
        if (!StunErrorCode.IsValidCode(code) || reason.Length > StunErrorCode.MaxReasonLength
            || !TryReserve(StunAttributeType.ErrorCode, errorCode.GetSerializedLength(), out var destination))
        {
            return false;
        }
        return errorCode.TryWrite(destination, out _);
    }

    /// <summary>UNKNOWN-ATTRIBUTES (§14.9): the types a 420 answer could not process.</summary>
    public bool TryAddUnknownAttributes(scoped ReadOnlySpan<ushort> types)
    {
        if (!TryReserve(StunAttributeType.UnknownAttributes, types.Length * 2, out var destination))
        {
            return false;
        }
        for (var i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(i * 2)..], types[i]);
        }
        return true;
    }

    /// <summary>
    /// MESSAGE-INTEGRITY (§14.5): HMAC-SHA1 with <paramref name="key"/> over the message so far, the
    /// header length already counting this attribute. For ICE the key is the password's bytes
    /// (short-term credential, §9.1.1). At most once; only FINGERPRINT may follow.
    /// </summary>
    public bool TryAddMessageIntegrity(scoped ReadOnlySpan<byte> key)
    {
        if (_hasIntegrity)
        {
            return false;
        }
        var prefixLength = _length;
        if (!TryReserve(StunAttributeType.MessageIntegrity, StunMessage.MessageIntegrityLength, out var destination))
        {
            return false;
        }
        StunMessage.ComputeMessageIntegrity(_buffer[..prefixLength], key, destination);
        _hasIntegrity = true;
        return true;
    }

    /// <summary>FINGERPRINT (§14.7): CRC-32 of the message so far XOR 0x5354554E. Must be last.</summary>
    public bool TryAddFingerprint()
    {
        var prefixLength = _length;
        if (!TryReserve(StunAttributeType.Fingerprint, StunMessage.FingerprintLength, out var destination))
        {
            return false;
        }
        // TryReserve already set the header length to include FINGERPRINT, as §14.7 requires.
        BinaryPrimitives.WriteUInt32BigEndian(destination, StunMessage.ComputeFingerprint(_buffer[..prefixLength]));
        _hasFingerprint = true;
        return true;
    }

    private bool TryAddUInt64(ushort type, ulong value)
    {
        if (!TryReserve(type, 8, out var destination))
        {
            return false;
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination, value);
        return true;
    }

    /// <summary>
    /// Writes an attribute header and zeroed padding, updates the message length, and hands out the
    /// value's bytes. Enforces ordering: nothing after FINGERPRINT, only FINGERPRINT after
    /// MESSAGE-INTEGRITY.
    /// </summary>
    private bool TryReserve(ushort type, int valueLength, out Span<byte> value)
    {
        value = default;
        if (_buffer.IsEmpty || _hasFingerprint || (_hasIntegrity && type != StunAttributeType.Fingerprint) || valueLength > ushort.MaxValue)
        {
            return false;
        }
        var total = StunMessage.AttributeHeaderLength + StunMessage.Pad4(valueLength);
        var newLength = _length + total;
        if (newLength > _buffer.Length || newLength - StunMessage.HeaderLength > ushort.MaxValue)
        {
            return false;
        }
        var attribute = _buffer.Slice(_length, total);
        BinaryPrimitives.WriteUInt16BigEndian(attribute, type);
        BinaryPrimitives.WriteUInt16BigEndian(attribute[2..], (ushort)valueLength);
        attribute[(StunMessage.AttributeHeaderLength + valueLength)..].Clear();
        _length = newLength;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[LengthOffset..], (ushort)(newLength - StunMessage.HeaderLength));
        value = attribute.Slice(StunMessage.AttributeHeaderLength, valueLength);
        return true;
    }
}
