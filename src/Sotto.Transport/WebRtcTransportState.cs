namespace Sotto.Transport;

/// <summary>Where a transport is in its life.</summary>
public enum WebRtcTransportState
{
    /// <summary>Waiting for (server) or sending (client) the first valid connectivity check.</summary>
    Checking,

    /// <summary>ICE succeeded; the DTLS handshake runs.</summary>
    DtlsHandshaking,

    /// <summary>SRTP keys installed.</summary>
    Connected,

    /// <summary>Closed; see <see cref="IWebRtcTransportListener.OnClosed"/>.</summary>
    Closed,
}
