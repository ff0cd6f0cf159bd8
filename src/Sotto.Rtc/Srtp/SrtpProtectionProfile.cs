namespace Sotto.Rtc.Srtp;

/// <summary>
/// The SRTP protection profiles Sotto implements. The numeric values are the DTLS-SRTP
/// <c>use_srtp</c> identifiers (RFC 5764 §4.1.2, RFC 7714 §14.2), so the DTLS layer can pass the
/// negotiated value straight through.
/// </summary>
public enum SrtpProtectionProfile : ushort
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: AES-128 counter mode, HMAC-SHA1 truncated to 80 bits (RFC 3711, RFC 5764).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707", Justification = "Mirrors the registered name SRTP_AES128_CM_HMAC_SHA1_80; the _80 is the tag length.")]
    AesCm128HmacSha1_80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM: AES-128-GCM with a 16-octet tag (RFC 7714).</summary>
    AeadAes128Gcm = 0x0007,

    /// <summary>SRTP_AEAD_AES_256_GCM: AES-256-GCM with a 16-octet tag (RFC 7714; AES-256 key derivation per RFC 6188).</summary>
    AeadAes256Gcm = 0x0008,
}
