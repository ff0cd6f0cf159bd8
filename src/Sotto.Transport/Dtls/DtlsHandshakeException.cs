namespace Sotto.Transport.Dtls;

/// <summary>A DTLS-SRTP handshake failed: timeout, alert, or a peer certificate that does not match its SDP fingerprint.</summary>
public sealed class DtlsHandshakeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DtlsHandshakeException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public DtlsHandshakeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DtlsHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
