using System.Text.Json;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.Call;

/// <summary>Conditions on the pages' getStats, waited for with generous timeouts (2 shared cores).</summary>
internal static class CallAssert
{
    public const int FramesToGrow = 15;
    public const int AudioPacketsToGrow = 25;

    /// <summary>
    /// Each participant's inbound camera track of every other participant decodes <see cref="FramesToGrow"/>
    /// more frames, and its inbound audio receives <see cref="AudioPacketsToGrow"/> more packets, than when
    /// first seen.
    /// </summary>
    public static async Task EveryoneReceivesEveryoneAsync(IReadOnlyList<CallParticipant> participants, ITestOutputHelper output, TimeSpan? timeout = null)
    {
        var baseline = new Dictionary<(string, string, string), long>();
        string pending = "";
        await Eventually.Until(async () =>
        {
            var missing = new List<string>();
            foreach (var p in participants)
            {
                var stats = await p.StatsAsync();
                foreach (var q in participants)
                {
                    if (q == p)
                        continue;
                    Grown(stats, p, q.Id, "camera", "framesDecoded", FramesToGrow, baseline, missing);
                    Grown(stats, p, q.Id, "mic", "packetsReceived", AudioPacketsToGrow, baseline, missing);
                }
            }
            pending = string.Join("; ", missing);
            return missing.Count == 0;
        }, timeout ?? TimeSpan.FromSeconds(60), $"everyone receives everyone (still missing: {pending})");
        output.WriteLine($"{participants.Count} participants: everyone decodes everyone's camera and receives their audio");
    }

    private static void Grown(JsonElement stats, CallParticipant at, string owner, string source, string counter, int by,
        Dictionary<(string, string, string), long> baseline, List<string> missing)
    {
        var track = CallParticipant.FindTrack(stats, owner, source);
        var value = CallParticipant.Counter(track, counter);
        var key = (at.Id, owner, source);
        if (track is null || !baseline.TryGetValue(key, out var first))
        {
            if (track is not null)
                baseline[key] = value;
            missing.Add($"{at.Id}←{owner} {source}: {(track is null ? "no track" : "baseline")}");
            return;
        }
        if (value < first + by)
            missing.Add($"{at.Id}←{owner} {source} {counter} {value} (from {first})");
    }
}
