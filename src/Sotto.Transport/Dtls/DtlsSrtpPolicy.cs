using Org.BouncyCastle.Tls;
using Sotto.Rtc.Srtp;
using SrtpProtectionProfile = Sotto.Rtc.Srtp.SrtpProtectionProfile;

namespace Sotto.Transport.Dtls;

/// <summary>What both of our DTLS roles agree to, in one place.</summary>
internal static class DtlsSrtpPolicy
{
    /// <summary>
    /// DTLS 1.2 only. Chromium 156 offers DTLS 1.3 as well; without this override the BouncyCastle
    /// server fails against it with a misleading alert (DESIGN.md §9).
    /// </summary>
    public static ProtocolVersion[] Versions => ProtocolVersion.DTLSv12.Only();

    /// <summary>
    /// Our certificate is ECDSA, so only ECDHE_ECDSA suites can be selected (the certificate's key
    /// type must match the suite). AES-GCM first: it is what Chromium and OpenSSL prefer.
    /// </summary>
    public static int[] CipherSuites =>
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>The exporter label of RFC 5764 §4.2.</summary>
    public const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    public static SrtpKeyingMaterial ExportKeys(TlsContext context, SrtpProtectionProfile profile)
    {
        byte[] block = context.ExportKeyingMaterial(ExporterLabel, null, UseSrtpProfiles.KeyBlockLength(profile));
        return new SrtpKeyingMaterial(profile, block);
    }

    /// <summary>Checks the peer's leaf certificate against the fingerprint its SDP announced (RFC 8122 §5).</summary>
    public static DtlsFingerprint VerifyPeer(Certificate? peerCertificate, DtlsFingerprint expected)
    {
        if (peerCertificate is null || peerCertificate.IsEmpty)
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "The peer sent no certificate; WebRTC requires one to check its SDP fingerprint.");

        var actual = DtlsFingerprint.Compute(peerCertificate.GetCertificateAt(0).GetEncoded());
        if (actual != expected)
        {
            throw new TlsFatalAlert(
                AlertDescription.bad_certificate,
                $"Peer certificate fingerprint mismatch: got '{actual}', the remote SDP announced '{expected}'.");
        }

        return actual;
    }
}
