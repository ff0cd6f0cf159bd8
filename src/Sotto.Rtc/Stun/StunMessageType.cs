namespace Sotto.Rtc.Stun;

/// <summary>
/// Packs and unpacks the 14-bit STUN message type, which interleaves the class bits with the method
/// bits (RFC 8489 §5, Figure 3):
/// <code>
///  0                 1
///  2  3  4 5 6 7 8 9 0 1 2 3 4 5
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
/// |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public static class StunMessageType
{
    /// <summary>The largest method value: methods are 12 bits.</summary>
    public const ushort MaxMethod = 0x0FFF;

    /// <summary>Encodes <paramref name="method"/> and <paramref name="messageClass"/> into the 14-bit type field.</summary>
    public static ushort Encode(StunMethod method, StunMessageClass messageClass)
    {
        var m = (int)method & MaxMethod;
        var c = (int)messageClass & 0b11;
        return (ushort)((m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 0b01) << 4) | ((c & 0b10) << 7));
    }

    /// <summary>The method bits of a message type.</summary>
    public static StunMethod GetMethod(ushort messageType) =>
        (StunMethod)((messageType & 0x000F) | ((messageType >> 1) & 0x0070) | ((messageType >> 2) & 0x0F80));

    /// <summary>The class bits of a message type.</summary>
    public static StunMessageClass GetClass(ushort messageType) =>
        (StunMessageClass)(((messageType >> 4) & 0b01) | ((messageType >> 7) & 0b10));
}
