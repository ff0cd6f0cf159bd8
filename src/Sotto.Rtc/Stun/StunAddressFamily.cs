namespace Sotto.Rtc.Stun;

/// <summary>The family byte of (XOR-)MAPPED-ADDRESS (RFC 8489 §14.1).</summary>
public enum StunAddressFamily : byte
{
    IPv4 = 0x01,
    IPv6 = 0x02,
}
