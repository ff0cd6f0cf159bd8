namespace Sotto.Rtc.Rtcp;

/// <summary>
/// A whole RTCP packet that can write itself; what <see cref="RtcpCompoundWriter"/> accepts.
/// Implemented by ref struct views too, so generic callers constrain with <c>allows ref struct</c>.
/// </summary>
public interface IRtcpSerializable
{
    /// <summary>PT of the packet this writes.</summary>
    RtcpPacketType PacketType { get; }

    /// <summary>Octets <see cref="TryWrite"/> writes, header included.</summary>
    int GetSerializedLength();

    /// <summary>Writes the packet; false if <paramref name="destination"/> is too small or the content cannot be encoded.</summary>
    bool TryWrite(Span<byte> destination, out int written);
}
