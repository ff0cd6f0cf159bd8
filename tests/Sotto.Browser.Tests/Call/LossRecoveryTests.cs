using Xunit.Abstractions;

namespace Sotto.Browser.Tests.Call;

/// <summary>
/// Issue 4 item 4 through real browsers: loss injected by a test-only SFU stage upstream and, separately,
/// downstream. Random loss is repaired by NACK + retransmission and video keeps decoding; a burst that
/// nothing can repair ends with a PLI and a key frame.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class LossRecoveryTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(LossDirection.Upstream)]
    [InlineData(LossDirection.Downstream)]
    public async Task Video_recovers_from_loss_with_nack_and_retransmission_and_from_a_burst_with_a_key_frame(LossDirection direction)
    {
        var loss = new LossInjector(direction);
        await using var server = await CallServer.StartAsync([loss]);
        await using var chromium = await Chromium.LaunchAsync();
        var link = server.NewRoomLink();
        await using var a = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        await using var b = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        await CallAssert.EveryoneReceivesEveryoneAsync([a, b], output);

        // Random loss: 5% of video media packets on this hop. We watch a's camera as b receives it.
        var before = await FiguresAsync(direction, a, b);
        loss.RandomLoss = 0.05;
        Figures now = before;
        await Eventually.Until(async () =>
        {
            now = await FiguresAsync(direction, a, b);
            return now.Nacks >= before.Nacks + 5 && now.Retransmissions >= before.Retransmissions + 5 && now.FramesDecoded >= before.FramesDecoded + 45;
        }, TimeSpan.FromSeconds(90), () => $"NACKs and retransmissions grow while video decodes ({before} → {now}; {Sfu(server)})");
        loss.RandomLoss = 0;
        output.WriteLine($"{direction} random loss ({loss.Dropped} dropped): {before} → {now}");

        // A burst: everything for 2 s, then no repairs for 1.5 s. Only a key frame can restart the picture.
        before = await FiguresAsync(direction, a, b);
        loss.StartBurst(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1.5));
        await Eventually.Until(async () =>
        {
            now = await FiguresAsync(direction, a, b);
            return now.Plis > before.Plis && now.KeyFramesDecoded > before.KeyFramesDecoded && now.FramesDecoded >= before.FramesDecoded + 30;
        }, TimeSpan.FromSeconds(60), () => $"a PLI brings a key frame after the burst ({before} → {now}; {Sfu(server)})");
        output.WriteLine($"{direction} burst ({loss.Dropped} dropped in all): {before} → {now}");
        output.WriteLine(Sfu(server));
        await CallAssert.EveryoneReceivesEveryoneAsync([a, b], output);
    }

    private static string Sfu(CallServer server)
    {
        var c = server.Sfu.GetMetrics().Totals;
        return $"SFU: NACKs sent {c.NacksSent}, received {c.NacksReceived}; retransmissions sent {c.RetransmissionsSent}, " +
            $"received {c.RetransmissionsReceived}; PLIs sent {c.PlisSent}, received {c.PlisReceived}; packets received {c.PacketsReceived}, forwarded {c.PacketsForwarded}";
    }

    /// <summary>
    /// The counters that show recovery on a's camera as seen by b. Upstream, the NACKs and PLIs reach the
    /// publisher a (outbound-rtp, summed over layers); downstream, the subscriber b sends them (inbound-rtp).
    /// </summary>
    private readonly record struct Figures(long Nacks, long Retransmissions, long Plis, long FramesDecoded, long KeyFramesDecoded)
    {
        public override string ToString() => $"nacks {Nacks}, retransmissions {Retransmissions}, plis {Plis}, frames {FramesDecoded}, key frames {KeyFramesDecoded}";
    }

    private static async Task<Figures> FiguresAsync(LossDirection direction, CallParticipant publisher, CallParticipant subscriber)
    {
        var inbound = await subscriber.RemoteTrackAsync(publisher.Id, "camera");
        var frames = CallParticipant.Counter(inbound, "framesDecoded");
        var keyFrames = CallParticipant.Counter(inbound, "keyFramesDecoded");
        if (direction == LossDirection.Downstream)
        {
            return new Figures(CallParticipant.Counter(inbound, "nackCount"), CallParticipant.Counter(inbound, "retransmittedPacketsReceived"),
                CallParticipant.Counter(inbound, "pliCount"), frames, keyFrames);
        }
        long nacks = 0, retransmissions = 0, plis = 0;
        foreach (var outbound in (await publisher.StatsAsync()).GetProperty("publish").GetProperty("outbound").EnumerateArray())
        {
            if (outbound.GetProperty("kind").GetString() != "video")
                continue;
            nacks += CallParticipant.Counter(outbound, "nackCount");
            retransmissions += CallParticipant.Counter(outbound, "retransmittedPacketsSent");
            plis += CallParticipant.Counter(outbound, "pliCount");
        }
        return new Figures(nacks, retransmissions, plis, frames, keyFrames);
    }
}
