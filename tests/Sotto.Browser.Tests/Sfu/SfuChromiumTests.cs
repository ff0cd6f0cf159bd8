using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Sotto.Rtc.Sdp;
using Sotto.Sfu;
using Sotto.Sfu.Negotiation;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.Sfu;

/// <summary>
/// The SFU with real Chromium on both ends, without the web client: one page publishes a fake
/// 960x540 camera in three simulcast layers and a microphone, another page subscribes through the
/// server's subscribe offer. Frames here are not encrypted (no transform): the SFU neither knows nor
/// cares; the call page's tests run the same path with SFrame.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class SfuChromiumTests(ITestOutputHelper output)
{
    private const string PublisherPage = """
        <!doctype html><html><head><meta charset="utf-8"></head><body><script>
        let pc;
        window.publish = async () => {
          pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
          const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 960, height: 540, frameRate: 20 } });
          pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
          pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly', streams: [stream], sendEncodings: [
            { rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' } ] });
          const offer = await pc.createOffer();
          await pc.setLocalDescription(offer);
          return JSON.stringify({ sdp: offer.sdp, mids: pc.getTransceivers().map(t => [t.mid, t.receiver.track.kind]) });
        };
        window.answer = async (sdp) => pc.setRemoteDescription({ type: 'answer', sdp });
        window.senderStats = async () => {
          const stats = await pc.getStats();
          let bitrate = 0, reason = '', sent = 0, layers = 0;
          // The selected pair is the transport's (several nominated pairs can exist for one remote candidate).
          for (const s of stats.values()) {
            if (s.type === 'transport' && s.selectedCandidatePairId) bitrate = stats.get(s.selectedCandidatePairId)?.availableOutgoingBitrate ?? 0;
            if (s.type === 'outbound-rtp' && s.kind === 'video') { layers++; sent += s.bytesSent; if (s.qualityLimitationReason !== 'none') reason = s.qualityLimitationReason; }
          }
          return JSON.stringify({ bitrate, reason, sent, layers });
        };
        </script></body></html>
        """;

    private const string SubscriberPage = """
        <!doctype html><html><head><meta charset="utf-8"></head><body><script>
        const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
        window.onOffer = async (sdp) => {
          await pc.setRemoteDescription({ type: 'offer', sdp });
          const answer = await pc.createAnswer();
          await pc.setLocalDescription(answer);
          return answer.sdp;
        };
        window.receiverStats = async () => {
          const stats = await pc.getStats();
          let frames = 0, audio = 0, remotePort = 0, width = 0, nacks = 0, plis = 0, keyFrames = 0;
          for (const s of stats.values()) {
            if (s.type === 'inbound-rtp' && s.kind === 'video') { frames += s.framesDecoded ?? 0; width = Math.max(width, s.frameWidth ?? 0); nacks += s.nackCount ?? 0; plis += s.pliCount ?? 0; keyFrames += s.keyFramesDecoded ?? 0; }
            if (s.type === 'inbound-rtp' && s.kind === 'audio') audio += s.packetsReceived ?? 0;
            if (s.type === 'candidate-pair' && s.nominated) { const r = stats.get(s.remoteCandidateId); remotePort = r?.port ?? 0; }
          }
          return JSON.stringify({ frames, audio, remotePort, width, nacks, plis, keyFrames });
        };
        </script></body></html>
        """;

    [Fact]
    public async Task Chromium_publisher_reaches_a_chromium_subscriber_through_the_sfu_with_simulcast_and_full_bandwidth()
    {
        await using var sfu = new SfuHost(new SfuOptions { Port = 0, BindAddress = IPAddress.Loopback });
        await using var chromium = await Chromium.LaunchAsync();
        var publisherPage = await chromium.OpenPageAsync(PublisherPage);
        var subscriberPage = await chromium.OpenPageAsync(SubscriberPage);

        var subscriberSignal = new PageSignal(subscriberPage);
        var subscriber = sfu.Join("room", "subscriber", 2, subscriberSignal);
        subscriberSignal.Participant = subscriber;
        var publisher = sfu.Join("room", "publisher", 1, new PageSignal(publisherPage));

        using var offer = JsonDocument.Parse(await publisherPage.EvaluateAsync<string>("publish()"));
        var tracks = offer.RootElement.GetProperty("mids").EnumerateArray()
            .Select(m => new PublishTrackRequest(m[0].GetString()!, m[1].GetString() == "audio" ? MediaSource.Mic : MediaSource.Camera))
            .ToList();
        var answer = publisher.Publish(offer.RootElement.GetProperty("sdp").GetString()!, tracks);
        output.WriteLine(answer);
        await publisherPage.EvaluateAsync("sdp => answer(sdp)", answer);

        var deadline = DateTime.UtcNow.AddSeconds(25);
        JsonElement received = default;
        while (DateTime.UtcNow < deadline)
        {
            received = JsonDocument.Parse(await subscriberPage.EvaluateAsync<string>("receiverStats()")).RootElement;
            if (received.GetProperty("frames").GetInt32() > 60 && received.GetProperty("audio").GetInt32() > 100)
                break;
            await Task.Delay(250);
        }
        output.WriteLine("subscriber: " + received);
        Assert.Null(subscriberSignal.Error);
        Assert.True(received.GetProperty("frames").GetInt32() > 60, "video frames decoded");
        Assert.True(received.GetProperty("audio").GetInt32() > 100, "audio packets received");
        Assert.Equal(sfu.LocalEndPoint.Port, received.GetProperty("remotePort").GetInt32());

        // DESIGN.md §9: with transport-cc feedback and RTCP flowing, the sender's estimate climbs.
        JsonElement sender = default;
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            sender = JsonDocument.Parse(await publisherPage.EvaluateAsync<string>("senderStats()")).RootElement;
            if (sender.GetProperty("bitrate").GetDouble() > 1_000_000 && sender.GetProperty("reason").GetString() != "bandwidth")
                break;
            await Task.Delay(500);
        }
        var router = sfu.FindRouter("room")!;
        output.WriteLine($"publisher: {sender}; room: received {router.Counters.PacketsReceived}, forwarded {router.Counters.PacketsForwarded}, " +
            $"twcc feedbacks {router.Counters.TransportCcFeedbacksSent}, RRs {router.Counters.ReceiverReportsSent}, SRs {router.Counters.SenderReportsSent}, " +
            $"PLIs sent {router.Counters.PlisSent}, padding dropped {router.Counters.PaddingDropped}, NACKs sent {router.Counters.NacksSent}, unknown {router.Counters.UnknownStreamDropped}");
        // The top layer reaches the subscriber at the next key frame after the estimate allows it: wait for it.
        deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            received = JsonDocument.Parse(await subscriberPage.EvaluateAsync<string>("receiverStats()")).RootElement;
            if (received.GetProperty("width").GetInt32() == 960)
                break;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        output.WriteLine("subscriber: " + received);
        Assert.True(sender.GetProperty("bitrate").GetDouble() > 1_000_000, $"availableOutgoingBitrate {sender.GetProperty("bitrate")}");
        Assert.NotEqual("bandwidth", sender.GetProperty("reason").GetString());
        Assert.Equal(960, received.GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task Chromium_subscriber_follows_a_publisher_leaving_and_another_reusing_its_m_lines()
    {
        await using var sfu = new SfuHost(new SfuOptions { Port = 0, BindAddress = IPAddress.Loopback });
        await using var chromium = await Chromium.LaunchAsync();
        var subscriberPage = await chromium.OpenPageAsync(SubscriberPage);
        var subscriberSignal = new PageSignal(subscriberPage);
        subscriberSignal.Participant = sfu.Join("room", "subscriber", 2, subscriberSignal);

        var first = await PublishFromNewPageAsync(chromium, sfu, "first", 1);
        await WaitForFramesAsync(subscriberPage, 20);
        first.Leave();
        await TestWait(() => subscriberSignal.Answered == 2);

        var second = await PublishFromNewPageAsync(chromium, sfu, "second", 3);
        await TestWait(() => subscriberSignal.Answered == 3);
        Assert.Null(subscriberSignal.Error);
        Assert.Equal(2, subscriberSignal.LastOffer!.Tracks.Count);
        Assert.All(subscriberSignal.LastOffer.Tracks, t => Assert.Equal("second", t.Owner));
        Assert.Contains("m=audio", subscriberSignal.LastOffer.Sdp, StringComparison.Ordinal);
        Assert.Equal(2, Rtc.Sdp.SessionDescription.Parse(subscriberSignal.LastOffer.Sdp).Media.Count); // reused, not added
        var framesBefore = await FramesAsync(subscriberPage);
        await WaitForFramesAsync(subscriberPage, framesBefore + 20);
        output.WriteLine($"frames decoded after reuse: {await FramesAsync(subscriberPage)} (before {framesBefore})");
        second.Leave();
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Loss_on_either_hop_is_repaired_by_nack_and_rtx_and_video_keeps_decoding(bool upstream, bool downstream)
    {
        // Every 25th video packet lost upstream (publisher → SFU) or downstream (SFU → subscriber).
        var loss = new EveryNthVideoPacketLost(25, upstream, downstream);
        await using var sfu = new SfuHost(new SfuOptions { Port = 0, BindAddress = IPAddress.Loopback }, [loss]);
        await using var chromium = await Chromium.LaunchAsync();
        var subscriberPage = await chromium.OpenPageAsync(SubscriberPage);
        var subscriberSignal = new PageSignal(subscriberPage);
        subscriberSignal.Participant = sfu.Join("room", "subscriber", 2, subscriberSignal);
        await PublishFromNewPageAsync(chromium, sfu, "publisher", 1);

        await WaitForFramesAsync(subscriberPage, 30);
        var router = sfu.FindRouter("room")!;
        await TestWait(() => (!downstream || router.Counters.RetransmissionsSent > 0) && (!upstream || router.Counters.RetransmissionsReceived > 0));
        var started = DateTime.UtcNow;
        var before = await FramesAsync(subscriberPage);
        await WaitForFramesAsync(subscriberPage, before + 40);
        output.WriteLine($"40 frames in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
        var stats = JsonDocument.Parse(await subscriberPage.EvaluateAsync<string>("receiverStats()")).RootElement;
        output.WriteLine($"subscriber: {stats}; SFU: lost upstream {router.Counters.PacketsLost}, NACKs sent {router.Counters.NacksSent}, " +
            $"RTX received {router.Counters.RetransmissionsReceived}, NACKs received {router.Counters.NacksReceived}, RTX sent {router.Counters.RetransmissionsSent}, stage drops {router.Counters.StageDropped}, PLIs sent {router.Counters.PlisSent}, forwarded layer {router.FindParticipant("subscriber")!.ConsumersBySsrc.Values.First(c => c.Kind == MediaKind.Video).CurrentStream?.Rid}");
        if (downstream)
            Assert.True(stats.GetProperty("nacks").GetInt32() > 0, "the subscriber NACKed downstream loss");
        if (upstream)
            Assert.True(router.Counters.NacksSent > 0, "the SFU NACKed upstream loss");
    }

    /// <summary>A test-only loss stage: drops every n-th media video packet on each hop (never RTX).</summary>
    private sealed class EveryNthVideoPacketLost(int n, bool upstream, bool downstream) : Sotto.Sfu.Stages.IMediaPathStage
    {
        private int _up;
        private int _down;

        public bool OnPacketFromPublisher(scoped in Sotto.Sfu.Stages.MediaPathPacket packet) =>
            !upstream || packet.Kind != MediaKind.Video || packet.IsRetransmission || ++_up % n != 0;

        public bool OnPacketToSubscriber(scoped in Sotto.Sfu.Stages.MediaPathPacket packet) =>
            !downstream || packet.Kind != MediaKind.Video || packet.IsRetransmission || ++_down % n != 0;
    }

    private static async Task<SfuParticipant> PublishFromNewPageAsync(Chromium chromium, SfuHost sfu, string id, int slot)
    {
        var page = await chromium.OpenPageAsync(PublisherPage);
        var participant = sfu.Join("room", id, slot, new PageSignal(page));
        using var offer = JsonDocument.Parse(await page.EvaluateAsync<string>("publish()"));
        var tracks = offer.RootElement.GetProperty("mids").EnumerateArray()
            .Select(m => new PublishTrackRequest(m[0].GetString()!, m[1].GetString() == "audio" ? MediaSource.Mic : MediaSource.Camera))
            .ToList();
        await page.EvaluateAsync("sdp => answer(sdp)", participant.Publish(offer.RootElement.GetProperty("sdp").GetString()!, tracks));
        return participant;
    }

    private static async Task<int> FramesAsync(IPage page) =>
        JsonDocument.Parse(await page.EvaluateAsync<string>("receiverStats()")).RootElement.GetProperty("frames").GetInt32();

    private static async Task WaitForFramesAsync(IPage page, int frames)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await FramesAsync(page) < frames)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {frames} frames decoded");
            await Task.Delay(200);
        }
    }

    private static async Task TestWait(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met");
            await Task.Delay(50);
        }
    }

    /// <summary>Delivers subscribe offers to a page and its answers back, off the SFU's thread.</summary>
    private sealed class PageSignal(IPage page) : ISfuSignal
    {
        public SfuParticipant? Participant { get; set; }

        public Exception? Error { get; private set; }

        public int Answered;

        public SubscribeOfferMessage? LastOffer { get; private set; }

        public void OnSubscribeOffer(SubscribeOfferMessage offer) => _ = Task.Run(async () =>
        {
            try
            {
                LastOffer = offer;
                var answer = await page.EvaluateAsync<string>("sdp => onOffer(sdp)", offer.Sdp);
                Participant!.ApplySubscribeAnswer(offer.Version, answer);
                Interlocked.Increment(ref Answered);
            }
            catch (Exception exception)
            {
                Error = exception;
            }
        });

        public void OnMediaClosed(SfuCloseReason reason)
        {
        }
    }
}
