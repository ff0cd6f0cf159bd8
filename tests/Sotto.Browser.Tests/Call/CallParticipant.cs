using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.Call;

/// <summary>The fake devices' capture size, forced through the page's getUserMedia/getDisplayMedia constraints.</summary>
internal readonly record struct Capture(int Width, int Height, int FrameRate)
{
    /// <summary>Small enough for four pages on 2 cores (DESIGN.md §9: ~18% for four at this size).</summary>
    public static readonly Capture Small = new(320, 240, 15);

    /// <summary>The smallest size at which Chromium sends all three simulcast layers.</summary>
    public static readonly Capture Large = new(960, 540, 30);
}

/// <summary>
/// One person in a call: its own browser context (own fake devices, own storage) with the REAL call page
/// at the room link, read through the page's read-only <c>window.sotto.stats()</c>.
/// </summary>
internal sealed class CallParticipant : IAsyncDisposable
{
    private CallParticipant(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>The participant id the server gave (from the page's stats).</summary>
    public string Id { get; private set; } = "";

    public int Slot { get; private set; }

    /// <param name="beforeJoin">runs on the new page before it opens the link (e.g. to watch its WebSocket from the first frame)</param>
    public static async Task<CallParticipant> JoinAsync(IBrowser browser, Uri link, Capture capture, ITestOutputHelper? log = null, Action<IPage>? beforeJoin = null)
    {
        var context = await browser.NewContextAsync();
        // Test-only: the page asks for 960x540@30 (three layers); the fake device delivers what the
        // constraints say, so the tests choose the size here instead of in the page.
        await context.AddInitScriptAsync($$"""
            (() => {
              const md = navigator.mediaDevices;
              if (!md) return;
              const camera = { width: {{capture.Width}}, height: {{capture.Height}}, frameRate: {{capture.FrameRate}} };
              const gum = md.getUserMedia.bind(md);
              md.getUserMedia = (c) => gum(c && c.video ? { ...c, video: camera } : c);
              const gdm = md.getDisplayMedia.bind(md);
              md.getDisplayMedia = (c) => gdm({ ...c, video: { width: 320, height: 240, frameRate: 10 } });
            })();
            """);
        var page = await context.NewPageAsync();
        if (log is not null)
            page.Console += (_, message) => { if (message.Type is "error" or "warning") Log(log, $"console {message.Type}: {message.Text}"); };
        var participant = new CallParticipant(context, page);
        beforeJoin?.Invoke(page);
        await page.GotoAsync(link.ToString());
        // Pre-join: the page shows camera and microphone first; join with what it picked.
        await page.GetByTestId("prejoin-join").ClickAsync(new() { Timeout = 30_000 });
        await Eventually.Until(async () =>
        {
            var stats = await participant.StatsAsync();
            if (stats.GetProperty("self").ValueKind != JsonValueKind.Object || stats.GetProperty("publish").ValueKind != JsonValueKind.Object)
                return false;
            participant.Id = stats.GetProperty("self").GetProperty("id").GetString()!;
            participant.Slot = stats.GetProperty("self").GetProperty("slot").GetInt32();
            return true;
        }, TimeSpan.FromSeconds(30), "joined the room and started publishing");
        return participant;
    }

    private static void Log(ITestOutputHelper log, string line)
    {
        try
        {
            log.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; late console lines are dropped.
        }
    }

    /// <summary>window.sotto.stats(): self, publish (selected pair, outbound layers), subscribe (selected pair, remote tracks), frames.</summary>
    public async Task<JsonElement> StatsAsync() => await Page.EvaluateAsync<JsonElement>("() => window.sotto ? window.sotto.stats() : { self: null, publish: null }");

    /// <summary>The remote tracks this participant receives from <paramref name="owner"/>'s <paramref name="source"/>.</summary>
    public async Task<JsonElement?> RemoteTrackAsync(string owner, string source)
    {
        var stats = await StatsAsync();
        return FindTrack(stats, owner, source);
    }

    public static JsonElement? FindTrack(JsonElement stats, string owner, string source)
    {
        if (stats.GetProperty("subscribe").ValueKind != JsonValueKind.Object)
            return null;
        foreach (var track in stats.GetProperty("subscribe").GetProperty("tracks").EnumerateArray())
        {
            if (track.GetProperty("owner").GetString() == owner && track.GetProperty("source").GetString() == source)
                return track;
        }
        return null;
    }

    public static long Counter(JsonElement? track, string name) =>
        track is { } t && t.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    public Task ClickAsync(string testId) => Page.GetByTestId(testId).ClickAsync();

    /// <summary>Opens a side panel of the call page ("security", "chat", "files", "people" …) unless it is open already.</summary>
    public async Task ShowPanelAsync(string panel)
    {
        if (await Page.Locator($"[data-testid=side-panel] .side-body[data-panel='{panel}']").CountAsync() == 0)
            await ClickAsync(panel == "people" ? "participants-toggle" : $"{panel}-toggle");
        await Assertions.Expect(Page.Locator($"[data-testid=side-panel] .side-body[data-panel='{panel}']")).ToBeVisibleAsync();
    }

    /// <summary>This participant's tile on the page (data-testid participant-tile, data-participant its id).</summary>
    public ILocator TileOf(string id) => Page.Locator($"[data-testid=participant-tile][data-participant='{id}']");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Context.CloseAsync();
        }
        catch (PlaywrightException)
        {
            // Already closed (a test that makes a browser vanish).
        }
    }
}
