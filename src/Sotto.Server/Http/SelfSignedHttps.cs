using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace Sotto.Server.Http;

/// <summary>
/// <c>--https</c>: serve the client over TLS with a certificate made on this machine, so a phone or laptop
/// on the same network gets a secure context (camera, microphone and WebCrypto need one; plain
/// <c>http://&lt;LAN-IP&gt;</c> is not). The browser warns once about the unknown issuer; the SHA-256
/// fingerprint in the log lets a careful person check it. For a real deployment give Kestrel the
/// operator's certificate instead (docs/operations.md "TLS").
/// Settings: <c>Sotto:Https:SelfSigned</c> (what <c>--https</c> sets), <c>Sotto:Https:Port</c> (8443),
/// <c>Sotto:Https:BindAddress</c> (0.0.0.0), <c>Sotto:Https:HostNames</c> (extra names for the certificate),
/// <c>Sotto:Https:CertificateFile</c> (keep the certificate in this PFX file across restarts; otherwise
/// a new one every start).
/// </summary>
internal static partial class SelfSignedHttps
{
    public const string Switch = "--https";
    private const string Section = "Sotto:Https";
    private const int DefaultPort = 8443;
    private static readonly TimeSpan Validity = TimeSpan.FromDays(365);

    /// <summary><c>--https</c> on the command line becomes <c>--Sotto:Https:SelfSigned=true</c> (a bare switch is not configuration syntax).</summary>
    public static string[] ExpandArguments(string[] args) =>
        [.. args.Select(a => string.Equals(a, Switch, StringComparison.OrdinalIgnoreCase) ? $"--{Section}:SelfSigned=true" : a)];

    /// <summary>Adds the HTTPS endpoint beside the configured HTTP ones when <c>Sotto:Https:SelfSigned</c> is true.</summary>
    public static void Apply(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (!config.GetValue<bool>($"{Section}:SelfSigned"))
            return;
        var port = config.GetValue($"{Section}:Port", DefaultPort);
        var bind = config[$"{Section}:BindAddress"] ?? "0.0.0.0";
        var names = config.GetSection($"{Section}:HostNames").Get<string[]>() ?? [];
        var certificate = LoadOrCreate(config[$"{Section}:CertificateFile"], names);

        // Kestrel ignores "Urls" once endpoints are configured: carry the HTTP URLs over as endpoints.
        if (!config.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            var urls = (config["Urls"] ?? "http://localhost:8080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < urls.Length; i++)
                config[$"Kestrel:Endpoints:Sotto{i}:Url"] = urls[i];
        }
        config["Kestrel:Endpoints:SottoSelfSigned:Url"] = $"https://{(bind.Contains(':', StringComparison.Ordinal) ? $"[{bind}]" : bind)}:{port}";
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        builder.Services.AddHostedService(sp => new FingerprintLogger(
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sotto.Server.Https"), certificate));
    }

    internal static X509Certificate2 LoadOrCreate(string? file, IEnumerable<string> extraNames)
    {
        if (file is not null && File.Exists(file))
        {
            var kept = X509CertificateLoader.LoadPkcs12FromFile(file, password: null);
            if (kept.NotAfter > DateTime.Now.AddDays(1))
                return kept;
            kept.Dispose();
        }
        var pfx = CreatePfx(extraNames);
        if (file is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            File.WriteAllBytes(file, pfx);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite); // a private key
        }
        return X509CertificateLoader.LoadPkcs12(pfx, password: null);
    }

    /// <summary>An ECDSA P-256 server certificate for localhost, this host's name and addresses, and <paramref name="extraNames"/>.</summary>
    internal static byte[] CreatePfx(IEnumerable<string> extraNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Sotto (self-signed)", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in new[] { "localhost", Dns.GetHostName() }.Concat(extraNames).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(name, out var ip))
                san.AddIpAddress(ip);
            else
                san.AddDnsName(name);
        }
        foreach (var address in LocalAddresses())
            san.AddIpAddress(address);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + Validity);
        return certificate.Export(X509ContentType.Pfx);
    }

    private static HashSet<IPAddress> LocalAddresses()
    {
        var addresses = new HashSet<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces().Where(n => n.OperationalStatus == OperationalStatus.Up))
            {
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    if (!unicast.Address.IsIPv6LinkLocal)
                        addresses.Add(unicast.Address);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // no interface list (restricted container): localhost and the names still work
        }
        return addresses;
    }

    [LoggerMessage(100, LogLevel.Information, "HTTPS with a self-signed certificate ({Names}); SHA-256 fingerprint {Fingerprint}. Browsers will ask you to accept it once.")]
    private static partial void CertificateReady(ILogger logger, string names, string fingerprint);

    private sealed class FingerprintLogger(ILogger logger, X509Certificate2 certificate) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
            var names = san is null ? "" : string.Join(", ", san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(a => a.ToString())));
            CertificateReady(logger, names, Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
