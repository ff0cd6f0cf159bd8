namespace Sotto.Transport;

/// <summary>
/// How a <see cref="WebRtcTransport"/> talks to its owner (a narrow listener, mediasoup style).
/// Packet callbacks run on the mux receive loop with a span over its buffer: use the bytes before
/// returning, copy what must outlive the call, never block.
/// </summary>
public interface IWebRtcTransportListener
{
    /// <summary>ICE and DTLS are done; SRTP keys are installed and packets flow.</summary>
    void OnConnected(WebRtcTransport transport);

    /// <summary>An authenticated, decrypted RTP packet.</summary>
    void OnRtp(WebRtcTransport transport, Span<byte> packet);

    /// <summary>An authenticated, decrypted RTCP packet (compound, or a lone feedback packet under rtcp-rsize).</summary>
    void OnRtcp(WebRtcTransport transport, Span<byte> packet);

    /// <summary>The transport is gone; called once.</summary>
    void OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error);
}
