using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Sotto.Rtc.Sdp;
using Sotto.Transport;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Server.Tests.Media;

/// <summary>
/// The media half of a headless participant: our C# client transport (ICE controlling, DTLS client,
/// SRTP) for one peer connection, with the SDP a browser would write for it.
/// </summary>
internal sealed class MediaPeer : IWebRtcTransportListener, IAsyncDisposable
{
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate();
    private readonly UdpMux _mux = new(new UdpMuxOptions { BindAddress = IPAddress.Loopback });
    private readonly IceParameters _ice = IceParameters.Generate();

    public WebRtcTransport? Transport { get; private set; }

    public ConcurrentQueue<byte[]> Rtp { get; } = new();

    /// <summary>A publish offer like Chromium's: mic on mid 0, camera on mid 1 (single stream), mid and transport-cc extensions.</summary>
    public string PublishOffer()
    {
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");
        Line("v=0");
        Line("o=- 7 2 IN IP4 127.0.0.1");
        Line("s=-");
        Line("t=0 0");
        Line("a=group:BUNDLE 0 1");
        foreach (var (mid, kind) in new[] { ("0", "audio"), ("1", "video") })
        {
            Line(kind == "audio" ? "m=audio 9 UDP/TLS/RTP/SAVPF 111" : "m=video 9 UDP/TLS/RTP/SAVPF 96 97");
            Line("c=IN IP4 0.0.0.0");
            Transport_(Line, "actpass");
            Line($"a=mid:{mid}");
            Line("a=extmap:4 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
            Line("a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid");
            Line("a=sendonly");
            Line("a=rtcp-mux");
            if (kind == "audio")
            {
                Line("a=rtpmap:111 opus/48000/2");
            }
            else
            {
                Line("a=rtpmap:96 VP8/90000");
                Line("a=rtpmap:97 rtx/90000");
                Line("a=fmtp:97 apt=96");
            }
        }
        return sdp.ToString();
    }

    /// <summary>The answer a browser gives a subscribe offer: every sendonly m-line received, the rest inactive.</summary>
    public string SubscribeAnswer(string offerSdp)
    {
        var offer = SessionDescription.Parse(offerSdp);
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");
        Line("v=0");
        Line("o=- 8 2 IN IP4 127.0.0.1");
        Line("s=-");
        Line("t=0 0");
        Line("a=group:BUNDLE " + string.Join(' ', offer.Media.Select(m => m.Mid)));
        foreach (var media in offer.Media)
        {
            Line($"m={media.MediaType} 9 UDP/TLS/RTP/SAVPF {string.Join(' ', media.PayloadTypes)}");
            Line("c=IN IP4 0.0.0.0");
            Transport_(Line, "active");
            Line($"a=mid:{media.Mid}");
            Line(media.Direction == MediaDirection.SendOnly ? "a=recvonly" : "a=inactive");
            Line("a=rtcp-mux");
            foreach (var map in media.RtpMaps)
                Line($"a=rtpmap:{map.PayloadType} {map.EncodingName}/{map.ClockRate}" + (map.Channels is { } c ? $"/{c}" : ""));
        }
        return sdp.ToString();
    }

    /// <summary>Connects to the server's candidate from its answer or offer.</summary>
    public Task ConnectAsync(string remoteSdp)
    {
        var remote = SessionDescription.Parse(remoteSdp);
        var media = remote.Media[0];
        var ice = remote.GetIceCredentials(media)!.Value;
        var candidate = Assert.Single(media.Candidates);
        var fingerprint = remote.GetFingerprint(media)!.ToString();
        Transport = WebRtcTransport.CreateClient(
            _mux, Certificate, _ice, new IceParameters(ice.Ufrag, ice.Password),
            DtlsFingerprint.Parse(fingerprint[(fingerprint.IndexOf(':', StringComparison.Ordinal) + 1)..]),
            new IPEndPoint(IPAddress.Parse(candidate.Address), candidate.Port), this);
        return Transport.Connected.WaitAsync(TimeSpan.FromSeconds(15));
    }

    private void Transport_(Action<string> line, string setup)
    {
        line($"a=ice-ufrag:{_ice.UsernameFragment}");
        line($"a=ice-pwd:{_ice.Password}");
        line($"a=fingerprint:{Certificate.Fingerprint}");
        line($"a=setup:{setup}");
    }

    public void OnConnected(WebRtcTransport transport)
    {
    }

    public void OnRtp(WebRtcTransport transport, Span<byte> packet) => Rtp.Enqueue(packet.ToArray());

    public void OnRtcp(WebRtcTransport transport, Span<byte> packet)
    {
    }

    public void OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error)
    {
    }

    public async ValueTask DisposeAsync()
    {
        Transport?.Close();
        await _mux.DisposeAsync();
    }
}
