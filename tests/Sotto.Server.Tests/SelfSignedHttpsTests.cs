using System.Security.Cryptography.X509Certificates;
using Sotto.Server.Http;
using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests;

/// <summary>`--https`: a certificate made on this machine, HTTPS beside the HTTP endpoint (docs/operations.md).</summary>
public sealed class SelfSignedHttpsTests
{
    [Fact]
    public void The_https_switch_becomes_the_setting_and_other_arguments_stay()
    {
        Assert.Equal(["--urls", "http://127.0.0.1:1", "--Sotto:Https:SelfSigned=true"], SelfSignedHttps.ExpandArguments(["--urls", "http://127.0.0.1:1", "--https"]));
        Assert.Equal(["--urls", "http://x"], SelfSignedHttps.ExpandArguments(["--urls", "http://x"]));
    }

    [Fact]
    public async Task With_the_switch_the_server_answers_https_with_a_certificate_for_localhost_and_keeps_http()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sotto:Https:SelfSigned"] = "true",
            ["Sotto:Https:Port"] = "0",
            ["Sotto:Https:BindAddress"] = "127.0.0.1",
            ["Sotto:Https:HostNames:0"] = "calls.lan",
        });
        var addresses = server.Addresses;
        var https = new Uri(Assert.Single(addresses, a => a.StartsWith("https://", StringComparison.Ordinal)));
        var http = new Uri(Assert.Single(addresses, a => a.StartsWith("http://", StringComparison.Ordinal)));

        X509Certificate2? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
                return true;
            },
        };
        using var client = new HttpClient(handler);
        using var response = await client.GetAsync(new Uri(https, "/healthz"));
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        Assert.NotNull(seen);
        var san = seen!.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains("calls.lan", san.EnumerateDnsNames());
        Assert.Contains(System.Net.IPAddress.Loopback, san.EnumerateIPAddresses());
        Assert.True(seen.NotAfter > DateTime.Now.AddDays(300));
        seen.Dispose();

        // The plain HTTP endpoint stays (localhost is a secure context already).
        using var plain = new HttpClient();
        Assert.Equal("ok", await plain.GetStringAsync(new Uri(http, "/healthz")));
    }

    [Fact]
    public async Task Without_the_switch_there_is_no_https_endpoint()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.DoesNotContain(server.Addresses, a => a.StartsWith("https://", StringComparison.Ordinal));
    }

    [Fact]
    public void A_kept_certificate_file_is_reused_across_starts()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sotto-selfsigned-{Guid.NewGuid():N}.pfx");
        try
        {
            var first = SelfSignedHttps.LoadOrCreate(file, []);
            var second = SelfSignedHttps.LoadOrCreate(file, []);
            Assert.Equal(first.Thumbprint, second.Thumbprint);
            Assert.True(second.HasPrivateKey);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            first.Dispose();
            second.Dispose();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
