using System.Security.Cryptography.X509Certificates;
using Sotto.Transport.Dtls;

namespace Sotto.Transport.Tests.Support;

/// <summary>A P-256 certificate and key made by <c>openssl req</c> in a temporary directory.</summary>
internal sealed class OpenSslCertificate : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sotto-openssl-").FullName;

    public OpenSslCertificate()
    {
        CertificatePath = Path.Combine(_directory, "cert.pem");
        KeyPath = Path.Combine(_directory, "key.pem");
        OpenSsl.Run($"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout {KeyPath} -out {CertificatePath} -days 1 -subj /CN=openssl-peer");
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(CertificatePath));
        Fingerprint = DtlsFingerprint.Compute(certificate.RawData);
    }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    public DtlsFingerprint Fingerprint { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
