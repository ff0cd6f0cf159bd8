using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Sotto.Rtc.Sdp;
using Sotto.Sfu.Negotiation;
using Sotto.Transport;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Sfu.Tests.Support;

/// <summary>
/// A headless participant for the SFU tests: it publishes with our C# client transport (ICE
/// controlling, DTLS client, SRTP) from an offer shaped like Chromium's, answers subscribe offers
/// like Chromium does, and records everything the SFU sends it. Real sockets on loopback.
/// </summary>
internal sealed class TestParticipant : ISfuSignal, IAsyncDisposable
{
    public const byte MidId = 9;
    public const byte RidId = 10;
    public const byte RepairedRidId = 11;
    public const byte AbsSendTimeId = 2;
    public const byte TransportCcId = 4;
    public const int OpusPt = 111;
    public const int Vp8Pt = 96;
    public const int RtxPt = 97;

    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate();

    // Consent checks every 300 ms, so tests can run the server's consent timeout in seconds.
    private static readonly WebRtcTransportOptions ClientOptions = new() { Ice = new IceOptions { ConsentInterval = TimeSpan.FromMilliseconds(300) } };
    private readonly SfuHost _sfu;
    private readonly UdpMux _publishMux = new(new UdpMuxOptions { BindAddress = IPAddress.Loopback });
    private readonly UdpMux _subscribeMux = new(new UdpMuxOptions { BindAddress = IPAddress.Loopback });
    private readonly IceParameters _publishIce = IceParameters.Generate();
    private readonly IceParameters _subscribeIce = IceParameters.Generate();

    public TestParticipant(SfuHost sfu, string room, string id, int slot, bool autoAnswer = true)
    {
        _sfu = sfu;
        Id = id;
        Slot = slot;
        AutoAnswer = autoAnswer;
        Media = sfu.Join(room, id, slot, this);
        _joined.Set();
    }

    /// <summary>
    /// Set once <see cref="Media"/> is assigned: the SFU may deliver the first subscribe offer (what is
    /// already published) on another thread while Join is still returning.
    /// </summary>
    private readonly ManualResetEventSlim _joined = new();

    public string Id { get; }

    public int Slot { get; }

    public bool AutoAnswer { get; set; }

    public SfuParticipant Media { get; }

    public WebRtcTransport? Publish { get; private set; }

    public WebRtcTransport? Subscribe { get; private set; }

    /// <summary>What the SFU sent on the publish transport (RTCP: RR, transport-cc, NACK, PLI).</summary>
    public PacketRecorder PublishSide { get; } = new();

    /// <summary>What the SFU sent on the subscribe transport (RTP and SR).</summary>
    public PacketRecorder SubscribeSide { get; } = new();

    public ConcurrentQueue<SubscribeOfferMessage> Offers { get; } = new();

    public SubscribeOfferMessage? LastOffer { get; private set; }

    public SfuCloseReason? ClosedReason { get; private set; }

    /// <summary>Publishes a mic (mid 0) and a camera (mid 1, simulcast rids <paramref name="rids"/> or one stream) and connects.</summary>
    public async Task PublishAsync(string[] rids, bool screen = false)
    {
        var offer = BuildPublishOffer(rids, screen);
        var tracks = new List<PublishTrackRequest> { new("0", MediaSource.Mic), new("1", MediaSource.Camera) };
        if (screen)
            tracks.Add(new("2", MediaSource.Screen));
        var answer = SessionDescription.Parse(Media.Publish(offer, tracks));
        if (Publish is null)
        {
            var media = answer.Media[0];
            var ice = answer.GetIceCredentials(media)!.Value;
            var candidate = media.Candidates[0];
            Publish = WebRtcTransport.CreateClient(
                _publishMux, Certificate, _publishIce, new IceParameters(ice.Ufrag, ice.Password),
                ParseFingerprint(answer.GetFingerprint(media)!), new IPEndPoint(IPAddress.Parse(candidate.Address), candidate.Port), PublishSide, ClientOptions);
            await Publish.Connected.WaitAsync(TimeSpan.FromSeconds(15));
            // Our side is connected on the server's last handshake flight, a moment before the server
            // has installed its SRTP keys: media sent in that moment is dropped. Wait for both sides.
            await WaitUntil(() => Media.IsPublishConnected, 15_000);
        }
    }

