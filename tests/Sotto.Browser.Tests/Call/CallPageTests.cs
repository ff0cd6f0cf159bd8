using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.Call;

/// <summary>The call page's controls and lifecycle, seen from the other participants' getStats and DOM.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class CallPageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Screen_share_appears_at_the_others_as_a_second_video_track_and_disappears_when_stopped()
    {
        await using var server = await CallServer.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var link = server.NewRoomLink();
        await using var sharer = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        await using var b = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        await using var c = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        await CallAssert.EveryoneReceivesEveryoneAsync([sharer, b, c], output);
        await Assertions.Expect(sharer.Page.GetByTestId("copy-link")).ToBeVisibleAsync();

        await sharer.ClickAsync("toggle-screen");
        // §S2: the link is hidden while sharing.
        await Assertions.Expect(sharer.Page.GetByTestId("copy-link")).ToBeHiddenAsync();
        foreach (var viewer in new[] { b, c })
        {
            var start = new Dictionary<string, long>();
            await Eventually.Until(async () =>
            {
                var stats = await viewer.StatsAsync();
                var screen = CallParticipant.FindTrack(stats, sharer.Id, "screen");
                var camera = CallParticipant.FindTrack(stats, sharer.Id, "camera");
                if (screen is null || camera is null)
                    return false;
                var frames = CallParticipant.Counter(screen, "framesDecoded");
                if (!start.TryGetValue("screen", out var first))
                {
                    start["screen"] = frames;
                    start["camera"] = CallParticipant.Counter(camera, "framesDecoded");
                    return false;
                }
                // Both video tracks decode: the screen is a second track, not a replacement of the camera.
                return frames > first + 5 && CallParticipant.Counter(camera, "framesDecoded") > start["camera"] + 5;
            }, TimeSpan.FromSeconds(45), $"{viewer.Id} decodes {sharer.Id}'s screen and camera");
            await Assertions.Expect(viewer.Page.GetByTestId($"video-{sharer.Id}-screen")).ToBeVisibleAsync();
            await Assertions.Expect(viewer.Page.GetByTestId($"video-{sharer.Id}-camera")).ToBeVisibleAsync();
            await Assertions.Expect(viewer.Page.GetByTestId($"tile-{sharer.Id}").Locator("video")).ToHaveCountAsync(2);
        }
        output.WriteLine("screen share decoded at both viewers");

        await sharer.ClickAsync("toggle-screen");
        foreach (var viewer in new[] { b, c })
        {
            await Eventually.Until(async () => CallParticipant.FindTrack(await viewer.StatsAsync(), sharer.Id, "screen") is null,
                TimeSpan.FromSeconds(30), $"{sharer.Id}'s screen track is gone at {viewer.Id}");
            await Assertions.Expect(viewer.Page.GetByTestId($"video-{sharer.Id}-screen")).ToHaveCountAsync(0);
            await Assertions.Expect(viewer.Page.GetByTestId($"video-{sharer.Id}-camera")).ToBeVisibleAsync();
        }
        await Assertions.Expect(sharer.Page.GetByTestId("copy-link")).ToBeVisibleAsync();
        // The camera keeps decoding after the screen left.
        await CallAssert.EveryoneReceivesEveryoneAsync([sharer, b, c], output);
    }
}
