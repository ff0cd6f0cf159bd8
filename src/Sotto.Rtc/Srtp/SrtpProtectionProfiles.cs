namespace Sotto.Rtc.Srtp;

/// <summary>
/// The transform parameters of each <see cref="SrtpProtectionProfile"/>: what the DTLS layer needs to
/// split the exported keying material (RFC 5764 §4.2) and what a sender needs to size its buffers.
/// </summary>
public static class SrtpProtectionProfiles
{
    /// <summary>Length of the SRTCP trailer word E||SRTCP index (RFC 3711 §3.4).</summary>
    internal const int SrtcpIndexLength = 4;

    /// <summary>True for the profiles <see cref="SrtpContext"/> implements.</summary>
    public static bool IsSupported(this SrtpProtectionProfile profile) => profile is
        SrtpProtectionProfile.AesCm128HmacSha1_80 or
        SrtpProtectionProfile.AeadAes128Gcm or
        SrtpProtectionProfile.AeadAes256Gcm;

    /// <summary>True for the AEAD (RFC 7714) profiles.</summary>
    public static bool IsAead(this SrtpProtectionProfile profile) =>
        profile is SrtpProtectionProfile.AeadAes128Gcm or SrtpProtectionProfile.AeadAes256Gcm;

    /// <summary>Master key length in octets: 16 for the AES-128 profiles, 32 for AEAD_AES_256_GCM.</summary>
    public static int MasterKeyLength(this SrtpProtectionProfile profile) => profile switch
    {
        SrtpProtectionProfile.AesCm128HmacSha1_80 => 16,
        SrtpProtectionProfile.AeadAes128Gcm => 16,
        SrtpProtectionProfile.AeadAes256Gcm => 32,
        _ => throw UnsupportedProfile(profile),
    };

    /// <summary>
    /// Master salt length in octets: 14 (112 bits, RFC 3711 §8.2) for AES-CM, 12 (96 bits, RFC 7714 §12)
    /// for the AEAD profiles.
    /// </summary>
    public static int MasterSaltLength(this SrtpProtectionProfile profile) => profile switch
    {
        SrtpProtectionProfile.AesCm128HmacSha1_80 => 14,
        SrtpProtectionProfile.AeadAes128Gcm or SrtpProtectionProfile.AeadAes256Gcm => 12,
        _ => throw UnsupportedProfile(profile),
    };

    /// <summary>
    /// Authentication tag length in octets, the same for SRTP and SRTCP: 10 for HMAC-SHA1-80
    /// (RFC 5764 §4.1.2), 16 for AES-GCM (RFC 7714 §12).
    /// </summary>
    public static int AuthTagLength(this SrtpProtectionProfile profile) => profile switch
    {
        SrtpProtectionProfile.AesCm128HmacSha1_80 => 10,
        SrtpProtectionProfile.AeadAes128Gcm or SrtpProtectionProfile.AeadAes256Gcm => 16,
        _ => throw UnsupportedProfile(profile),
    };

    /// <summary>Octets <see cref="SrtpContext.ProtectRtp"/> adds to an RTP packet (the tag; no MKI).</summary>
    public static int MaxRtpOverhead(this SrtpProtectionProfile profile) => profile.AuthTagLength();

    /// <summary>Octets <see cref="SrtpContext.ProtectRtcp"/> adds to an RTCP packet: the tag and the 4-octet E||SRTCP index.</summary>
    public static int MaxRtcpOverhead(this SrtpProtectionProfile profile) => profile.AuthTagLength() + SrtcpIndexLength;

    /// <summary>Largest of the RTP and RTCP overheads: the spare room a packet buffer must keep after its data.</summary>
    public static int MaxOverhead(this SrtpProtectionProfile profile) => profile.MaxRtcpOverhead();

    private static ArgumentOutOfRangeException UnsupportedProfile(SrtpProtectionProfile profile) =>
        new(nameof(profile), profile, "Unsupported SRTP protection profile.");
}
