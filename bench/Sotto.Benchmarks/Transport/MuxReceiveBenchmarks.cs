using System.Net;
using BenchmarkDotNet.Attributes;
using Sotto.Rtc.Srtp;
using Sotto.Transport;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Benchmarks.Transport;

/// <summary>
/// The SFU's per-packet receive path after the socket: RFC 7983 classification, SocketAddress
/// lookup, SRTP unprotect of a 1,200-byte RTP packet, listener callback. Each iteration first
/// protects a fresh packet (new sequence number, or the replay window would drop it), so the figure
/// is protect + receive path; compare with the SRTP protect benchmark to isolate the receive path.
/// </summary>
[MemoryDiagnoser]
public class MuxReceiveBenchmarks
{
    private const int PacketLength = 1200;
    private readonly byte[] _buffer = new byte[2048];
    private readonly byte[] _plain = new byte[PacketLength];
    private UdpMux _serverMux = null!;
    private UdpMux _clientMux = null!;
    private WebRtcTransport _server = null!;
    private WebRtcTransport _client = null!;
    private SrtpContext _clientOutbound = null!;
    private SocketAddress _clientAddress = null!;
    private ushort _sequence;

    [Params(SrtpProtectionProfile.AeadAes128Gcm, SrtpProtectionProfile.AesCm128HmacSha1_80)]
    public SrtpProtectionProfile Profile { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new UdpMuxOptions { BindAddress = IPAddress.Loopback };
        _serverMux = new UdpMux(options);
        _clientMux = new UdpMux(options);
        var serverCertificate = DtlsCertificate.Generate();
        var clientCertificate = DtlsCertificate.Generate();
        var serverIce = IceParameters.Generate();
        var clientIce = IceParameters.Generate();
        var transportOptions = new WebRtcTransportOptions { Dtls = new DtlsOptions { SrtpProfiles = [Profile] } };
        _server = WebRtcTransport.CreateServer(_serverMux, serverCertificate, serverIce, clientIce, clientCertificate.Fingerprint, new NullListener(), transportOptions);
        _client = WebRtcTransport.CreateClient(_clientMux, clientCertificate, clientIce, serverIce, serverCertificate.Fingerprint, _serverMux.LocalEndPoint, new NullListener(), transportOptions);
        Task.WhenAll(_server.Connected, _client.Connected).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();

        SrtpKeyingMaterial keys = _server.Keys!;
        _clientOutbound = SrtpContext.Create(keys.Profile, keys.ClientKey, keys.ClientSalt);
        _clientAddress = _serverMux.ToSocketAddress(_clientMux.LocalEndPoint);
        _plain[0] = 0x80;
        _plain[1] = 96;
        _plain[11] = 0x42; // SSRC 0x42
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Close();
        _server.Close();
        _clientOutbound.Dispose();
        _clientMux.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _serverMux.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "protect + mux dispatch + SRTP unprotect, 1200-byte RTP")]
    public void ProtectThenDispatch()
    {
        _plain.CopyTo(_buffer, 0);
        ushort sequence = ++_sequence;
        _buffer[2] = (byte)(sequence >> 8);
        _buffer[3] = (byte)sequence;
        _clientOutbound.ProtectRtp(_buffer, PacketLength, out int length);
        _serverMux.Dispatch(_buffer.AsSpan(0, length), _clientAddress);
    }

    private sealed class NullListener : IWebRtcTransportListener
    {
        public void OnConnected(WebRtcTransport transport)
        {
        }

        public void OnRtp(WebRtcTransport transport, Span<byte> packet)
        {
        }

        public void OnRtcp(WebRtcTransport transport, Span<byte> packet)
        {
        }

        public void OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error)
        {
        }
    }
}
