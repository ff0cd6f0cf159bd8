using Sotto.Sfu.Adaptation.Speech;

namespace Sotto.Sfu.Tests.Adaptation;

/// <summary>
/// Dominant speaker from Opus DTX packet flow: a talker sends a packet every 20 ms, a silent one every
/// 400 ms. The detector follows the talker, ignores coughs and cross-talk, and never flaps.
/// </summary>
public sealed class DominantSpeakerTests
{
    private static readonly long Ms = TimeSpan.TicksPerMillisecond;

    private sealed class Room
    {
        public readonly Dictionary<string, SpeechActivity> Mics = new() { ["a"] = new(), ["b"] = new(), ["c"] = new() };
        public readonly DominantSpeakerDetector Detector = new();
        public readonly List<(long At, string Who)> Changes = [];
        public long Now = 1_000_000 * Ms;

        public Room()
        {
            foreach (var id in Mics.Keys)
                Detector.Add(id);
        }

        /// <summary>Runs <paramref name="millis"/> of audio; <paramref name="talking"/> says who speaks at each moment.</summary>
        public void Run(int millis, Func<string, long, bool> talking)
        {
            for (var t = 0; t < millis; t += 20)
            {
                Now += 20 * Ms;
                foreach (var (id, mic) in Mics)
                {
                    if (talking(id, t) || (Now / Ms) % 400 < 20)
                        mic.OnPacket(Now);
                }
                if (t % 200 == 0 && Detector.Update(Now, Mics.Select(m => (m.Key, m.Value))))
                    Changes.Add((Now, Detector.Dominant!));
            }
        }
    }

    [Fact]
    public void The_dominant_speaker_follows_the_talker_in_turn()
    {
        var room = new Room();
        foreach (var talker in new[] { "a", "b", "c", "a" })
            room.Run(3000, (id, _) => id == talker);
        Assert.Equal(["a", "b", "c", "a"], room.Changes.Select(c => c.Who));
        Assert.Equal(["a", "c", "b"], room.Detector.RecentSpeakers);
    }

    [Fact]
    public void A_cough_or_a_short_laugh_does_not_take_over()
    {
        var room = new Room();
        room.Run(3000, (id, _) => id == "a");
        // b coughs (300 ms), then c laughs (400 ms) while a keeps talking; then a pauses to breathe.
        room.Run(3000, (id, t) => id == "a" || (id == "b" && t < 300) || (id == "c" && t is > 1000 and < 1400));
        room.Run(3000, (id, t) => (id == "a" && t is < 1000 or > 1500) || (id == "b" && t is > 2000 and < 2300));
        Assert.Equal(["a"], room.Changes.Select(c => c.Who));
        // Positive control: the same detector does switch when b really talks.
        room.Run(2000, (id, _) => id == "b");
        Assert.Equal(["a", "b"], room.Changes.Select(c => c.Who));
    }

    [Fact]
    public void Two_people_talking_over_each_other_do_not_flap()
    {
        var room = new Room();
        room.Run(2000, (id, _) => id == "a");
        // Both talk for 10 s with short alternating pauses.
        room.Run(10_000, (id, t) => id == "a" ? t % 1000 < 800 : id == "b" && (t + 500) % 1000 < 800);
        Assert.True(room.Changes.Count <= 2, string.Join(", ", room.Changes.Select(c => c.Who)));
    }

    [Fact]
    public void Silence_keeps_the_last_speaker_and_nobody_is_dominant_before_anyone_spoke()
    {
        var room = new Room();
        room.Run(5000, (_, _) => false);
        Assert.Null(room.Detector.Dominant);
        room.Run(2000, (id, _) => id == "c");
        room.Run(5000, (_, _) => false);
        Assert.Equal("c", room.Detector.Dominant);
    }

    [Fact]
    public void With_CBR_and_no_DTX_gaps_the_speaking_reports_decide()
    {
        var room = new Room();
        string? reportedTalker = null;
        void Report(string talker)
        {
            reportedTalker = talker;
            foreach (var (id, mic) in room.Mics)
                mic.OnReport(room.Now, id == talker);
        }
        // Every microphone sends a packet every 20 ms whatever it carries (CBR, no DTX).
        Report("b");
        room.Run(3000, (_, _) => true);
        Report("c");
        room.Run(3000, (_, _) => true);
        Assert.Equal(["b", "c"], room.Changes.Select(c => c.Who));
        Assert.Equal("c", reportedTalker);
    }

    [Fact]
    public void Without_reports_a_constant_packet_flow_tells_nothing_and_nobody_takes_over()
    {
        // The positive control for the test above: the same flow without reports cannot follow anyone.
        var room = new Room();
        room.Run(6000, (_, _) => true);
        Assert.True(room.Changes.Count <= 1);
    }
}
