using System.Text.Json;
using Microsoft.Playwright;
using Sotto.Browser.Tests.Call;

namespace Sotto.Browser.Tests.Adaptation;

/// <summary>
/// A person on the real call page whose microphone is a WebAudio oscillator (every page gets the same
/// fake audio otherwise, DESIGN.md §9), silent until <see cref="TalkAsync"/>: silence is digital zero,
/// so Opus DTX sends a packet per 400 ms instead of one per 20 ms — what the SFU's speaker detection reads.
/// </summary>
internal sealed class TalkingParticipant : IAsyncDisposable
{
    private TalkingParticipant(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public string Id { get; private set; } = "";

    public static async Task<TalkingParticipant> JoinAsync(IBrowser browser, Uri link, Capture capture, int frequencyHz, bool largeTiles = false)
    {
        var context = await browser.NewContextAsync();
        await context.AddInitScriptAsync($$"""
            (() => {
              const md = navigator.mediaDevices;
              if (!md) return;
              const camera = { width: {{capture.Width}}, height: {{capture.Height}}, frameRate: {{capture.FrameRate}} };
              const gum = md.getUserMedia.bind(md);
              // Pre-join and the call may each ask for a microphone: every oscillator follows __talk.
              const gains = [];
              globalThis.__talk = (on) => { for (const g of gains) g.gain.value = on ? 0.5 : 0; return gains.length > 0; };
              md.getUserMedia = async (c) => {
                const stream = await gum(c && c.video ? { ...c, video: camera } : c);
                if (!c || !c.audio) return stream;
                const audio = new AudioContext();
                const oscillator = new OscillatorNode(audio, { frequency: {{frequencyHz}} });
                const gain = new GainNode(audio, { gain: 0 });
                gains.push(gain);
                const destination = audio.createMediaStreamDestination();
                oscillator.connect(gain).connect(destination);
                oscillator.start();
                for (const t of stream.getAudioTracks()) { stream.removeTrack(t); t.stop(); }
                stream.addTrack(destination.stream.getAudioTracks()[0]);
                return stream;
              };
            })();
            """);
        var page = await context.NewPageAsync();
        var participant = new TalkingParticipant(context, page);
        await page.GotoAsync(link.ToString());
        // Pre-join: the page shows camera and microphone first; join with what it picked.
        await page.GetByTestId("prejoin-join").ClickAsync(new() { Timeout = 30_000 });
        // The page reports its tiles' size; shown at 960x540 the top layer is what they need.
        if (largeTiles)
            await page.EvaluateAsync("() => { const s = new CSSStyleSheet(); s.replaceSync('.tile video { width: 960px !important; height: 540px !important; }'); document.adoptedStyleSheets = [...document.adoptedStyleSheets, s]; }");
        await Eventually.Until(async () =>
        {
            var stats = await participant.StatsAsync();
            if (stats.GetProperty("self").ValueKind != JsonValueKind.Object || stats.GetProperty("publish").ValueKind != JsonValueKind.Object)
                return false;
            participant.Id = stats.GetProperty("self").GetProperty("id").GetString()!;
            return true;
        }, TimeSpan.FromSeconds(30), "joined the room and started publishing");
        await Eventually.Until(async () => await page.EvaluateAsync<bool>("() => globalThis.__talk(false)"), TimeSpan.FromSeconds(30), "the oscillator microphone is in use");
        return participant;
    }

    public Task TalkAsync(bool on) => Page.EvaluateAsync<bool>($"() => globalThis.__talk({(on ? "true" : "false")})");

    public async Task<JsonElement> StatsAsync() => await Page.EvaluateAsync<JsonElement>("() => window.sotto ? window.sotto.stats() : { self: null, publish: null }");

    /// <summary>The participant id whose tile is marked as the dominant speaker's, or null.</summary>
    public Task<string?> DominantTileAsync() => Page.EvaluateAsync<string?>(
        "() => { const t = document.querySelector('.tile.speaking'); return t ? t.dataset.participant : null; }");

    /// <summary>framesDecoded per remote camera owner.</summary>
    public async Task<Dictionary<string, long>> FramesDecodedAsync()
    {
        var stats = await StatsAsync();
        var result = new Dictionary<string, long>();
        if (stats.GetProperty("subscribe").ValueKind != JsonValueKind.Object)
            return result;
        foreach (var track in stats.GetProperty("subscribe").GetProperty("tracks").EnumerateArray())
        {
            if (track.GetProperty("source").GetString() == "camera")
                result[track.GetProperty("owner").GetString()!] = CallParticipant.Counter(track, "framesDecoded");
        }
        return result;
    }

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
