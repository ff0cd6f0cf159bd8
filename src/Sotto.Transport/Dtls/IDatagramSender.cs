namespace Sotto.Transport.Dtls;

/// <summary>Sends one datagram to the one peer a DTLS association talks to.</summary>
public interface IDatagramSender
{
    /// <summary>Sends synchronously; DTLS calls this from its handshake thread.</summary>
    void SendDatagram(ReadOnlySpan<byte> datagram);
}
