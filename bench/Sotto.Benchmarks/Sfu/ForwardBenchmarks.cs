using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sotto.Rtc.Codecs.Vp8;
using Sotto.Rtc.Rtp;
using Sotto.Rtc.Sdp;
using Sotto.Sfu;
using Sotto.Sfu.Negotiation;
using Sotto.Transport;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Benchmarks.Sfu;

/// <summary>
/// The SFU's forwarding path for one 1,000-byte VP8 packet from a publisher, after SRTP: parse,
/// transport-cc arrival, routing, statistics, NACK tracking, VP8 descriptor, then per subscriber the
/// rewrite, retransmission cache, SRTP protect (AES-128-GCM) and sendto on loopback. The subscribers'
/// client transports decrypt on their own threads meanwhile (2 shared cores: read the error column).
/// </summary>
[MemoryDiagnoser]
public class ForwardBenchmarks
{
    private const byte MidId = 9;
    private const byte TransportCcId = 4;
    private readonly byte[] _packet = new byte[1100];
    private readonly List<UdpMux> _muxes = [];
    private readonly List<WebRtcTransport> _clients = [];
    private SfuHost _sfu = null!;
    private Router _router = null!;
    private SfuParticipant _publisher = null!;
    private int _length;
    private ushort _sequence;

    [Params(1, 4)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sfu = new SfuHost(new SfuOptions { Port = 0, BindAddress = IPAddress.Loopback });
        var certificate = DtlsCertificate.Generate();
        for (var i = 0; i < Subscribers; i++)
        {
            var signal = new AnsweringSignal(this, certificate);
            signal.Participant = _sfu.Join("bench", "s" + i, i + 2, signal);
        }
        var publisherIce = IceParameters.Generate();
        _publisher = _sfu.Join("bench", "publisher", 1, new AnsweringSignal(this, certificate));
        var answer = SessionDescription.Parse(_publisher.Publish(PublishOffer(publisherIce, certificate), [new PublishTrackRequest("0", MediaSource.Camera)]));
        Connect(answer, publisherIce, certificate);
        Task.WhenAll(_clients.Select(c => c.Connected)).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        _router = _sfu.FindRouter("bench")!;

        var descriptor = new Vp8PayloadDescriptor { StartOfPartition = true, PictureId = 1, LongPictureId = true, Tl0PicIdx = 0, TemporalLayerId = 0 };
        var payload = new byte[1000];
        descriptor.TryWrite(payload, out var descriptorLength);
        byte[] keyFrame = [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01];
        keyFrame.CopyTo(payload.AsSpan(descriptorLength));
        RtpPacketWriter.TryCreate(_packet, new RtpHeader(96, 0, 0, 0x5151, true), default, RtpExtensionProfile.OneByte, out var writer);
        writer.TryAddTransportSequenceNumber(TransportCcId, 0);
        writer.TryAddExtension(MidId, "0"u8);
        writer.TryWritePayload(payload);
        writer.TryComplete(0, out _length);
        _router.OnPublisherRtp(_publisher, _packet.AsSpan(0, _length)); // the key frame starts every consumer
        payload[descriptorLength] = 0x11; // then delta frames
        _packet[_length - payload.Length + descriptorLength] = 0x11;
    }

    [Benchmark]
    public void ForwardOnePacket()
    {
        var sequence = ++_sequence;
        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(4), sequence * 3000u);
        _router.OnPublisherRtp(_publisher, _packet.AsSpan(0, _length));
        if ((sequence & 255) == 0)
            _router.OnTick(); // as the 50 ms timer would: keeps the transport-cc backlog bounded
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var client in _clients)
            client.Close();
        foreach (var mux in _muxes)
            mux.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _sfu.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private void Connect(SessionDescription remote, IceParameters localIce, DtlsCertificate certificate)
    {
        var media = remote.Media[0];
        var ice = remote.GetIceCredentials(media)!.Value;
        var candidate = media.Candidates[0];
        var text = remote.GetFingerprint(media)!.ToString();
        var mux = new UdpMux(new UdpMuxOptions { BindAddress = IPAddress.Loopback });
        _muxes.Add(mux);
        _clients.Add(WebRtcTransport.CreateClient(
            mux, certificate, localIce, new IceParameters(ice.Ufrag, ice.Password), DtlsFingerprint.Parse(text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..]),
            new IPEndPoint(IPAddress.Parse(candidate.Address), candidate.Port), new NullListener()));
    }

    private static string PublishOffer(IceParameters ice, DtlsCertificate certificate) => string.Join("\r\n",
        "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97", "c=IN IP4 0.0.0.0", $"a=ice-ufrag:{ice.UsernameFragment}", $"a=ice-pwd:{ice.Password}",
        $"a=fingerprint:{certificate.Fingerprint}", "a=setup:actpass", "a=mid:0",
        $"a=extmap:{TransportCcId} http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
        $"a=extmap:{MidId} urn:ietf:params:rtp-hdrext:sdes:mid", "a=sendonly", "a=rtcp-mux",
        "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96", "");

    /// <summary>Answers subscribe offers as a browser would and connects a client transport.</summary>
    private sealed class AnsweringSignal(ForwardBenchmarks owner, DtlsCertificate certificate) : ISfuSignal
    {
        private readonly IceParameters _ice = IceParameters.Generate();

        public SfuParticipant? Participant { get; set; }

        public void OnSubscribeOffer(SubscribeOfferMessage offer)
        {
            var description = SessionDescription.Parse(offer.Sdp);
            var sdp = new StringBuilder();
            sdp.Append("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE ").Append(string.Join(' ', description.Media.Select(m => m.Mid))).Append("\r\n");
            foreach (var media in description.Media)
            {
                sdp.Append(CultureInfo.InvariantCulture, $"m={media.MediaType} 9 UDP/TLS/RTP/SAVPF {string.Join(' ', media.PayloadTypes)}\r\nc=IN IP4 0.0.0.0\r\n")
                   .Append(CultureInfo.InvariantCulture, $"a=ice-ufrag:{_ice.UsernameFragment}\r\na=ice-pwd:{_ice.Password}\r\na=fingerprint:{certificate.Fingerprint}\r\n")
                   .Append(CultureInfo.InvariantCulture, $"a=setup:active\r\na=mid:{media.Mid}\r\na=recvonly\r\na=rtcp-mux\r\n");
            }
            Participant!.ApplySubscribeAnswer(offer.Version, sdp.ToString());
            if (offer.Version == 1)
                owner.Connect(description, _ice, certificate);
        }

        public void OnMediaClosed(SfuCloseReason reason)
        {
        }
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
