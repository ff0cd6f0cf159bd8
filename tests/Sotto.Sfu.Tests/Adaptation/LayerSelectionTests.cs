using Sotto.Rtc.Rtp;
using Sotto.Sfu.Adaptation;
using Sotto.Sfu.Tests.Support;

namespace Sotto.Sfu.Tests.Adaptation;

/// <summary>
/// Layer selection through the real router, sockets and SRTP (our client transport): VP8 temporal
/// layers per subscriber with sequence numbers and picture ids closed up; spatial layers by reported
/// tile size; publishers told which layers anyone needs; dominant speaker events and last-N.
/// </summary>
public sealed class LayerSelectionTests
{
    private const uint LowSsrc = 0x1111;
    private const uint HighSsrc = 0x2222;

    /// <summary>L1T3 as Chromium sends it: TID 0, 2, 1, 2, …</summary>
    private static byte TemporalLayerOf(int frame) => (byte)(frame % 4) switch { 0 => 0, 2 => 1, _ => 2 };

    private static Consumer CameraConsumer(TestParticipant subscriber, string? owner = null)
    {
        lock (subscriber.Media.Router.Gate)
        {
            return subscriber.Media.Slots.Select(s => s.Consumer).OfType<Consumer>()
                .Single(c => c.Kind == MediaKind.Video && (owner is null || c.Producer.Owner.Id == owner));
        }
    }

    private static void SetTarget(TestParticipant subscriber, VideoLayer layer)
    {
        var consumer = CameraConsumer(subscriber);
        lock (subscriber.Media.Router.Gate)
            consumer.TargetLayer = layer;
    }

    [Fact]
    public async Task Temporal_layers_are_dropped_per_subscriber_without_gaps_and_stepped_up_only_at_a_TL0_frame()
    {
        // No periodic allocation here: the test sets the layers itself.
        await using var call = await Call.StartAsync(["q"], o => o.AllocationInterval = TimeSpan.FromHours(1));
        await Task.Delay(200); // the first (and only) allocation has run
        SetTarget(call.First, new VideoLayer(0, 0));

        ushort seq = 500;
        uint ts = 90_000;
        byte tl0 = 10;
        void SendFrame(int frame)
        {
            var tid = TemporalLayerOf(frame);
            if (tid == 0 && frame > 0)
                tl0++;
            var pid = (ushort)(300 + frame);
            ts += 3000;
            call.Send(MediaPackets.Vp8(LowSsrc, seq++, ts, "1", "q", pid, tl0, keyFrame: frame == 0, call.NextTransportSeq(), 1, marker: false, temporalLayer: tid));
            call.Send(MediaPackets.Vp8(LowSsrc, seq++, ts, "1", "q", pid, tl0, keyFrame: false, call.NextTransportSeq(), 1, firstOfFrame: false, marker: true, temporalLayer: tid));
        }

        for (var frame = 0; frame < 15; frame++)
            SendFrame(frame);
        var (firstSsrc, _) = Call.OfferedSsrcs(call.First, MediaSource.Camera);
        var (secondSsrc, _) = Call.OfferedSsrcs(call.Second, MediaSource.Camera);
        await TestParticipant.WaitUntil(() => Call.VideoReceived(call.Second, secondSsrc).Count >= 30);
        await TestParticipant.WaitUntil(() => Call.VideoReceived(call.First, firstSsrc).Count >= 8);
        Assert.Equal(8, Call.VideoReceived(call.First, firstSsrc).Count); // frames 0, 4, 8, 12

        // Up to all three layers: frame 15 (TID 2, no layer sync) is still dropped, frame 16 (TL0) switches.
        SetTarget(call.First, new VideoLayer(0, 2));
        for (var frame = 15; frame < 24; frame++)
            SendFrame(frame);
        await TestParticipant.WaitUntil(() => Call.VideoReceived(call.Second, secondSsrc).Count >= 48);
        await TestParticipant.WaitUntil(() => Call.VideoReceived(call.First, firstSsrc).Count >= 24);

        var first = Call.VideoReceived(call.First, firstSsrc);
        Assert.Equal(24, first.Count); // 4 TL0 frames, then frames 16–23
        for (var i = 1; i < first.Count; i++)
        {
            Assert.Equal((ushort)(first[i - 1].Seq + 1), first[i].Seq);
            var samePicture = i % 2 == 1;
            Assert.Equal(samePicture ? first[i - 1].PictureId : (ushort)((first[i - 1].PictureId + 1) & 0x7FFF), first[i].PictureId);
        }
        // The subscriber that wanted everything got everything, continuous too (positive control).
        var second = Call.VideoReceived(call.Second, secondSsrc);
        Assert.Equal(48, second.Count);
        Assert.All(second.Skip(1).Zip(second), p => Assert.Equal((ushort)(p.Second.Seq + 1), p.First.Seq));
    }

