using Sotto.Rtc.Srtp;

namespace Sotto.Transport.Dtls;

/// <summary>Knobs of a DTLS-SRTP handshake.</summary>
public sealed class DtlsOptions
{
    /// <summary>
    /// use_srtp profiles, best first. The server picks the first of these the client offers; the
    /// client offers exactly these. Tests narrow it to force one profile.
    /// </summary>
    public IReadOnlyList<SrtpProtectionProfile> SrtpProfiles { get; init; } = UseSrtpProfiles.DefaultPreference;

    /// <summary>Upper bound on the whole handshake; BouncyCastle aborts it after this.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The initial retransmission timeout of a handshake flight (RFC 6347 §4.2.4.1 suggests 1 s;
    /// BouncyCastle doubles it per retransmission up to 60 s).
    /// </summary>
    public TimeSpan InitialRetransmission { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Largest datagram we send. 1200 bytes fits every path WebRTC cares about (IPv6 minimum MTU
    /// 1280 minus headers, and TURN overhead).
    /// </summary>
    public int Mtu { get; init; } = 1200;

    internal void Validate()
    {
        if (SrtpProfiles.Count == 0)
            throw new ArgumentException("At least one SRTP profile is required.", nameof(SrtpProfiles));
        foreach (SrtpProtectionProfile profile in SrtpProfiles)
        {
            if (!profile.IsSupported())
                throw new ArgumentException($"Unsupported SRTP profile {UseSrtpProfiles.GetName(profile)}.", nameof(SrtpProfiles));
        }
    }
}
