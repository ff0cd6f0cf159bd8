using Org.BouncyCastle.Tls;

namespace Sotto.Transport.Dtls;

/// <summary>What a completed DTLS-SRTP handshake leaves behind.</summary>
public sealed class DtlsHandshakeResult
{
    internal DtlsHandshakeResult(DtlsTransport transport, bool isClient, SrtpKeyingMaterial keys, DtlsFingerprint peerFingerprint, TimeSpan elapsed)
    {
        Transport = transport;
        IsClient = isClient;
        Keys = keys;
        PeerFingerprint = peerFingerprint;
        Elapsed = elapsed;
    }

    /// <summary>The established association (for alerts and close_notify after the handshake).</summary>
    internal DtlsTransport Transport { get; }

    /// <summary>True when we were the DTLS client.</summary>
    public bool IsClient { get; }

    /// <summary>The exported SRTP keys and the negotiated profile.</summary>
    public SrtpKeyingMaterial Keys { get; }

    /// <summary>The verified fingerprint of the peer's certificate.</summary>
    public DtlsFingerprint PeerFingerprint { get; }

    /// <summary>Time from the start of Accept/Connect to its completion.</summary>
    public TimeSpan Elapsed { get; }
}
