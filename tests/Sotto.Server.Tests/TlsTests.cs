using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests;

/// <summary>TLS works when a certificate is configured (docs/operations.md), and HSTS appears only then.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _pfxPath = Path.Combine(Path.GetTempPath(), $"sotto-test-{Guid.NewGuid():N}.pfx");

    [Fact]
    public async Task A_configured_certificate_serves_https_with_hsts_and_security_headers()
    {
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(_pfxPath, certificate.Export(X509ContentType.Pfx, "test-password"));
        }

        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = _pfxPath,
            ["Kestrel:Endpoints:Https:Certificate:Password"] = "test-password",
        });
        Assert.Equal("https", server.BaseUri.Scheme);

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseUri };
        foreach (var path in new[] { "/", "/healthz", "/no/such/page" })
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.Headers.TryGetValues("Strict-Transport-Security", out var hsts), path);
            Assert.Equal("max-age=31536000", Assert.Single(hsts));
            Assert.True(response.Headers.Contains("Content-Security-Policy"));
        }
    }

    public void Dispose() => File.Delete(_pfxPath);
}
