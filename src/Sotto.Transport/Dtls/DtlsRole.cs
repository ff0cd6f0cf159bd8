namespace Sotto.Transport.Dtls;

/// <summary>
/// Which side of the DTLS handshake a transport takes. In WebRTC it is negotiated by SDP
/// <c>a=setup</c> (RFC 8842 §5, RFC 5763 §5), independently of the ICE role: the offerer says
/// <c>actpass</c>, the answerer picks <c>active</c> (client) or <c>passive</c> (server).
/// </summary>
public enum DtlsRole
{
    /// <summary>Sends the ClientHello (<c>a=setup:active</c>).</summary>
    Client,

    /// <summary>Waits for the ClientHello (<c>a=setup:passive</c>).</summary>
    Server,
}
