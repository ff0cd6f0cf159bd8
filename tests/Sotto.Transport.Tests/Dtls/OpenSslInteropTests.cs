using System.Net;
using Sotto.Rtc.Srtp;
using Sotto.Transport.Dtls;
using Sotto.Transport.Tests.Support;

namespace Sotto.Transport.Tests.Dtls;

/// <summary>
/// DTLS-SRTP against OpenSSL 3.0, an independent implementation: both sides must export the
/// same <c>EXTRACTOR-dtls_srtp</c> bytes (RFC 5764 §4.2) for every profile we implement.
/// </summary>
public sealed class OpenSslInteropTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<SrtpProtectionProfile> Profiles => new()
    {
        SrtpProtectionProfile.AeadAes128Gcm,
        SrtpProtectionProfile.AeadAes256Gcm,
        SrtpProtectionProfile.AesCm128HmacSha1_80,
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Our_server_exports_the_same_keys_as_openssl_s_client(SrtpProtectionProfile profile)
    {
        using var peerCertificate = new OpenSslCertificate();
        var local = DtlsCertificate.Generate();
        using var udp = new UdpDatagramPeer();
        int exportLength = UseSrtpProfiles.KeyBlockLength(profile);

        var accept = DtlsHandshake.AcceptAsync(udp.Channel, local, peerCertificate.Fingerprint, new DtlsOptions { SrtpProfiles = [profile] });
        // The client offers all three; our server's preference list (narrowed to one) decides.
        using var client = OpenSsl.Start(
            $"s_client -dtls1_2 -connect 127.0.0.1:{udp.LocalPort} -cert {peerCertificate.CertificatePath} -key {peerCertificate.KeyPath} " +
            $"-use_srtp SRTP_AEAD_AES_128_GCM:SRTP_AEAD_AES_256_GCM:SRTP_AES128_CM_SHA1_80 -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen {exportLength} -ign_eof");

        DtlsHandshakeResult result = await accept.WaitAsync(Timeout);
        string opensslKeys = await client.WaitForKeyingMaterialAsync(Timeout);

        Assert.Equal(profile, result.Keys.Profile);
        Assert.Equal(UseSrtpProfiles.GetName(profile), await client.WaitForSrtpProfileAsync(Timeout));
        Assert.Equal(opensslKeys, Convert.ToHexString(result.Keys.ExportedBlock));
        Assert.Equal(peerCertificate.Fingerprint, result.PeerFingerprint);
        Assert.False(result.IsClient);
        output.WriteLine($"server vs s_client, {UseSrtpProfiles.GetName(profile)}: handshake {result.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Our_client_exports_the_same_keys_as_openssl_s_server(SrtpProtectionProfile profile)
    {
        using var peerCertificate = new OpenSslCertificate();
        var local = DtlsCertificate.Generate();
        int port = OpenSsl.FreeUdpPort();

        // s_server decides the profile: give it only the one under test; -verify 1 asks for our certificate.
        using var server = OpenSsl.Start(
            $"s_server -dtls1_2 -accept 127.0.0.1:{port} -cert {peerCertificate.CertificatePath} -key {peerCertificate.KeyPath} -verify 1 -naccept 1 " +
            $"-use_srtp {UseSrtpProfiles.GetName(profile)} -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen {UseSrtpProfiles.KeyBlockLength(profile)}");
        await server.WaitForAsync(new("(ACCEPT)"), Timeout);

        using var udp = new UdpDatagramPeer(new IPEndPoint(IPAddress.Loopback, port));
        DtlsHandshakeResult result = await DtlsHandshake.ConnectAsync(udp.Channel, local, peerCertificate.Fingerprint, new DtlsOptions()).WaitAsync(Timeout);
        string opensslKeys = await server.WaitForKeyingMaterialAsync(Timeout);

        Assert.Equal(profile, result.Keys.Profile);
        Assert.Equal(opensslKeys, Convert.ToHexString(result.Keys.ExportedBlock));
        Assert.Equal(peerCertificate.Fingerprint, result.PeerFingerprint);
        Assert.True(result.IsClient);
        output.WriteLine($"client vs s_server, {UseSrtpProfiles.GetName(profile)}: handshake {result.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Our_server_accepts_only_the_client_certificate_the_SDP_announced(bool announceTheRightFingerprint)
    {
        using var peerCertificate = new OpenSslCertificate();
        var local = DtlsCertificate.Generate();
        DtlsFingerprint announced = announceTheRightFingerprint ? peerCertificate.Fingerprint : DtlsCertificate.Generate().Fingerprint;
        using var udp = new UdpDatagramPeer();

        var accept = DtlsHandshake.AcceptAsync(udp.Channel, local, announced, new DtlsOptions());
        using var client = OpenSsl.Start(
            $"s_client -dtls1_2 -connect 127.0.0.1:{udp.LocalPort} -cert {peerCertificate.CertificatePath} -key {peerCertificate.KeyPath} " +
            "-use_srtp SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80 -ign_eof");

        if (announceTheRightFingerprint)
        {
            var result = await accept.WaitAsync(Timeout);
            Assert.Equal(peerCertificate.Fingerprint, result.PeerFingerprint);
        }
        else
        {
            var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => accept.WaitAsync(Timeout));
            Assert.Contains("fingerprint mismatch", failure.Message, StringComparison.Ordinal);
            Assert.Contains(peerCertificate.Fingerprint.ToString(), failure.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Our_client_accepts_only_the_server_certificate_the_SDP_announced(bool announceTheRightFingerprint)
    {
        using var peerCertificate = new OpenSslCertificate();
        var local = DtlsCertificate.Generate();
        DtlsFingerprint announced = announceTheRightFingerprint ? peerCertificate.Fingerprint : DtlsCertificate.Generate().Fingerprint;
        int port = OpenSsl.FreeUdpPort();
        using var server = OpenSsl.Start(
            $"s_server -dtls1_2 -accept 127.0.0.1:{port} -cert {peerCertificate.CertificatePath} -key {peerCertificate.KeyPath} -verify 1 -naccept 1 " +
            "-use_srtp SRTP_AEAD_AES_128_GCM");
        await server.WaitForAsync(new("(ACCEPT)"), Timeout);

        using var udp = new UdpDatagramPeer(new IPEndPoint(IPAddress.Loopback, port));
        var connect = DtlsHandshake.ConnectAsync(udp.Channel, local, announced, new DtlsOptions());

        if (announceTheRightFingerprint)
        {
            var result = await connect.WaitAsync(Timeout);
            Assert.Equal(peerCertificate.Fingerprint, result.PeerFingerprint);
        }
        else
        {
            var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => connect.WaitAsync(Timeout));
            Assert.Contains("fingerprint mismatch", failure.Message, StringComparison.Ordinal);
        }
    }
}
