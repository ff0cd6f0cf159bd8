using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Sotto.Transport.Dtls;

/// <summary>
/// The ECDSA P-256 self-signed certificate a DTLS endpoint presents. WebRTC authenticates it by its
/// SHA-256 fingerprint carried in SDP (RFC 8122 §5, RFC 8827 §6.5), never by a CA chain, so one
/// short-lived certificate generated at start is all we need.
/// </summary>
public sealed class DtlsCertificate
{
    private readonly byte[] _der;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey)
    {
        _der = der;
        PrivateKey = privateKey;
        Fingerprint = DtlsFingerprint.Compute(der);
    }

    /// <summary>The SHA-256 fingerprint to put into SDP as <c>a=fingerprint:sha-256 AB:CD:...</c>.</summary>
    public DtlsFingerprint Fingerprint { get; }

    /// <summary>The certificate's DER encoding.</summary>
    public ReadOnlySpan<byte> Der => _der;

    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Generates a fresh key pair and a self-signed certificate valid for <paramref name="lifetime"/>.</summary>
    public static DtlsCertificate Generate(TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=sotto", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        // Back-date by a day so a peer with a skewed clock does not reject it as not yet valid.
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now + (lifetime ?? TimeSpan.FromDays(30)));
        return new DtlsCertificate(certificate.RawData, PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey()));
    }

    /// <summary>Loads a certificate and its PKCS#8 private key (DER), e.g. ones made by <c>openssl req</c>.</summary>
    public static DtlsCertificate FromDer(ReadOnlySpan<byte> certificateDer, ReadOnlySpan<byte> pkcs8PrivateKey)
        => new(certificateDer.ToArray(), PrivateKeyFactory.CreateKey(pkcs8PrivateKey.ToArray()));

    internal Certificate ToTlsCertificate(TlsCrypto crypto)
        => new([crypto.CreateCertificate(CertificateType.X509, _der)]);

    internal TlsCredentialedSigner CreateSigner(TlsContext context, BcTlsCrypto crypto)
        => new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(context),
            crypto,
            PrivateKey,
            ToTlsCertificate(crypto),
            new SignatureAndHashAlgorithm(Org.BouncyCastle.Tls.HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
}
