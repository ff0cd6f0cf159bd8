using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Transport;

/// <summary>Knobs of a <see cref="WebRtcTransport"/>.</summary>
public sealed class WebRtcTransportOptions
{
    /// <summary>ICE timers and consent freshness.</summary>
    public IceOptions Ice { get; init; } = new();

    /// <summary>DTLS handshake bounds and SRTP profile preference.</summary>
    public DtlsOptions Dtls { get; init; } = new();

    /// <summary>Largest RTP/RTCP packet we send, before the SRTP tag.</summary>
    public int MaxPacketSize { get; init; } = 1500;
}
