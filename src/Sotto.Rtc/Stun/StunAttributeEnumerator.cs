using System.Buffers.Binary;

namespace Sotto.Rtc.Stun;

/// <summary>
/// Walks the attributes of a message that <see cref="StunMessage.TryParse"/> already validated, so
/// every header and value read here is known to be in bounds. Allocation-free (<c>foreach</c> over a
/// ref struct).
/// </summary>
public ref struct StunAttributeEnumerator
{
    private readonly ReadOnlySpan<byte> _attributes;
    private int _next;
    private StunAttribute _current;

    internal StunAttributeEnumerator(ReadOnlySpan<byte> attributes)
    {
        _attributes = attributes;
        _next = 0;
        _current = default;
    }

    public readonly StunAttribute Current => _current;

    public readonly StunAttributeEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_attributes.Length - _next < StunMessage.AttributeHeaderLength)
        {
            return false;
        }
        var type = BinaryPrimitives.ReadUInt16BigEndian(_attributes[_next..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(_attributes[(_next + 2)..]);
        var valueStart = _next + StunMessage.AttributeHeaderLength;
        if (length > _attributes.Length - valueStart)
        {
            // Unreachable for a message from TryParse; kept so a misuse cannot read out of bounds.
            return false;
        }
        _current = new StunAttribute(type, _attributes.Slice(valueStart, length));
        _next = valueStart + StunMessage.Pad4(length);
        return true;
    }
}
