using System.Diagnostics;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Sotto.Transport.Dtls;

/// <summary>
/// Runs BouncyCastle's blocking DTLS handshakes. <c>Accept</c>/<c>Connect</c> block for the whole
/// handshake, so each runs on its own dedicated thread: parking thread-pool threads in them would
/// starve the socket loops under a burst of joins (DESIGN.md §9).
/// </summary>
public static class DtlsHandshake
{
    private static readonly SecureRandom Random = new();

    // BouncyCastle's handshake is not deeply recursive; a small stack keeps a burst of joins cheap.
    private const int HandshakeThreadStackSize = 512 * 1024;

    /// <summary>
    /// Server role (WebRTC <c>a=setup:passive</c>). No HelloVerifyRequest cookie exchange:
    /// BouncyCastle's <c>DtlsVerifier</c> cannot parse Chromium's two-datagram ClientHello, so the
    /// caller must only start this after a valid ICE check from the address (our cookie).
    /// </summary>
    public static Task<DtlsHandshakeResult> AcceptAsync(DtlsDatagramChannel channel, DtlsCertificate local, DtlsFingerprint expectedPeer, DtlsOptions options, Action? peerClosed = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        return Run(channel, options, isClient: false, () =>
        {
            var server = new DtlsSrtpServer(new BcTlsCrypto(Random), local, expectedPeer, options) { PeerClosed = peerClosed };
            var protocol = new DtlsServerProtocol { VerifyRequests = false };
            DtlsTransport transport = protocol.Accept(server, channel);
            return (transport, server.Keys!, server.PeerFingerprint);
        });
    }

    /// <summary>Client role (WebRTC <c>a=setup:active</c>), for our own C# participant.</summary>
    public static Task<DtlsHandshakeResult> ConnectAsync(DtlsDatagramChannel channel, DtlsCertificate local, DtlsFingerprint expectedPeer, DtlsOptions options, Action? peerClosed = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        return Run(channel, options, isClient: true, () =>
        {
            var client = new DtlsSrtpClient(new BcTlsCrypto(Random), local, expectedPeer, options) { PeerClosed = peerClosed };
            DtlsTransport transport = new DtlsClientProtocol().Connect(client, channel);
            return (transport, client.Keys!, client.PeerFingerprint);
        });
    }

    private static Task<DtlsHandshakeResult> Run(
        DtlsDatagramChannel channel,
        DtlsOptions options,
        bool isClient,
        Func<(DtlsTransport Transport, SrtpKeyingMaterial Keys, DtlsFingerprint Peer)> handshake)
    {
        var completion = new TaskCompletionSource<DtlsHandshakeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(
            () =>
            {
                var stopwatch = Stopwatch.StartNew();
                try
                {
                    var (transport, keys, peer) = handshake();
                    completion.SetResult(new DtlsHandshakeResult(transport, isClient, keys, peer, stopwatch.Elapsed));
                }
                catch (Exception exception)
                {
                    // A failed association is dead: close the channel so nothing more is queued for it.
                    channel.Close();
                    completion.SetException(new DtlsHandshakeException(Describe(exception, isClient, stopwatch.Elapsed, options), exception));
                }
            },
            HandshakeThreadStackSize)
        {
            IsBackground = true,
            Name = isClient ? "dtls-connect" : "dtls-accept",
        };
        thread.Start();
        return completion.Task;
    }

    private static string Describe(Exception exception, bool isClient, TimeSpan elapsed, DtlsOptions options)
    {
        string role = isClient ? "client" : "server";
        if (exception is TlsTimeoutException || elapsed >= options.HandshakeTimeout)
            return $"DTLS {role} handshake timed out after {elapsed.TotalMilliseconds:F0} ms.";

        // BouncyCastle wraps our own TlsFatalAlert (e.g. a fingerprint mismatch) as the cause.
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is TlsFatalAlert alert && !string.IsNullOrEmpty(alert.Message))
                return $"DTLS {role} handshake failed: {alert.Message}";
        }

        return $"DTLS {role} handshake failed: {exception.Message}";
    }
}
