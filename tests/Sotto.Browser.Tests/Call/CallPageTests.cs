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
        await sharer.ClickAsync("invite-toggle");
        await Assertions.Expect(sharer.Page.GetByTestId("copy-link")).ToBeVisibleAsync();

        await sharer.ClickAsync("screenshare");
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
            await Assertions.Expect(viewer.Page.Locator($"[data-testid=participant-tile][data-participant='{sharer.Id}']").Locator("video")).ToHaveCountAsync(2);
        }
        output.WriteLine("screen share decoded at both viewers");

        await sharer.ClickAsync("screenshare");
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

    [Fact]
    public async Task A_browser_that_vanishes_without_goodbye_is_removed_within_the_consent_timeout()
    {
        var consentTimeout = TimeSpan.FromSeconds(8);
        await using var server = await CallServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sotto:Media:ConsentTimeout"] = consentTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        });
        await using var chromium = await Chromium.LaunchAsync();
        // The one who vanishes runs in its own Chromium, marked so that this test can SIGKILL exactly that
        // process (no close frame, no DTLS close_notify, no RTCP BYE: the kernel just drops its sockets).
        var marker = "--sotto-test-instance=" + Guid.NewGuid().ToString("N");
        var doomedBrowser = await Chromium.LaunchAsync([marker]);
        var link = server.NewRoomLink();
        await using var a = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        await using var b = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        var doomed = await CallParticipant.JoinAsync(doomedBrowser.Browser, link, Capture.Small, output);
        await CallAssert.EveryoneReceivesEveryoneAsync([a, b, doomed], output);
        Assert.Equal(3, server.Sfu.GetMetrics().Participants);

        var killed = KillProcessesWith(marker);
        Assert.True(killed > 0, "the vanishing browser's process was found");
        var vanished = System.Diagnostics.Stopwatch.StartNew();
        await Eventually.Until(() => server.Sfu.GetMetrics().Participants == 2, consentTimeout * 3, "the SFU removed the vanished participant");
        var removedAfter = vanished.Elapsed;
        output.WriteLine($"vanished participant removed {removedAfter.TotalSeconds:0.0} s after its browser was killed (consent timeout {consentTimeout.TotalSeconds} s)");
        // Consent runs from the last valid check, which came before the kill; allow for the sweep timer.
        Assert.True(removedAfter <= consentTimeout + TimeSpan.FromSeconds(3), $"removed after {removedAfter.TotalSeconds:0.0} s");
        // And it was consent that removed it, not a goodbye (Chromium checks every ~2.5 s once stable).
        Assert.True(removedAfter >= consentTimeout / 2, $"removed after only {removedAfter.TotalSeconds:0.0} s: something said goodbye");

        // The others lose its tile and tracks, and keep receiving each other (positive control: the short
        // consent timeout removed nobody who was alive).
        foreach (var p in new[] { a, b })
        {
            await Eventually.Until(async () => CallParticipant.FindTrack(await p.StatsAsync(), doomed.Id, "camera") is null,
                TimeSpan.FromSeconds(20), $"{doomed.Id}'s camera is gone at {p.Id}");
            // Its seat may wait out the resume window (docs/protocol.md), but its video is gone.
            await Assertions.Expect(p.Page.GetByTestId($"video-{doomed.Id}-camera")).ToHaveCountAsync(0);
        }
        await CallAssert.EveryoneReceivesEveryoneAsync([a, b], output);
        var metrics = server.Sfu.GetMetrics();
        Assert.Equal(2, metrics.Participants);
        Assert.Equal(4, metrics.Transports);
        try
        {
            await doomedBrowser.DisposeAsync();
        }
        catch (PlaywrightException)
        {
            // Its process is gone.
        }
    }

    /// <summary>
    /// Freezes (SIGSTOP), then SIGKILLs, the browser process this test started — found by the
    /// <paramref name="marker"/> on its command line — and all its descendants (renderers, network service),
    /// so no process of it can send a goodbye of any kind (close frame, DTLS close_notify, RTCP BYE).
    /// </summary>
    private static int KillProcessesWith(string marker)
    {
        var parents = new Dictionary<int, int>();
        var roots = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal))
                    roots.Add(pid);
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        var tree = new HashSet<int>(roots);
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, parent) in parents)
                grew |= tree.Contains(parent) && tree.Add(pid);
        }
        if (tree.Count == 0)
            return 0;
        var pids = string.Join(' ', tree);
        Signal("-STOP", pids);
        Signal("-KILL", pids);
        return tree.Count;
    }

    private static void Signal(string signal, string pids)
    {
        using var kill = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("kill", $"{signal} {pids}") { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    [Fact]
    public async Task Start_a_call_from_home_strips_the_secret_from_the_address_bar_and_a_link_without_it_decrypts_nothing()
    {
        await using var server = await CallServer.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var context = await chromium.Browser.NewContextAsync();
        var home = await context.NewPageAsync();
        await home.GotoAsync(server.BaseUri.ToString());
        await home.GetByTestId("create-room").ClickAsync();
        await Assertions.Expect(home.GetByTestId("link-status")).ToHaveAttributeAsync("data-link", "protected", new() { Timeout = 30_000 });
        await home.GetByTestId("prejoin-join").ClickAsync();
        await Assertions.Expect(home.GetByTestId("camera")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var address = new Uri(home.Url);
        Assert.Equal("", address.Fragment); // §S2: the secret never stays in the address bar

        // The same room by its name alone: joins, warns, cannot pair with the first participant (the PSKs
        // differ; it is told it joined without the secret, E2EE-SPEC §S4.9), so it never gets a sender key
        // and decrypts nothing (every frame has a KID it holds no key for: the media really is encrypted).
        var withoutSecret = new Uri(server.BaseUri, address.AbsolutePath);
        await using var stranger = await CallParticipant.JoinAsync(chromium.Browser, withoutSecret, Capture.Small, output);
        await Assertions.Expect(stranger.Page.GetByTestId("link-status")).ToHaveAttributeAsync("data-link", "no-secret");
        var firstId = "";
        await Eventually.Until(async () =>
        {
            var stats = await stranger.StatsAsync();
            var camera = stats.GetProperty("subscribe").GetProperty("tracks").EnumerateArray().FirstOrDefault(t => t.GetProperty("source").GetString() == "camera");
            if (camera.ValueKind != JsonValueKind.Object)
                return false;
            firstId = camera.GetProperty("owner").GetString()!;
            var dropped = stats.GetProperty("frames").GetProperty("receiveDropped");
            return CallParticipant.Counter(camera, "packetsReceived") > 100 && dropped.TryGetProperty("unknown-kid", out var unknown) && unknown.GetInt64() > 50;
        }, TimeSpan.FromSeconds(45), "the stranger receives the first participant's packets and holds no key for them");
        await Assertions.Expect(stranger.Page.GetByTestId($"peer-{firstId}")).ToHaveAttributeAsync("data-reason", "NO_SECRET", new() { Timeout = 45_000 });
        var strangerStats = await stranger.StatsAsync();
        Assert.Equal(0, CallParticipant.Counter(CallParticipant.FindTrack(strangerStats, firstId, "camera"), "framesDecoded"));
        Assert.Equal(0, strangerStats.GetProperty("frames").GetProperty("decrypted").GetInt64());
        output.WriteLine($"stranger frames: {strangerStats.GetProperty("frames")}");
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_malformed_link_never_joins()
    {
        await using var server = await CallServer.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseUri, "/some-room#k=too-short").ToString());
        await Assertions.Expect(page.GetByTestId("error-page")).ToHaveAttributeAsync("data-error", "incomplete-link");
        await Assertions.Expect(page.GetByTestId("error-title")).ToContainTextAsync("incomplete");
        Assert.Equal("", new Uri(page.Url).Fragment); // removed even though malformed
        // No media participant (every valid link in the other tests makes one as soon as it joins).
        Assert.Equal(0, server.Sfu.GetMetrics().Participants);
    }
}
