using Microsoft.Playwright;

namespace Sotto.Browser.Tests;

/// <summary>
/// The system Chromium (/usr/bin/chromium, installed by scripts/test.sh) driven by Playwright:
/// never a browser download. Each launch gets a fresh temporary profile.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        "--allow-loopback-in-peer-connection",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync(IEnumerable<string>? extraArguments = null)
    {
        // Belt and braces: nothing in this suite may fetch a browser build.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = [.. Arguments, .. extraArguments ?? []] });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A page on http://localhost/ (a secure context, so getUserMedia works) whose HTML is served
    /// from memory by Playwright's router: no web server to start.
    /// </summary>
    public async Task<IPage> OpenPageAsync(string html)
    {
        var page = await Browser.NewPageAsync();
        await page.RouteAsync("http://localhost/**", route => route.FulfillAsync(new() { Status = 200, ContentType = "text/html", Body = html }));
        await page.GotoAsync("http://localhost/");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
