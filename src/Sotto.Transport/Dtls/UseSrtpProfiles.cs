namespace Sotto.Transport.Dtls;

/// <summary>
/// The use_srtp protection profiles we negotiate (RFC 5764 §4.1.2, RFC 7714 §14.2) and their
/// master key and salt lengths.
/// </summary>
public static class UseSrtpProfiles
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: 128-bit key, 112-bit salt (RFC 5764 §4.1.2).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707", Justification = "The RFC name ends in _80 (the tag length).")]
    public const ushort AesCm128HmacSha1_80 = 0x0001;

    /// <summary>SRTP_AEAD_AES_128_GCM: 128-bit key, 96-bit salt (RFC 7714 §14.2).</summary>
    public const ushort AeadAes128Gcm = 0x0007;

    /// <summary>SRTP_AEAD_AES_256_GCM: 256-bit key, 96-bit salt (RFC 7714 §14.2).</summary>
    public const ushort AeadAes256Gcm = 0x0008;

    /// <summary>
    /// Our default preference, best first: AES-GCM is authenticated encryption in one pass and the
    /// fastest with AES-NI; 128-bit keys are what Chromium picks itself.
    /// </summary>
    public static IReadOnlyList<ushort> DefaultPreference { get; } = [AeadAes128Gcm, AeadAes256Gcm, AesCm128HmacSha1_80];

    /// <summary>Master key and salt lengths of a profile; false for a profile we do not implement.</summary>
    public static bool TryGetLengths(ushort profile, out int keyLength, out int saltLength)
    {
        (keyLength, saltLength, bool known) = profile switch
        {
            AesCm128HmacSha1_80 => (16, 14, true),
            AeadAes128Gcm => (16, 12, true),
            AeadAes256Gcm => (32, 12, true),
            _ => (0, 0, false),
        };
        return known;
    }

    /// <summary>The OpenSSL / RFC name, for logs and errors.</summary>
    public static string GetName(ushort profile) => profile switch
    {
        AesCm128HmacSha1_80 => "SRTP_AES128_CM_SHA1_80",
        AeadAes128Gcm => "SRTP_AEAD_AES_128_GCM",
        AeadAes256Gcm => "SRTP_AEAD_AES_256_GCM",
        _ => $"0x{profile:X4}",
    };
}