    /// <summary>Answers the last offer now (when <see cref="AutoAnswer"/> is off).</summary>
    public void AnswerLastOffer()
    {
        var offer = LastOffer ?? throw new InvalidOperationException("No offer.");
        Answer(offer);
    }

    /// <summary>Both ends of the subscribe transport are connected (the server's keys too: see <see cref="PublishAsync"/>).</summary>
    public async Task WaitSubscribedAsync()
    {
        await WaitUntil(() => Subscribe is not null, 15_000);
        await Subscribe!.Connected.WaitAsync(TimeSpan.FromSeconds(15));
        await WaitUntil(() => Media.IsSubscribeConnected, 15_000);
    }

    /// <summary>Anything that went wrong answering an offer (a test asserts this stays empty).</summary>
    public ConcurrentQueue<Exception> Errors { get; } = new();

    public void OnSubscribeOffer(SubscribeOfferMessage offer)
    {
        _joined.Wait(TimeSpan.FromSeconds(15));
        LastOffer = offer;
        Offers.Enqueue(offer);
        if (!AutoAnswer)
            return;
        try
        {
            Answer(offer);
        }
        catch (Exception exception) when (exception is not SfuNegotiationException { Code: "not-joined" })
        {
            Errors.Enqueue(exception);
        }
    }

    public void OnMediaClosed(SfuCloseReason reason) => ClosedReason = reason;

    /// <summary>dominant-speaker events, in order.</summary>
    public ConcurrentQueue<string> DominantSpeakers { get; } = new();

    /// <summary>bandwidth events: low, paused mids.</summary>
    public ConcurrentQueue<(bool Low, string[] Paused)> BandwidthStates { get; } = new();

    /// <summary>publish-layers events: mid, rids someone needs.</summary>
    public ConcurrentQueue<(string Mid, string[] Rids)> PublishLayers { get; } = new();

    public void OnDominantSpeaker(string participantId) => DominantSpeakers.Enqueue(participantId);

    public void OnBandwidthState(bool low, IReadOnlyList<string> pausedMids) => BandwidthStates.Enqueue((low, [.. pausedMids]));

    public void OnPublishLayers(string mid, IReadOnlyList<string> activeRids) => PublishLayers.Enqueue((mid, [.. activeRids]));

    private void Answer(SubscribeOfferMessage message)
    {
        var offer = SessionDescription.Parse(message.Sdp);
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");
        Line("v=0");
        Line("o=- 1 " + message.Version.ToString(CultureInfo.InvariantCulture) + " IN IP4 127.0.0.1");
        Line("s=-");
        Line("t=0 0");
        Line("a=group:BUNDLE " + string.Join(' ', offer.Media.Select(m => m.Mid)));
        foreach (var media in offer.Media)
        {
            Line($"m={media.MediaType} 9 UDP/TLS/RTP/SAVPF {string.Join(' ', media.PayloadTypes)}");
            Line("c=IN IP4 0.0.0.0");
            Line($"a=ice-ufrag:{_subscribeIce.UsernameFragment}");
            Line($"a=ice-pwd:{_subscribeIce.Password}");
            Line($"a=fingerprint:{Certificate.Fingerprint}");
            Line("a=setup:active");
            Line($"a=mid:{media.Mid}");
            Line(media.Direction == MediaDirection.SendOnly ? "a=recvonly" : "a=inactive");
            Line("a=rtcp-mux");
            foreach (var map in media.RtpMaps)
                Line($"a=rtpmap:{map.PayloadType} {map.EncodingName}/{map.ClockRate}" + (map.Channels is { } c ? $"/{c}" : ""));
        }
        Media.ApplySubscribeAnswer(message.Version, sdp.ToString());
        if (Subscribe is null)
        {
            var media = offer.Media[0];
            var ice = offer.GetIceCredentials(media)!.Value;
            var candidate = media.Candidates[0];
            Subscribe = WebRtcTransport.CreateClient(
                _subscribeMux, Certificate, _subscribeIce, new IceParameters(ice.Ufrag, ice.Password),
                ParseFingerprint(offer.GetFingerprint(media)!), new IPEndPoint(IPAddress.Parse(candidate.Address), candidate.Port), SubscribeSide, ClientOptions);
        }
    }

