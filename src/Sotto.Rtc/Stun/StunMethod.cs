namespace Sotto.Rtc.Stun;

/// <summary>
/// A STUN method: the 12 M bits of the message type (RFC 8489 §5, §18.2). ICE only uses Binding;
/// other values parse as their numeric value.
/// </summary>
public enum StunMethod : ushort
{
    Binding = 0x001,
}
