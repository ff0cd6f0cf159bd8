using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Playwright;
using Sotto.Browser.Tests.Call;
using Sotto.Client;
using Sotto.Client.Media;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.CrossImpl;

/// <summary>
/// Issue 8's cross-implementation test: the real call page in Chromium (web/e2ee) and the headless
/// C# participant (src/Sotto.E2ee + src/Sotto.Client) in one E2EE room through the real server. The
/// browser decodes the C# participant's VP8 and Opus (SFrame-encrypted by C#, packetized by C#);
/// the C# participant decrypts the browser's frames and finds valid VP8/Opus inside; both show the
/// same pair code and the same room code; chat and files go both ways. Two independent implementations
/// agreeing on every byte of this is the evidence that docs/e2ee.md is complete.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class CrossImplementationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    [Fact]
    public async Task A_browser_and_the_headless_participant_decrypt_each_other_agree_on_both_codes_and_exchange_chat_and_files()
    {
        await using var server = await CallServer.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var link = server.NewRoomLink();
        var browser = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        await using var _ = browser;

        var events = new ConcurrentQueue<CallEvent>();
        await using var headless = await HeadlessParticipant.JoinAsync(link.ToString(), new HeadlessParticipantOptions { Name = "Бот Sotto" });
        headless.Event += (_, e) => events.Enqueue(e);
        Assert.True(IvfFileSource.TryOpen(Fixture("testsrc-320x240-15fps.ivf"), loop: true, out var video, out var problem), problem);
        Assert.True(OggOpusFileSource.TryOpen(Fixture("sine-440hz.ogg"), loop: true, out var audio, out problem), problem);
        await headless.PublishAsync([audio!, video!]);

        // The pair code (§S4.6): the browser's dialog and the C# participant show the same 7 emoji.
        await Assertions.Expect(browser.Page.GetByTestId($"peer-{headless.Id}")).ToHaveAttributeAsync("data-status", "unverified", new() { Timeout = 60_000 });
        await Assertions.Expect(browser.Page.GetByTestId($"peer-name-{headless.Id}")).ToHaveTextAsync("Бот Sotto", new() { Timeout = 30_000 });
        await browser.ShowPanelAsync("security");
        await browser.Page.GetByTestId($"compare-{headless.Id}").ClickAsync();
        var pairItems = browser.Page.GetByTestId("pair-emoji-item");
        await Assertions.Expect(pairItems).ToHaveCountAsync(7);
        int[] browserPair = await Numbers(pairItems);
        Assert.Equal(headless.PairCode(browser.Id)!.Select(e => e.Number), browserPair);
        await browser.Page.GetByTestId("pair-match").ClickAsync(); // "They match": closes the dialog, sends sas {match} to C#
        await Assertions.Expect(browser.Page.GetByTestId($"peer-{headless.Id}")).ToHaveAttributeAsync("data-status", "verified-by-you");

        // The room code (§S8): same emoji, n = 2, on both sides.
        await Assertions.Expect(browser.Page.GetByTestId("room-code-people")).ToHaveAttributeAsync("data-n", "2", new() { Timeout = 30_000 });
        await Eventually.Until(() => headless.RoomCode is not null, Long, "the headless participant's room code");
        Assert.Equal(headless.RoomCode!.Select(e => e.Number), await Numbers(browser.Page.GetByTestId("room-code-emoji-item")));
        Assert.Equal(2, headless.RoomCodeSize);
        output.WriteLine($"pair code {string.Join(",", browserPair)}; room code {string.Join(",", headless.RoomCode!.Select(e => e.Number))}");

        // The browser decodes the C# participant's camera and receives its microphone.
        long firstFrames = -1;
        long firstPackets = -1;
        await Eventually.Until(async () =>
        {
            var stats = await browser.StatsAsync();
            var camera = CallParticipant.FindTrack(stats, headless.Id, "camera");
            var mic = CallParticipant.FindTrack(stats, headless.Id, "mic");
            if (camera is null || mic is null)
                return false;
            long frames = CallParticipant.Counter(camera, "framesDecoded");
            long packets = CallParticipant.Counter(mic, "packetsReceived");
            if (firstFrames < 0 && frames > 0)
            {
                firstFrames = frames;
                firstPackets = packets;
            }
            return firstFrames >= 0 && frames >= firstFrames + CallAssert.FramesToGrow && packets >= firstPackets + CallAssert.AudioPacketsToGrow;
        }, Long, "the browser decodes the headless participant's video and receives its audio");
        var track = CallParticipant.FindTrack(await browser.StatsAsync(), headless.Id, "camera");
        output.WriteLine($"browser ← C#: {track}");
        Assert.Equal(320, (int)CallParticipant.Counter(track, "frameWidth"));

        // The C# participant decrypts the browser's camera and microphone and finds valid VP8 and Opus.
        await Eventually.Until(() => headless.RemoteTracks.Any(t => t is { OwnerId: var o, Source: "camera", KeyFramesDecrypted: > 0, FramesValid: >= 20 } && o == browser.Id), Long, "C# decrypts the browser's VP8");
        await Eventually.Until(() => headless.RemoteTracks.Any(t => t is { OwnerId: var o, Source: "mic", FramesValid: >= 50 } && o == browser.Id), Long, "C# decrypts the browser's Opus");
        foreach (RemoteTrackStats t in headless.RemoteTracks)
        {
            output.WriteLine($"C# ← browser: {t}");
            Assert.Equal(t.FramesDecrypted, t.FramesValid + t.EmptyFrames); // everything that authenticated is real VP8/Opus (or an empty DTX frame)
        }

        // Chat both ways (§S9).
        await browser.ShowPanelAsync("chat");
        await browser.Page.GetByTestId("chat-input").FillAsync("привет от браузера");
        await browser.Page.GetByTestId("chat-send").ClickAsync();
        await Eventually.Until(() => events.Any(e => e is { Kind: CallEventKind.Chat, Text: "привет от браузера" } && e.PeerId == browser.Id), Long, "C# receives the browser's chat");
        Assert.Equal(1, headless.SendChat("hello from C# 👋"));
        await Assertions.Expect(browser.Page.GetByTestId("chat-text")).ToContainTextAsync(["hello from C# 👋"], new() { Timeout = 30_000 });

        // In-call state both ways, only end-to-end encrypted (§S5 `state`, C14): the browser's mute
        // reaches C#, C#'s mute and raised hand show on the browser's tile for it.
        Assert.NotEqual(false, headless.PeerCallState(browser.Id)?.Mic); // not muted before the click
        await browser.Page.GetByTestId("mic").ClickAsync();
        await Eventually.Until(() => headless.PeerCallState(browser.Id)?.Mic == false, Long, "C# learns the browser muted");
        var tile = browser.Page.Locator($"[data-participant=\"{headless.Id}\"]");
        await Assertions.Expect(tile.GetByTestId("tile-muted")).ToBeHiddenAsync();
        headless.SetCallState(mic: false, hand: true);
        await Assertions.Expect(tile.GetByTestId("tile-muted")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(tile.GetByTestId("tile-hand")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // Files both ways (§S10): offered, accepted by a deliberate act, chunks under a per-receiver key, hash checked.
        await browser.ShowPanelAsync("files");
        byte[] fromBrowser = RandomNumberGenerator.GetBytes(150_000); // 3 chunks
        await browser.Page.GetByTestId("file-input").SetInputFilesAsync(new FilePayload { Name = "from-browser.bin", MimeType = "application/octet-stream", Buffer = fromBrowser });
        await browser.Page.GetByTestId("file-offer").ClickAsync();
        await Eventually.Until(() => events.Any(e => e.Kind == CallEventKind.FileOffered && e.PeerId == browser.Id), Long, "C# gets the browser's file offer");
        CallEvent offer = events.First(e => e.Kind == CallEventKind.FileOffered);
        Assert.Equal(("from-browser.bin", 150_000), (offer.Text, offer.Count));
        headless.AcceptFile(browser.Id, offer.Reason!);
        await Eventually.Until(() => events.Any(e => e.Kind == CallEventKind.FileComplete), Long, "C# receives the whole file");
        Assert.Equal(fromBrowser, headless.FileContent(browser.Id, offer.Reason!));

        byte[] fromCs = RandomNumberGenerator.GetBytes(70_000); // 2 chunks
        Assert.Single(headless.OfferFile([browser.Id], "from-cs.bin", fromCs));
        await browser.Page.GetByTestId("file-incoming-item").Filter(new() { HasText = "from-cs.bin" }).GetByTestId("file-accept").ClickAsync(new() { Timeout = 30_000 });
        var save = browser.Page.GetByTestId("file-incoming-item").Filter(new() { HasText = "from-cs.bin" }).GetByTestId("file-save");
        await Assertions.Expect(save).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var download = await browser.Page.RunAndWaitForDownloadAsync(() => save.ClickAsync());
        Assert.Equal(fromCs, await File.ReadAllBytesAsync((await download.PathAsync())!));
    }

    private static Task<int[]> Numbers(ILocator items) => items.EvaluateAllAsync<int[]>("els => els.map(e => Number(e.dataset.number))");
}