    /// <summary>A publish offer shaped like Chromium's (extension ids of b-simulcast-vp8-offer.sdp).</summary>
    public string BuildPublishOffer(string[] rids, bool screen)
    {
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");
        Line("v=0");
        Line("o=- 99 2 IN IP4 127.0.0.1");
        Line("s=-");
        Line("t=0 0");
        Line("a=group:BUNDLE 0 1" + (screen ? " 2" : ""));
        Line("a=msid-semantic: WMS s");
        void Common(string mid)
        {
            Line("c=IN IP4 0.0.0.0");
            Line($"a=ice-ufrag:{_publishIce.UsernameFragment}");
            Line($"a=ice-pwd:{_publishIce.Password}");
            Line($"a=fingerprint:{Certificate.Fingerprint}");
            Line("a=setup:actpass");
            Line($"a=mid:{mid}");
            Line("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level");
            Line($"a=extmap:{AbsSendTimeId} http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
            Line($"a=extmap:{TransportCcId} http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
            Line($"a=extmap:{MidId} urn:ietf:params:rtp-hdrext:sdes:mid");
        }
        Line("m=audio 9 UDP/TLS/RTP/SAVPF 111 63");
        Common("0");
        Line("a=sendonly");
        Line("a=msid:s a");
        Line("a=rtcp-mux");
        Line("a=rtpmap:111 opus/48000/2");
        Line("a=fmtp:111 minptime=10;useinbandfec=1");
        Line("a=rtpmap:63 red/48000/2");
        Line("a=fmtp:63 111/111");
        void Video(string mid, string[] layers)
        {
            Line("m=video 9 UDP/TLS/RTP/SAVPF 96 97");
            Common(mid);
            Line($"a=extmap:{RidId} urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
            Line($"a=extmap:{RepairedRidId} urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
            Line("a=sendonly");
            Line($"a=msid:s v{mid}");
            Line("a=rtcp-mux");
            Line("a=rtcp-rsize");
            Line("a=rtpmap:96 VP8/90000");
            Line("a=rtcp-fb:96 transport-cc");
            Line("a=rtcp-fb:96 nack");
            Line("a=rtcp-fb:96 nack pli");
            Line("a=rtpmap:97 rtx/90000");
            Line("a=fmtp:97 apt=96");
            foreach (var rid in layers)
                Line($"a=rid:{rid} send");
            if (layers.Length > 0)
                Line("a=simulcast:send " + string.Join(';', layers));
        }
        Video("1", rids);
        if (screen)
            Video("2", []);
        return sdp.ToString();
    }

    public static DtlsFingerprint ParseFingerprint(FingerprintAttribute attribute)
    {
        var text = attribute.ToString();
        return DtlsFingerprint.Parse(text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..]);
    }

    public static async Task WaitUntil(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
                throw new TimeoutException("Condition not met in time.");
            await Task.Delay(10);
        }
    }

    /// <summary>Closes this client's sockets without any goodbye (a tab killed, a network gone).</summary>
    public async Task KillNetworkAsync()
    {
        await _publishMux.DisposeAsync();
        await _subscribeMux.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Publish?.Close();
        Subscribe?.Close();
        await _publishMux.DisposeAsync();
        await _subscribeMux.DisposeAsync();
    }
}
