namespace Sotto.Rtc.Stun;

/// <summary>
/// One attribute of a parsed STUN message: its type and its value without padding (RFC 8489 §14).
/// A view into the datagram: valid only while the datagram buffer is.
/// </summary>
public readonly ref struct StunAttribute
{
    public StunAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        Type = type;
        Value = value;
    }

    /// <summary>The attribute type (see <see cref="StunAttributeType"/>).</summary>
    public ushort Type { get; }

    /// <summary>The value, excluding the padding to a 32-bit boundary.</summary>
    public ReadOnlySpan<byte> Value { get; }
}