    [Fact]
    public async Task Each_subscriber_gets_the_layer_its_tile_needs_and_the_publisher_hears_which_layers_anyone_needs()
    {
        await using var call = await Call.StartAsync(["q", "h"], o => o.LayerReleaseDelay = TimeSpan.Zero);
        using var sending = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            ushort lowSeq = 100, highSeq = 9000;
            uint ts = 1000;
            for (var frame = 0; !sending.IsCancellationRequested; frame++)
            {
                ts += 3000;
                var key = frame % 10 == 0;
                call.Send(MediaPackets.Vp8(LowSsrc, lowSeq++, ts, "1", "q", (ushort)frame, (byte)frame, key, call.NextTransportSeq(), 1, width: 240, height: 135));
                call.Send(MediaPackets.Vp8(HighSsrc, highSeq++, ts + 77, "1", "h", (ushort)(frame + 5000), (byte)(frame + 50), key, call.NextTransportSeq(), 1, width: 480, height: 270));
                await Task.Delay(20);
            }
        });
        try
        {
            var firstMid = call.First.LastOffer!.Tracks.Single(t => t.Source == MediaSource.Camera).Mid;
            var secondMid = call.Second.LastOffer!.Tracks.Single(t => t.Source == MediaSource.Camera).Mid;
            call.First.Media.SetMediaSettings(null, null, [(firstMid, new TrackView(213, 120, false))]);
            await TestParticipant.WaitUntil(() => CameraConsumer(call.First).CurrentStream?.Rid == "q" && CameraConsumer(call.Second).CurrentStream?.Rid == "h");

            // Nobody needs h once the second subscriber hides its tile: the publisher is told.
            call.Second.Media.SetMediaSettings(null, null, [(secondMid, TrackView.HiddenView)]);
            await TestParticipant.WaitUntil(() => call.Publisher.PublishLayers.Any(l => l.Mid == "1" && l.Rids.SequenceEqual(["q"])));
            await TestParticipant.WaitUntil(() => CameraConsumer(call.Second).CurrentStream is null);
            var (secondSsrc, _) = Call.OfferedSsrcs(call.Second, MediaSource.Camera);
            var hiddenCount = Call.VideoReceived(call.Second, secondSsrc).Count;
            await Task.Delay(300);
            Assert.Equal(hiddenCount, Call.VideoReceived(call.Second, secondSsrc).Count);

            // Shown large again: h is needed again at once, and forwarded from its next key frame.
            call.Second.Media.SetMediaSettings(null, null, [(secondMid, new TrackView(960, 540, false))]);
            await TestParticipant.WaitUntil(() => call.Publisher.PublishLayers.Any(l => l.Mid == "1" && l.Rids.SequenceEqual(["q", "h"])));
            await TestParticipant.WaitUntil(() => CameraConsumer(call.Second).CurrentStream?.Rid == "h");

            // Audio only: no video for that subscriber at all.
            call.First.Media.SetMediaSettings(true, null, null);
            await TestParticipant.WaitUntil(() => CameraConsumer(call.First).CurrentStream is null && CameraConsumer(call.First).TargetLayer.IsNone);
        }
        finally
        {
            await sending.CancelAsync();
            await sender;
        }
    }

    [Fact]
    public async Task The_dominant_speaker_follows_the_Opus_packet_flow_and_last_N_follows_the_speakers()
    {
        await using var sfu = new SfuHost(Call.TestOptions(o => o.LastN = 1), null);
        var people = new[] { new TestParticipant(sfu, Call.Room, "a", 1), new TestParticipant(sfu, Call.Room, "b", 2), new TestParticipant(sfu, Call.Room, "c", 3) };
        try
        {
            foreach (var p in people)
                await p.PublishAsync(["q"]);
            await Task.WhenAll(people.Select(p => p.WaitSubscribedAsync())).WaitAsync(TimeSpan.FromSeconds(15));
            await TestParticipant.WaitUntil(() => people.All(p => p.LastOffer?.Tracks.Count == 4));
            var (a, b, c) = (people[0], people[1], people[2]);

            var talker = "b";
            using var sending = new CancellationTokenSource();
            var sender = Task.Run(async () =>
            {
                var seq = new ushort[3];
                var transport = new ushort[3];
                for (var tick = 0; !sending.IsCancellationRequested; tick++)
                {
                    for (var i = 0; i < people.Length; i++)
                    {
                        var p = people[i];
                        // DTX: 20 ms packets while talking, one per 400 ms in silence.
                        if (p.Id == Volatile.Read(ref talker) || tick % 20 == 0)
                            p.Publish!.SendRtp(MediaPackets.Opus((uint)(0x5000 + i), seq[i]++, (uint)(tick * 960), transport[i]++, p.Slot));
                        if (tick % 3 == 0)
                            p.Publish!.SendRtp(MediaPackets.Vp8((uint)(0x6000 + i), (ushort)(tick / 3), (uint)(tick * 1000), "1", "q", (ushort)(tick / 3), (byte)(tick / 3), tick % 30 == 0, transport[i]++, p.Slot));
                    }
                    await Task.Delay(20);
                }
            });
            try
            {
                await TestParticipant.WaitUntil(() => people.All(p => p.DominantSpeakers.LastOrDefault() == "b"));
                // Last-N = 1: a and c get only b's video; b gets the most recent other speaker's (nobody spoke yet: the first in join order).
                await TestParticipant.WaitUntil(() => !CameraConsumer(a, "b").TargetLayer.IsNone && CameraConsumer(a, "c").TargetLayer.IsNone
                    && !CameraConsumer(c, "b").TargetLayer.IsNone && CameraConsumer(c, "a").TargetLayer.IsNone);

                Volatile.Write(ref talker, "c");
                await TestParticipant.WaitUntil(() => people.All(p => p.DominantSpeakers.LastOrDefault() == "c"));
                await TestParticipant.WaitUntil(() => CameraConsumer(a, "b").TargetLayer.IsNone && !CameraConsumer(a, "c").TargetLayer.IsNone
                    && !CameraConsumer(b, "c").TargetLayer.IsNone);
                // c's most recent other speaker is b.
                Assert.False(CameraConsumer(c, "b").TargetLayer.IsNone);

                // A pin is an exception to last-N.
                a.Media.SetMediaSettings(null, ["b"], null);
                await TestParticipant.WaitUntil(() => !CameraConsumer(a, "b").TargetLayer.IsNone && !CameraConsumer(a, "c").TargetLayer.IsNone);
                Assert.Equal(["b", "c"], a.DominantSpeakers.Distinct());
            }
            finally
            {
                await sending.CancelAsync();
                await sender;
            }
        }
        finally
        {
            foreach (var p in people)
                await p.DisposeAsync();
        }
    }
}
