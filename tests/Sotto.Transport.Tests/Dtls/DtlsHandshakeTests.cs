using System.Net;
using Sotto.Transport.Dtls;
using Sotto.Transport.Tests.Support;

namespace Sotto.Transport.Tests.Dtls;

public sealed class DtlsHandshakeTests
{
    [Fact]
    public async Task Our_client_and_server_agree_on_keys_and_on_the_key_block_layout()
    {
        var serverCertificate = DtlsCertificate.Generate();
        var clientCertificate = DtlsCertificate.Generate();
        using var serverUdp = new UdpDatagramPeer();
        using var clientUdp = new UdpDatagramPeer(new IPEndPoint(IPAddress.Loopback, serverUdp.LocalPort));

        var accept = DtlsHandshake.AcceptAsync(serverUdp.Channel, serverCertificate, clientCertificate.Fingerprint, new DtlsOptions());
        var connect = DtlsHandshake.ConnectAsync(clientUdp.Channel, clientCertificate, serverCertificate.Fingerprint, new DtlsOptions());
        var (server, client) = (await accept.WaitAsync(TimeSpan.FromSeconds(30)), await connect.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.True(server.Keys.ExportedBlock.SequenceEqual(client.Keys.ExportedBlock));
        Assert.Equal(56, server.Keys.ExportedBlock.Length); // AEAD_AES_128_GCM: 2 × (16 + 12)
        // RFC 5764 §4.2 order: client key | server key | client salt | server salt.
        Assert.True(server.Keys.ClientKey.SequenceEqual(server.Keys.ExportedBlock[..16]));
        Assert.True(server.Keys.ServerKey.SequenceEqual(server.Keys.ExportedBlock[16..32]));
        Assert.True(server.Keys.ClientSalt.SequenceEqual(server.Keys.ExportedBlock[32..44]));
        Assert.True(server.Keys.ServerSalt.SequenceEqual(server.Keys.ExportedBlock[44..56]));
    }

    [Fact]
    public async Task A_silent_peer_times_the_handshake_out_within_its_bound()
    {
        using var udp = new UdpDatagramPeer(new IPEndPoint(IPAddress.Loopback, OpenSsl.FreeUdpPort()));
        var options = new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(1), InitialRetransmission = TimeSpan.FromMilliseconds(200) };

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(
            () => DtlsHandshake.ConnectAsync(udp.Channel, DtlsCertificate.Generate(), DtlsCertificate.Generate().Fingerprint, options).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("timed out", failure.Message, StringComparison.Ordinal);
        Assert.True(udp.Channel.IsClosed); // a failed association is cleaned up
    }

    [Fact]
    public async Task No_common_SRTP_profile_fails_the_handshake()
    {
        var serverCertificate = DtlsCertificate.Generate();
        var clientCertificate = DtlsCertificate.Generate();
        using var serverUdp = new UdpDatagramPeer();
        using var clientUdp = new UdpDatagramPeer(new IPEndPoint(IPAddress.Loopback, serverUdp.LocalPort));

        var accept = DtlsHandshake.AcceptAsync(serverUdp.Channel, serverCertificate, clientCertificate.Fingerprint,
            new DtlsOptions { SrtpProfiles = [Sotto.Rtc.Srtp.SrtpProtectionProfile.AeadAes128Gcm], HandshakeTimeout = TimeSpan.FromSeconds(5) });
        var connect = DtlsHandshake.ConnectAsync(clientUdp.Channel, clientCertificate, serverCertificate.Fingerprint,
            new DtlsOptions { SrtpProfiles = [Sotto.Rtc.Srtp.SrtpProtectionProfile.AesCm128HmacSha1_80], HandshakeTimeout = TimeSpan.FromSeconds(5) });

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => accept.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("No common SRTP protection profile", failure.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DtlsHandshakeException>(() => connect.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
