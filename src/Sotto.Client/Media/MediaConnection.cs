using System.Net;
using System.Net.Sockets;
using Sotto.Client.Negotiation;
using Sotto.Transport;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Client.Media;

/// <summary>
/// One of our two peer connections (publish or subscribe, docs/protocol.md "Media"): its own UDP
/// socket (the server tells client transports apart by address, so each needs its own), our ICE
/// credentials, and the client <see cref="WebRtcTransport"/> (ICE controlling, DTLS in the role the
/// SDP negotiated, SRTP).
/// Packets go to the owner through narrow callbacks on the mux receive loop.
/// </summary>
internal sealed class MediaConnection : IWebRtcTransportListener, IAsyncDisposable
{
    private readonly DtlsCertificate _certificate;
    private readonly IMediaConnectionListener _listener;
    private UdpMux? _mux;

    public MediaConnection(DtlsCertificate certificate, IMediaConnectionListener listener)
    {
        _certificate = certificate;
        _listener = listener;
    }

    public IceParameters LocalIce { get; } = IceParameters.Generate();

    public DtlsFingerprint LocalFingerprint => _certificate.Fingerprint;

    public WebRtcTransport? Transport { get; private set; }

    public bool IsConnected => Transport?.State == WebRtcTransportState.Connected;

    /// <summary>Why the transport closed, once it has.</summary>
    public WebRtcTransportCloseReason? CloseReason { get; private set; }

    /// <summary>Our socket's address (its host candidate), once <see cref="ConnectAsync"/> bound it.</summary>
    public IPEndPoint? LocalEndPoint => _mux?.LocalEndPoint;

    /// <summary>
    /// Starts ICE (controlling) towards the peer's candidate and DTLS in <paramref name="dtlsRole"/>,
    /// which <see cref="DtlsSetup"/> derived from the SDP <c>a=setup</c> exchange. Once only:
    /// renegotiations keep the transport and its role.
    /// </summary>
    public Task ConnectAsync(RemoteTransport remote, DtlsRole dtlsRole)
    {
        if (Transport is not null)
            return Transport.Connected;
        // The socket is bound only now, for the family and scope of the server's candidate.
        _mux = new UdpMux(new UdpMuxOptions { BindAddress = BindAddressFor(remote.Candidate.Address), SocketBufferSize = 1024 * 1024 });
        Transport = WebRtcTransport.CreateClient(_mux, _certificate, LocalIce, remote.Ice, remote.Fingerprint, remote.Candidate, this, options: null, dtlsRole);
        return Transport.Connected;
    }

    public bool SendRtp(ReadOnlySpan<byte> packet) => Transport?.SendRtp(packet) ?? false;

    public bool SendRtcp(ReadOnlySpan<byte> packet) => Transport?.SendRtcp(packet) ?? false;

    void IWebRtcTransportListener.OnConnected(WebRtcTransport transport) => _listener.OnConnected(this);

    void IWebRtcTransportListener.OnRtp(WebRtcTransport transport, Span<byte> packet) => _listener.OnRtp(this, packet);

    void IWebRtcTransportListener.OnRtcp(WebRtcTransport transport, Span<byte> packet) => _listener.OnRtcp(this, packet);

    void IWebRtcTransportListener.OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error)
    {
        CloseReason = reason;
        _listener.OnClosed(this, reason);
    }

    /// <summary>The local address to bind for a server address: loopback for loopback, else the wildcard of its family.</summary>
    public static IPAddress BindAddressFor(IPAddress server) =>
        IPAddress.IsLoopback(server) ? server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback
        : server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;

    public async ValueTask DisposeAsync()
    {
        Transport?.Close();
        if (_mux is not null)
            await _mux.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>How a <see cref="MediaConnection"/> talks to its owner; packet spans are valid only during the call.</summary>
internal interface IMediaConnectionListener
{
    void OnConnected(MediaConnection connection);

    void OnRtp(MediaConnection connection, Span<byte> packet);

    void OnRtcp(MediaConnection connection, Span<byte> packet);

    void OnClosed(MediaConnection connection, WebRtcTransportCloseReason reason);
}
