using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using Sotto.Browser.Tests.Call;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.WebApp;

/// <summary>One server (with its <see cref="ServerCapture"/>) and one Chromium for every web-app test: each test uses its own rooms.</summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    internal CallServer Server { get; private set; } = null!;

    internal ServerCapture Capture { get; } = new();

    internal Chromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await CallServer.StartAsync(services: s => s.AddSingleton<IStartupFilter>(Capture));
        Chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// One person with their own browser context (own fake devices, storage and clipboard), recording every
/// request and WebSocket URL their pages make, driving the app through its data-testid attributes.
/// </summary>
internal sealed class Person : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _urls = new();

    private Person(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Every URL this person's browser asked for (pages, scripts, workers, fetches, WebSockets).</summary>
    public IReadOnlyCollection<string> Urls => _urls.ToArray();

    public string Id { get; private set; } = "";

    public static async Task<Person> OpenAsync(WebAppFixture fixture, string url, ITestOutputHelper output, string locale = "en-US", int width = 1280, int height = 800)
    {
        var context = await fixture.Chromium.Browser.NewContextAsync(new()
        {
            Locale = locale,
            ViewportSize = new() { Width = width, Height = height },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        var small = Capture.Small;
        // Test-only: the fake camera at a small size (the page asks for 960x540), as CallParticipant does.
        await context.AddInitScriptAsync($$"""
            (() => {
              const md = navigator.mediaDevices;
              if (!md) return;
              const gum = md.getUserMedia.bind(md);
              md.getUserMedia = (c) => gum(c && c.video ? { ...c, video: { ...(typeof c.video === "object" ? c.video : {}), width: {{small.Width}}, height: {{small.Height}}, frameRate: {{small.FrameRate}} } } : c);
              const gdm = md.getDisplayMedia.bind(md);
              md.getDisplayMedia = (c) => gdm({ ...c, video: { width: 320, height: 240, frameRate: 10 } });
            })();
            """);
        var page = await context.NewPageAsync();
        var person = new Person(context, page);
        context.Request += (_, request) => person._urls.Enqueue(request.Url);
        page.WebSocket += (_, socket) => person._urls.Enqueue(socket.Url);
        page.Console += (_, message) =>
        {
            if (message.Type is "error")
                Log(output, $"console {message.Type}: {message.Text}");
        };
        page.PageError += (_, error) => Log(output, $"page error: {error}");
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GotoAsync(url);
        return person;
    }

    private static void Log(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // the test is over
        }
    }

    public ILocator ById(string testId) => Page.GetByTestId(testId);

    public Task ClickAsync(string testId) => Page.GetByTestId(testId).ClickAsync();

    /// <summary>The tile of participant <paramref name="id"/> on this person's screen.</summary>
    public ILocator Tile(string id) => Page.Locator($"[data-testid=participant-tile][data-participant='{id}']");

    /// <summary>Pre-join → join; waits until in the call and publishing, and learns the participant id.</summary>
    public async Task JoinFromPrejoinAsync()
    {
        await Assertions.Expect(ById("prejoin-name")).Not.ToHaveValueAsync("", new() { Timeout = 30_000 });
        await ClickAsync("prejoin-join");
        await WaitInCallAsync();
    }

    public async Task WaitInCallAsync()
    {
        await Eventually.Until(async () =>
        {
            var stats = await StatsAsync();
            if (stats.GetProperty("self").ValueKind != JsonValueKind.Object || stats.GetProperty("publish").ValueKind != JsonValueKind.Object)
                return false;
            Id = stats.GetProperty("self").GetProperty("id").GetString()!;
            return true;
        }, TimeSpan.FromSeconds(30), "joined the room and started publishing");
    }

    public async Task<JsonElement> StatsAsync() => await Page.EvaluateAsync<JsonElement>("() => window.sotto ? window.sotto.stats() : { self: null, publish: null }");

    public async Task<string> HashAsync() => await Page.EvaluateAsync<string>("() => location.hash");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Context.CloseAsync();
        }
        catch (PlaywrightException)
        {
        }
    }
}
