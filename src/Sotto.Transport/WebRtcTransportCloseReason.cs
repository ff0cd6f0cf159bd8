namespace Sotto.Transport;

/// <summary>Why a transport closed.</summary>
public enum WebRtcTransportCloseReason
{
    /// <summary>Closed by its owner.</summary>
    Closed,

    /// <summary>No valid ICE check (server) or no answered check (client) within the consent timeout (RFC 7675).</summary>
    ConsentExpired,

    /// <summary>The client's first connectivity check was never answered (RFC 8489 §6.2.1 timeout).</summary>
    IceFailed,

    /// <summary>The DTLS handshake failed: timeout, alert, or a certificate not matching the SDP fingerprint.</summary>
    DtlsFailed,

    /// <summary>The peer ended the DTLS association (close_notify or a fatal alert).</summary>
    DtlsClosedByPeer,
}
