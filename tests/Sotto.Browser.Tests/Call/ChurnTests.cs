using System.Diagnostics;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.Call;

/// <summary>
/// Issue 4 item 5: people come and go for about a minute in random order (leave button, tab closed) while
/// two stay; the two keep decoding each other, everyone present is received, and at the end the SFU holds
/// exactly what the two need — and nothing at all once they leave too.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChurnTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ChurnFor = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Join_and_leave_churn_leaves_the_others_decoding_and_leaks_nothing()
    {
        await using var server = await CallServer.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var link = server.NewRoomLink();
        await using var a = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        await using var b = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        await CallAssert.EveryoneReceivesEveryoneAsync([a, b], output);

        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"churn seed {seed}");
        var guests = new List<CallParticipant>();
        var steps = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            while (clock.Elapsed < ChurnFor)
            {
                steps++;
                if (guests.Count == 0 || (guests.Count < 2 && random.Next(2) == 0))
                {
                    var guest = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small);
                    guests.Add(guest);
                    output.WriteLine($"{clock.Elapsed.TotalSeconds:0}s: {guest.Id} joined ({guests.Count} guests)");
                    // Everyone present receives everyone, the newcomer included.
                    await CallAssert.EveryoneReceivesEveryoneAsync([a, b, .. guests], output);
                }
                else
                {
                    var guest = guests[random.Next(guests.Count)];
                    guests.Remove(guest);
                    var byButton = random.Next(2) == 0;
                    if (byButton)
                        await guest.ClickAsync("leave");
                    await guest.DisposeAsync(); // closes the tab (after the button: the page went home already)
                    output.WriteLine($"{clock.Elapsed.TotalSeconds:0}s: {guest.Id} left by {(byButton ? "the leave button" : "closing the tab")}");
                    foreach (var stayer in new[] { a, b })
                    {
                        await Eventually.Until(async () => CallParticipant.FindTrack(await stayer.StatsAsync(), guest.Id, "camera") is null,
                            TimeSpan.FromSeconds(30), $"{guest.Id}'s tracks are gone at {stayer.Id}");
                    }
                    await CallAssert.EveryoneReceivesEveryoneAsync([a, b, .. guests], output);
                }
            }
        }
        finally
        {
            foreach (var guest in guests)
                await guest.DisposeAsync();
        }
        output.WriteLine($"{steps} churn steps in {clock.Elapsed.TotalSeconds:0} s");
        Assert.True(steps >= 6, $"only {steps} churn steps");

        // The two who stayed: 2 participants, 2 transports each, mic + camera each, and each consumes the other's two.
        await Eventually.Until(() => server.Sfu.GetMetrics() is { Participants: 2, Transports: 4, Producers: 4, Consumers: 4 },
            TimeSpan.FromSeconds(30), "the SFU holds only what the two who stayed need");
        await CallAssert.EveryoneReceivesEveryoneAsync([a, b], output);

        // And once they leave too, nothing at all: no router, no consumer, no transport, no pooled buffer.
        await a.ClickAsync("leave");
        await b.ClickAsync("leave");
        SfuMetricsSnapshot last = default;
        await Eventually.Until(() =>
        {
            var m = server.Sfu.GetMetrics();
            last = new SfuMetricsSnapshot(m.Rooms, m.Participants, m.Producers, m.Consumers, m.Transports, m.BuffersHeld);
            return last == default;
        }, TimeSpan.FromSeconds(30), () => $"the SFU is empty (now {last})");
    }

    private readonly record struct SfuMetricsSnapshot(int Rooms, int Participants, int Producers, int Consumers, int Transports, long BuffersHeld);
}
