namespace Sotto.Rtc.Rtp;

/// <summary>
/// Walks the elements of an RFC 8285 extension block without allocating.
/// <code>
/// one-byte (0xBEDE):  |  ID  | len-1 | data (1–16 bytes) ...     ID 0: one padding byte
/// two-byte (0x100X):  |      ID       |    length     | data (0–255 bytes) ...
/// </code>
/// A malformed element (data running past the block) ends the walk, as does the reserved one-byte
/// ID 15 (RFC 8285 §4.2: stop and keep only the elements before it). Unknown profiles yield nothing.
/// </summary>
public ref struct RtpHeaderExtensionEnumerator
{
    private const byte PaddingId = 0;
    private const byte OneByteReservedId = 15;

    private readonly ReadOnlySpan<byte> _data;
    private readonly bool _oneByte;
    private int _next;
    private RtpHeaderExtension _current;

    internal RtpHeaderExtensionEnumerator(ushort profile, ReadOnlySpan<byte> data)
    {
        _oneByte = RtpExtensionProfile.IsOneByte(profile);
        _data = _oneByte || RtpExtensionProfile.IsTwoByte(profile) ? data : default;
        _next = 0;
        _current = default;
    }

    public readonly RtpHeaderExtension Current => _current;

    /// <summary>Offset of <see cref="Current"/>'s value within the extension data, for in-place rewrites.</summary>
    internal readonly int CurrentValueOffset => _next - _current.Value.Length;

    public readonly RtpHeaderExtensionEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_next < _data.Length)
        {
            var id = _data[_next];
            // A one-byte element with ID 0 is a padding byte whatever its length nibble (libwebrtc
            // does the same); in the two-byte form padding is a zero byte.
            if ((_oneByte ? id >> 4 : id) == PaddingId)
            {
                _next++;
                continue;
            }
            int valueStart;
            int length;
            if (_oneByte)
            {
                length = (id & 0x0F) + 1;
                id >>= 4;
                if (id == OneByteReservedId)
                {
                    break;
                }
                valueStart = _next + 1;
            }
            else
            {
                if (_next + 1 >= _data.Length)
                {
                    break;
                }
                length = _data[_next + 1];
                valueStart = _next + 2;
            }
            if (length > _data.Length - valueStart)
            {
                break;
            }
            _current = new RtpHeaderExtension(id, _data.Slice(valueStart, length));
            _next = valueStart + length;
            return true;
        }
        _next = _data.Length;
        return false;
    }
}
