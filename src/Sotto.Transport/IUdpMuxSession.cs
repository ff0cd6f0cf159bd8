using System.Net;

namespace Sotto.Transport;

/// <summary>
/// What the mux needs from a session that owns remote addresses on the shared port (mediasoup's
/// narrow listener style: the mux never sees a session's concrete type).
/// </summary>
internal interface IUdpMuxSession
{
    /// <summary>
    /// A datagram for this session. STUN may come from an address not yet bound
    /// (<paramref name="isBound"/> false): the mux found the session by the USERNAME's ufrag, and the
    /// session must verify MESSAGE-INTEGRITY before it calls <see cref="UdpMux.Bind"/>. DTLS and
    /// RTP only ever arrive from bound addresses. Runs on the receive loop: no blocking.
    /// </summary>
    void OnDatagram(DatagramKind kind, Span<byte> datagram, SocketAddress remote, bool isBound);

    /// <summary>Periodic tick for consent freshness and handshake deadlines.</summary>
    void OnHousekeeping(long nowMilliseconds);
}
