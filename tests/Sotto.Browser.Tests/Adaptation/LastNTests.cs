using System.Text.Json;
using Sotto.Browser.Tests.Call;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.Adaptation;

/// <summary>
/// Issue 7, last-N and the dominant speaker through the real call page: four people, each with its own
/// oscillator microphone, speak in turn; with last-N = 2 the observer decodes exactly the two most recent
/// speakers' cameras, and its page marks the dominant speaker's tile without flapping.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class LastNTests(ITestOutputHelper output)
{
    private static readonly string[] ChromiumArguments = ["--autoplay-policy=no-user-gesture-required"];

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task With_last_N_2_in_a_four_person_room_a_browser_decodes_the_two_most_recent_speakers_and_the_speaker_mark_follows_without_flapping()
    {
        await using var server = await CallServer.StartAsync(settings: new Dictionary<string, string?> { ["Sotto:Media:LastN"] = "2" });
        await using var chromium = await Chromium.LaunchAsync(ChromiumArguments);
        var link = server.NewRoomLink();
        var people = new List<TalkingParticipant>();
        try
        {
            foreach (var frequency in new[] { 300, 500, 700, 900 })
                people.Add(await TalkingParticipant.JoinAsync(chromium.Browser, link, Capture.Small, frequency));
            var observer = people[0];
            await Eventually.Until(async () => (await observer.FramesDecodedAsync()).Count == 3, Generous, "the observer has the three remote cameras");

            // Every dominant-speaker mark the observer's page shows, sampled four times a second.
            var marks = new List<string?>();
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    var mark = await observer.DominantTileAsync();
                    if (marks.Count == 0 || marks[^1] != mark)
                        marks.Add(mark);
                    await Task.Delay(250);
                }
            });

            HashSet<string> decoding = [];
            async Task<bool> DecodingIs(IEnumerable<string> expected)
            {
                var before = await observer.FramesDecodedAsync();
                await Task.Delay(1500);
                var after = await observer.FramesDecodedAsync();
                decoding = [.. after.Where(kv => kv.Value > before.GetValueOrDefault(kv.Key)).Select(kv => kv.Key)];
                return decoding.SetEquals(expected);
            }

            // Join order is the initial speaker order: the observer (never talking) starts with 1 and 2.
            var (p1, p2, p3) = (people[1], people[2], people[3]);
            foreach (var (talker, expected) in new[] { (p3, new[] { p3, p1 }), (p2, [p2, p3]), (p1, [p1, p2]) })
            {
                await talker.TalkAsync(true);
                await Eventually.Until(async () => await observer.DominantTileAsync() == talker.Id, Generous, $"the observer marks {talker.Id} as the dominant speaker");
                var ids = expected.Select(p => p.Id).ToArray();
                await Eventually.Until(() => DecodingIs(ids), Generous, () => $"the observer decodes exactly {string.Join(", ", ids)} (decoding {string.Join(", ", decoding)})");
                // It stays so while the talker goes on.
                await Task.Delay(2000);
                Assert.True(await DecodingIs(ids), $"still exactly {string.Join(", ", ids)} (decoding {string.Join(", ", decoding)})");
                await talker.TalkAsync(false);
            }
            await sampling.CancelAsync();
            await sampler;

            output.WriteLine("speaker marks: " + string.Join(" → ", marks.Select(m => m ?? "none")));
            // No flapping: exactly one mark per talker, in order (the first sample may precede anyone speaking).
            Assert.Equal([p3.Id, p2.Id, p1.Id], marks.Where(m => m is not null));
        }
        finally
        {
            foreach (var p in people)
                await p.DisposeAsync();
        }
    }
}
