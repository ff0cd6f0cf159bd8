using Sotto.Rtc.Srtp;

namespace Sotto.Transport.Dtls;

/// <summary>The use_srtp protection profiles we negotiate (RFC 5764 §4.1.2, RFC 7714 §14.2).</summary>
public static class UseSrtpProfiles
{
    /// <summary>
    /// Our default preference, best first: AES-GCM is authenticated encryption in one pass and the
    /// fastest with AES-NI; 128-bit keys are what Chromium picks itself.
    /// </summary>
    public static IReadOnlyList<SrtpProtectionProfile> DefaultPreference { get; } =
        [SrtpProtectionProfile.AeadAes128Gcm, SrtpProtectionProfile.AeadAes256Gcm, SrtpProtectionProfile.AesCm128HmacSha1_80];

    /// <summary>The OpenSSL / RFC name, for logs and errors.</summary>
    public static string GetName(SrtpProtectionProfile profile) => profile switch
    {
        SrtpProtectionProfile.AesCm128HmacSha1_80 => "SRTP_AES128_CM_SHA1_80",
        SrtpProtectionProfile.AeadAes128Gcm => "SRTP_AEAD_AES_128_GCM",
        SrtpProtectionProfile.AeadAes256Gcm => "SRTP_AEAD_AES_256_GCM",
        _ => $"0x{(ushort)profile:X4}",
    };

    /// <summary>Bytes the exporter must produce: two keys and two salts (RFC 5764 §4.2).</summary>
    public static int KeyBlockLength(SrtpProtectionProfile profile) => 2 * (profile.MasterKeyLength() + profile.MasterSaltLength());
}
