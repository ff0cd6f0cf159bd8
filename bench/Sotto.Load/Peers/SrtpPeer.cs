using System.Net;
using Sotto.Load.Media;
using Sotto.Transport;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Load.Peers;

/// <summary>
/// One peer connection of a headless participant on our own C# transport: its own UDP socket
/// (<see cref="UdpMux"/>: the server tells peers apart by address), ICE controlling, DTLS client,
/// SRTP. Received RTP is only counted and timestamped (<see cref="SubscriberCounters"/>): the
/// frames are not decrypted, which keeps the generator light. A PLI or FIR asks the publisher for
/// a key frame.
/// </summary>
internal sealed class SrtpPeer : IWebRtcTransportListener, IRtpSink, IAsyncDisposable
{
    // One certificate for every peer: generating one per peer would cost the generator seconds.
    public static readonly DtlsCertificate Certificate = DtlsCertificate.Generate();

    private const int SrtpTagOverhead = 16;
    private readonly UdpMux _mux;
    private WebRtcTransport? _transport;

    public SrtpPeer(IPAddress localAddress)
    {
        _mux = new UdpMux(new UdpMuxOptions { BindAddress = localAddress, SocketBufferSize = 1 << 20 });
    }

    public IceParameters LocalIce { get; } = IceParameters.Generate();

    public IPEndPoint LocalEndPoint => _mux.LocalEndPoint;

    public SubscriberCounters? Counters { get; set; }

    public SyntheticPublisher? Publisher { get; set; }

    public WebRtcTransport? Transport => _transport;

    /// <summary>
    /// We offer only AEAD_AES_128_GCM so every server negotiates the same SRTP cipher (Sotto picks it
    /// first anyway; Janus's OpenSSL would otherwise pick AEAD_AES_256_GCM) and the CPU per packet
    /// compares like with like.
    /// </summary>
    private static readonly WebRtcTransportOptions Options = new()
    {
        Dtls = new DtlsOptions { SrtpProfiles = [Sotto.Rtc.Srtp.SrtpProtectionProfile.AeadAes128Gcm] },
    };

    public Task ConnectAsync(IceParameters remoteIce, DtlsFingerprint remoteFingerprint, IPEndPoint remoteCandidate)
    {
        _transport = WebRtcTransport.CreateClient(_mux, Certificate, LocalIce, remoteIce, remoteFingerprint, remoteCandidate, this, Options);
        return _transport.Connected;
    }

    public bool SendRtp(ReadOnlySpan<byte> packet) => _transport is { } t && t.SendRtp(packet);

    public void OnConnected(WebRtcTransport transport)
    {
    }

    public void OnRtp(WebRtcTransport transport, Span<byte> packet) => Counters?.OnRtp(packet, packet.Length + SrtpTagOverhead);

    public void OnRtcp(WebRtcTransport transport, Span<byte> packet)
    {
        if (Publisher is { } publisher && RtcpScan.AsksForKeyFrame(packet))
            publisher.RequestKeyFrame();
    }

    public void OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error) => ClosedReason = reason;

    public WebRtcTransportCloseReason? ClosedReason { get; private set; }

    public async ValueTask DisposeAsync()
    {
        _transport?.Close();
        await _mux.DisposeAsync();
    }
}

/// <summary>Finds a PLI (RFC 4585 §6.3.1) or FIR (RFC 5104 §4.3.1) in a compound RTCP packet.</summary>
internal static class RtcpScan
{
    private const byte PayloadSpecificFeedback = 206;
    private const int PliFormat = 1;
    private const int FirFormat = 4;

    public static bool AsksForKeyFrame(ReadOnlySpan<byte> compound)
    {
        // RFC 3550 §6.4.1: V=2 P RC/FMT(5) | PT(8) | length in 32-bit words minus one (16).
        while (compound.Length >= 4)
        {
            int format = compound[0] & 0x1F;
            int length = (((compound[2] << 8) | compound[3]) + 1) * 4;
            if (compound[1] == PayloadSpecificFeedback && format is PliFormat or FirFormat)
                return true;
            if (length > compound.Length)
                return false;
            compound = compound[length..];
        }
        return false;
    }
}
