using Sotto.Rtc.Rtp;
using Sotto.Sfu.Tests.Support;

namespace Sotto.Sfu.Tests.Forwarding;

/// <summary>Participants join, publish and leave in random order while media flows; nothing leaks and the one who stays keeps receiving.</summary>
public sealed class ChurnTests
{
    [Fact]
    public async Task Random_join_and_leave_with_media_flowing_leaks_nothing()
    {
        await using var sfu = new SfuHost(Call.TestOptions());
        var random = new Random(1234);
        await using var steady = new TestParticipant(sfu, "churn", "steady", 0);
        var present = new List<(TestParticipant Participant, uint Ssrc)>();
        var all = new List<TestParticipant>();
        var next = 1;
        using var stop = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            ushort seq = 0;
            while (!stop.IsCancellationRequested)
            {
                (TestParticipant Participant, uint Ssrc)[] snapshot;
                lock (present)
                    snapshot = [.. present];
                foreach (var (participant, ssrc) in snapshot)
                    participant.Publish?.SendRtp(MediaPackets.Vp8(ssrc, seq, seq * 3000u, "1", null, seq, 0, keyFrame: seq % 10 == 0, seq, participant.Slot));
                seq++;
                await Task.Delay(5);
            }
        });

        for (var step = 0; step < 24; step++)
        {
            if (present.Count < 2 || (present.Count < 5 && random.Next(2) == 0))
            {
                var participant = new TestParticipant(sfu, "churn", "p" + next, next);
                all.Add(participant);
                await participant.PublishAsync([]);
                lock (present)
                    present.Add((participant, (uint)(0x10000 + next)));
                next++;
            }
            else
            {
                var index = random.Next(present.Count);
                var (leaving, _) = present[index];
                lock (present)
                    present.RemoveAt(index);
                leaving.Media.Leave();
            }
            await Task.Delay(random.Next(20, 120));
        }

        // The one who stayed receives every remaining publisher's video.
        await TestParticipant.WaitUntil(() => !steady.Offers.IsEmpty && !HasPendingOffer(steady));
        foreach (var (participant, _) in present.ToList())
        {
            var track = steady.LastOffer!.Tracks.Single(t => t.Owner == participant.Id && t.Source == MediaSource.Camera);
            var ssrc = Rtc.Sdp.SessionDescription.Parse(steady.LastOffer.Sdp).FindMedia(track.Mid)!.SsrcGroups[0].Ssrcs[0];
            await TestParticipant.WaitUntil(() => steady.SubscribeSide.Rtp.Any(p => RtpPacket.TryParse(p, out var r) && r.Ssrc == ssrc));
        }
        await stop.CancelAsync();
        await sender;

        Assert.Empty(all.SelectMany(p => p.Errors));
        Assert.Empty(steady.Errors);
        var router = sfu.FindRouter("churn")!;
        Assert.Equal(present.Count + 1, router.ParticipantCount);
        Assert.Equal(present.Count * 2, router.LiveProducers);
        Assert.Equal(present.Count * (present.Count - 1) * 2 + present.Count * 2, router.LiveConsumers);

        foreach (var (participant, _) in present)
            participant.Media.Leave();
        steady.Media.Leave();
        Assert.Null(sfu.FindRouter("churn"));
        var metrics = sfu.GetMetrics();
        Assert.Equal((0, 0, 0, 0, 0, 0L), (metrics.Rooms, metrics.Participants, metrics.Producers, metrics.Consumers, metrics.Transports, metrics.BuffersHeld));
        foreach (var participant in all)
            await participant.DisposeAsync();
    }

    private static bool HasPendingOffer(TestParticipant participant) =>
        participant.Media.Router.FindParticipant(participant.Id) is { } p && p.AwaitingAnswerForTests;
}
