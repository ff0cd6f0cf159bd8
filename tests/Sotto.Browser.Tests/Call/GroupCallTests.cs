using System.Text.Json;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.Call;

/// <summary>
/// Issue 4: 2, 3 and 4 browsers in one room through the real call page and the real server. Every frame
/// is SFrame-encrypted by the page (there is no other path), so decoding proves the whole chain: link
/// secret → pairwise channels → per-sender keys → sender transform → SFU → receiver transform with the signalled owner slot.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class GroupCallTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Everyone_decodes_everyone_elses_video_and_receives_their_audio_through_sotto(int people)
    {
        await using var server = await CallServer.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var link = server.NewRoomLink();
        var participants = new List<CallParticipant>();
        var callTime = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            for (var i = 0; i < people; i++)
                participants.Add(await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output));

            await CallAssert.EveryoneReceivesEveryoneAsync(participants, output);

            var port = server.Sfu.LocalEndPoint.Port;
            foreach (var p in participants)
            {
                var stats = await p.StatsAsync();
                Assert.Equal(port, stats.GetProperty("publish").GetProperty("remotePort").GetInt32());
                Assert.Equal(port, stats.GetProperty("subscribe").GetProperty("remotePort").GetInt32());
                var frames = stats.GetProperty("frames");
                output.WriteLine($"{p.Id}: frames {frames}");
                Assert.True(frames.GetProperty("encrypted").GetInt64() > 0);
                Assert.True(frames.GetProperty("decrypted").GetInt64() > 0);
            }

            // 320x240@15 targets well under 1 Mbit/s; the estimate must still cover it after 20 s.
            await CallAssert.PublishersHaveTheirBandwidthAsync(participants, callTime, TimeSpan.FromSeconds(20), 0, output);
        }
        finally
        {
            foreach (var p in participants)
                await p.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_960x540_camera_in_three_layers_gets_the_bandwidth_its_encoders_target()
    {
        await using var server = await CallServer.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var link = server.NewRoomLink();
        var callTime = System.Diagnostics.Stopwatch.StartNew();
        await using var a = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Large, output);
        await using var b = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Large, output);
        // The SFU sends what a tile needs (issue 7): show the remote video large, so the top layer is needed.
        foreach (var p in new[] { a, b })
            await p.Page.EvaluateAsync("() => { const s = new CSSStyleSheet(); s.replaceSync('.tile video { width: 960px !important; height: 540px !important; }'); document.adoptedStyleSheets = [...document.adoptedStyleSheets, s]; }");
        await CallAssert.EveryoneReceivesEveryoneAsync([a, b], output);

        await CallAssert.PublishersHaveTheirBandwidthAsync([a, b], callTime, TimeSpan.FromSeconds(20), 1_000_000, output);
        foreach (var p in new[] { a, b })
        {
            var stats = await p.StatsAsync();
            var layers = stats.GetProperty("publish").GetProperty("outbound").EnumerateArray()
                .Where(o => o.GetProperty("kind").GetString() == "video" && CallParticipant.Counter(o, "framesEncoded") > 0)
                .Select(o => $"{o.GetProperty("rid").GetString()} {CallParticipant.Counter(o, "frameWidth")}x{CallParticipant.Counter(o, "frameHeight")}")
                .ToList();
            output.WriteLine($"{p.Id} sends layers: {string.Join(", ", layers)}");
            Assert.Equal(3, layers.Count);
        }
        // The subscriber gets the best layer: 960 wide.
        await Eventually.Until(async () => CallParticipant.Counter(await a.RemoteTrackAsync(b.Id, "camera"), "frameWidth") == 960,
            TimeSpan.FromSeconds(30), "the full-size layer is forwarded");
    }
}
