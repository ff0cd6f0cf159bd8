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
        }, timeout ?? TimeSpan.FromSeconds(60), () => $"everyone receives everyone (still missing: {pending})");
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

    /// <summary>
    /// DESIGN.md §9: a publisher whose transport-cc gets no feedback collapses to 30 kbit/s within ~15 s, one
    /// without RTCP stays at 300 kbit/s — "frames keep decoding" hides both. So, once the call has run for
    /// <paramref name="after"/>, each publisher's estimate must cover what its encoders target (all layers
    /// and audio) and at least <paramref name="minimumBitrate"/>, and no layer may be limited by bandwidth.
    /// </summary>
    public static async Task PublishersHaveTheirBandwidthAsync(IReadOnlyList<CallParticipant> participants, System.Diagnostics.Stopwatch callTime,
        TimeSpan after, double minimumBitrate, ITestOutputHelper output)
    {
        // Waiting for time to pass is the point here (the collapse takes ~15 s); the assertion below waits on getStats.
        if (callTime.Elapsed < after)
            await Task.Delay(after - callTime.Elapsed);
        var last = new Dictionary<string, string>();
        await Eventually.Until(async () =>
        {
            var ok = true;
            foreach (var p in participants)
            {
                var publish = (await p.StatsAsync()).GetProperty("publish");
                var available = publish.GetProperty("availableOutgoingBitrate").GetDouble();
                double target = 0;
                var limited = new List<string>();
                foreach (var outbound in publish.GetProperty("outbound").EnumerateArray())
                {
                    target += outbound.TryGetProperty("targetBitrate", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : 0;
                    if (outbound.TryGetProperty("qualityLimitationReason", out var reason) && reason.GetString() == "bandwidth")
                        limited.Add(outbound.TryGetProperty("rid", out var rid) ? rid.GetString()! : "-");
                }
                last[p.Id] = $"available {available / 1e6:0.00} Mbit/s, encoders target {target / 1e6:0.00} Mbit/s, bandwidth-limited layers [{string.Join(",", limited)}]";
                ok &= available >= Math.Max(target, minimumBitrate) && limited.Count == 0;
            }
            return ok;
        }, TimeSpan.FromSeconds(40), () => "every publisher's estimate covers its encoders: " + string.Join("; ", last.Select(kv => $"{kv.Key}: {kv.Value}")));
        foreach (var (id, figures) in last)
            output.WriteLine($"publisher {id} after {callTime.Elapsed.TotalSeconds:0} s: {figures}");
    }
}
