namespace Sotto.Rtc.Stun;

/// <summary>
/// STUN attribute types used by ICE (RFC 8489 §18.3, RFC 8445 §16.1, RFC 5780 for SOFTWARE's range).
/// Types 0x0000–0x7FFF are comprehension-required: a receiver that does not understand one must
/// reject the request with 420 (Unknown Attribute). Types 0x8000–0xFFFF are comprehension-optional
/// and are skipped when unknown (RFC 8489 §14) — Chromium adds one (0xC057, network cost) to every
/// ICE check, so a strict parser would refuse Chromium.
/// </summary>
public static class StunAttributeType
{
    // Comprehension-required range (0x0000–0x7FFF).
    public const ushort MappedAddress = 0x0001;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    public const ushort Realm = 0x0014;
    public const ushort Nonce = 0x0015;
    public const ushort MessageIntegritySha256 = 0x001C;
    public const ushort PasswordAlgorithm = 0x001D;
    public const ushort UserHash = 0x001E;
    public const ushort XorMappedAddress = 0x0020;
    public const ushort Priority = 0x0024;
    public const ushort UseCandidate = 0x0025;

    // Comprehension-optional range (0x8000–0xFFFF).
    public const ushort PasswordAlgorithms = 0x8002;
    public const ushort AlternateDomain = 0x8003;
    public const ushort Software = 0x8022;
    public const ushort AlternateServer = 0x8023;
    public const ushort Fingerprint = 0x8028;
    public const ushort IceControlled = 0x8029;
    public const ushort IceControlling = 0x802A;

    /// <summary>Chromium's GOOG-NETWORK-INFO (network id and cost), sent on every ICE check.</summary>
    public const ushort GoogNetworkInfo = 0xC057;

    /// <summary>True for types 0x0000–0x7FFF, which a receiver must understand (RFC 8489 §14).</summary>
    public static bool IsComprehensionRequired(ushort type) => type < 0x8000;

    /// <summary>
    /// True for a comprehension-required type this implementation does not process. A request that
    /// carries one is answered with 420 (Unknown Attribute) listing it in UNKNOWN-ATTRIBUTES
    /// (RFC 8489 §6.3.1.1). MESSAGE-INTEGRITY-SHA256, PASSWORD-ALGORITHM and USERHASH are not
    /// implemented (ICE uses SHA-1 short-term credentials), so they count as unknown.
    /// </summary>
    public static bool IsUnknownComprehensionRequired(ushort type) =>
        IsComprehensionRequired(type)
        && type is not (MappedAddress or Username or MessageIntegrity or ErrorCode or UnknownAttributes or Realm or Nonce
            or XorMappedAddress or Priority or UseCandidate);
}
