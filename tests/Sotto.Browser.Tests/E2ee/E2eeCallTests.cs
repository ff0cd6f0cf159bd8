using Sotto.Testing;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Sotto.Browser.Tests.Call;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.E2ee;

/// <summary>
/// Issue 5 in real browsers through the real call page and server (E2EE-SPEC §S16, the browser part):
/// three people pair, see each other's names, decode each other's video under per-sender keys, chat and
/// send a file; a fourth with another link secret decodes nothing and sees the right error while the
/// others go on; after someone leaves, the others' frames switch to keys the leaver never held within
/// 1.5 s; and a marker name, the chat text and the link secret never appear in the server's logs or in
/// any relayed WebSocket frame — with a positive control that plants a marker in a relayed blob.
/// One server and one Chromium for the whole story (it is one call), condition waits throughout.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class E2eeCallTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private const string BobsName = "<b>Bob</b>";
    private const string XssChat = "<img src=x onerror=\"window.sottoXss = 1\">";

    /// <summary>E2EE-SPEC §S6/§S14: a departure switches keys within 1.5 s.</summary>
    private static readonly TimeSpan LeaveSwitch = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// The recorder sees frames when they reach the SFU, not when the page encrypted them: allow for the
    /// sender's pacer and loopback under a loaded CI machine. A frame the SFU sees this much after the
    /// deadline was encrypted after it.
    /// </summary>
    private static readonly TimeSpan InFlight = TimeSpan.FromSeconds(0.5);

    [Fact]
    public async Task Three_people_talk_chat_and_share_a_file_end_to_end_a_wrong_link_decodes_nothing_a_leaver_is_keyed_out_and_the_server_sees_no_content()
    {
        var logs = new CapturingLoggerProvider();
        var kids = new KidRecorder();
        await using var server = await CallServer.StartAsync([kids], logs: logs);
        await using var chromium = await Chromium.LaunchAsync();
        var link = server.NewRoomLink();
        var secretText = link.Fragment["#k=".Length..];
        var frames = new ConcurrentQueue<string>();

        var nameMarker = "Маркер-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var chatMarker = "chat-marker-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + " привет";
        var people = new List<CallParticipant>();
        var downloads = 0;
        void Watch(IPage page)
        {
            page.Download += (_, _) => Interlocked.Increment(ref downloads);
            page.WebSocket += (_, ws) =>
            {
                ws.FrameSent += (_, f) => frames.Enqueue(f.Text ?? "");
                ws.FrameReceived += (_, f) => frames.Enqueue(f.Text ?? "");
            };
        }
        try
        {
            var a = await Join(chromium, link, Watch, people);
            var b = await Join(chromium, link, Watch, people);
            var c = await Join(chromium, link, Watch, people);
            await SetNameAsync(a, nameMarker);
            await SetNameAsync(b, BobsName);
            await SetNameAsync(c, "Carol");

            // Pairwise channels up (§S4), names arrived inside `hello` (§S5), and media decodes under per-sender keys.
            foreach (var p in people)
            {
                foreach (var q in people.Where(q => q != p))
                {
                    await Assertions.Expect(p.Page.GetByTestId($"peer-{q.Id}")).ToHaveAttributeAsync("data-status", "unverified", new() { Timeout = 60_000 });
                }
            }
            await Assertions.Expect(b.Page.GetByTestId($"peer-name-{a.Id}")).ToHaveTextAsync(nameMarker, new() { Timeout = 30_000 });
            await Assertions.Expect(c.Page.GetByTestId($"peer-name-{a.Id}")).ToHaveTextAsync(nameMarker, new() { Timeout = 30_000 });
            // Self-asserted names render as text (§S13): the markup shows, nothing is parsed.
            await Assertions.Expect(a.TileOf(b.Id).GetByTestId("tile-name")).ToHaveTextAsync(BobsName, new() { Timeout = 30_000 });
            await Assertions.Expect(a.Page.GetByTestId($"peer-name-{b.Id}")).ToHaveTextAsync(BobsName);
            await CallAssert.EveryoneReceivesEveryoneAsync(people, output, Long);
            foreach (var p in people)
            {
                var e2ee = (await p.StatsAsync()).GetProperty("e2ee");
                output.WriteLine($"{p.Id}: {e2ee}");
                Assert.Equal(2, e2ee.GetProperty("decryptors").GetInt32());
                await Assertions.Expect(p.Page.GetByTestId("e2ee-decryptors")).ToHaveAttributeAsync("data-count", "2");
            }

            // The pair code (§S4.6): both sides show the same 7 emoji; "They match" verifies.
            var ab = await PairEmojiAsync(a, b.Id);
            var ba = await PairEmojiAsync(b, a.Id);
            Assert.Equal(7, ab.Length);
            Assert.Equal(ab, ba);
            await a.Page.GetByTestId("pair-match").ClickAsync();
            await b.Page.GetByTestId("pair-match").ClickAsync();
            await Assertions.Expect(a.Page.GetByTestId($"peer-{b.Id}")).ToHaveAttributeAsync("data-status", "verified-by-you");
            await Assertions.Expect(b.Page.GetByTestId($"peer-{a.Id}")).ToHaveAttributeAsync("data-status", "verified-by-you");
            // The room code (§S8): the same emoji and n = 3 everywhere, after commit-then-reveal.
            int[]? roomCode = null;
            foreach (var p in people)
            {
                await Assertions.Expect(p.Page.GetByTestId("room-code-people")).ToHaveAttributeAsync("data-n", "3", new() { Timeout = 30_000 });
                var code = await Numbers(p.Page.GetByTestId("room-code-emoji-item"));
                Assert.Equal(7, code.Length);
                roomCode ??= code;
                Assert.Equal(roomCode, code);
            }
            output.WriteLine($"pair code {string.Join(",", ab)}; room code {string.Join(",", roomCode!)}");
            // The emoji are the bundled images (the same glyph on every screen, §S4.6), served by Sotto itself.
            Assert.True(await a.Page.GetByTestId("room-code-emoji-item").Locator("img").EvaluateAllAsync<bool>(
                "imgs => imgs.length === 7 && imgs.every(i => i.complete && i.naturalWidth > 0 && new URL(i.src).origin === location.origin)"));

            // Chat (§S9) to everyone present, as text.
            foreach (var p in people)
                await p.ShowPanelAsync("chat");
            await a.Page.GetByTestId("chat-input").FillAsync(chatMarker);
            await a.Page.GetByTestId("chat-send").ClickAsync();
            await Assertions.Expect(a.Page.GetByTestId("chat-sent-to")).ToHaveAttributeAsync("data-count", "2", new() { Timeout = 30_000 });
            foreach (var p in new[] { b, c })
                await Assertions.Expect(p.Page.GetByTestId("chat-text")).ToHaveTextAsync(chatMarker, new() { Timeout = 30_000 });
            await b.Page.GetByTestId("chat-input").FillAsync(XssChat);
            await b.Page.GetByTestId("chat-send").ClickAsync();
            await Assertions.Expect(a.Page.GetByTestId("chat-text").Nth(1)).ToHaveTextAsync(XssChat, new() { Timeout = 30_000 });
            Assert.Equal(0, await a.Page.Locator("[data-testid=panels] img:not(.emoji), [data-testid=panels] b, figcaption b").CountAsync());
            Assert.True(await a.Page.EvaluateAsync<bool>("() => window.sottoXss === undefined"), "the chat markup ran");

            // A file (§S10): offered to each, sent only to who accepts, saved only on a click after the hash checked.
            var content = RandomNumberGenerator.GetBytes(200_000); // 4 chunks
            foreach (var p in people)
                await p.ShowPanelAsync("files");
            await a.Page.GetByTestId("file-input").SetInputFilesAsync(new FilePayload { Name = "notes.bin", MimeType = "application/octet-stream", Buffer = content });
            await a.Page.GetByTestId("file-offer").ClickAsync();
            await b.Page.GetByTestId("file-incoming-item").GetByTestId("file-accept").ClickAsync(new() { Timeout = 30_000 });
            await c.Page.GetByTestId("file-incoming-item").GetByTestId("file-decline").ClickAsync(new() { Timeout = 30_000 });
            var save = b.Page.GetByTestId("file-incoming-item").GetByTestId("file-save");
            await Assertions.Expect(save).ToBeVisibleAsync(new() { Timeout = 30_000 });
            var download = await b.Page.RunAndWaitForDownloadAsync(() => save.ClickAsync());
            Assert.Equal("notes.bin", download.SuggestedFilename);
            Assert.Equal(content, await File.ReadAllBytesAsync((await download.PathAsync())!));
            await Assertions.Expect(a.Page.Locator($"[data-testid=file-outgoing-item][data-state=declined]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Assertions.Expect(a.Page.Locator($"[data-testid=file-outgoing-item][data-state=sent]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Assertions.Expect(c.Page.GetByTestId("file-save")).ToHaveCountAsync(0);
            // A risky type carries a warning; nothing is fetched or written without a click (DESIGN.md §1.4):
            // the pages downloaded exactly the one file B saved.
            await b.Page.GetByTestId("file-input").SetInputFilesAsync(new FilePayload { Name = "setup.exe", MimeType = "application/x-msdownload", Buffer = [0x4D, 0x5A, 0x90, 0x00] });
            await b.Page.GetByTestId("file-offer").ClickAsync();
            var risky = a.Page.Locator("[data-testid=file-incoming-item][data-state=offered]");
            await Assertions.Expect(risky.GetByTestId("file-risky")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(risky.GetByTestId("file-name")).ToHaveTextAsync("setup.exe");
            Assert.Equal(1, downloads);

            // A fourth person with another link secret for the same room: fails with the documented
            // diagnosis on both sides and decrypts nothing; the three carry on.
            var otherSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var d = await Join(chromium, new Uri(link, "#k=" + otherSecret), Watch, people);
            foreach (var p in new[] { a, b, c })
            {
                await Assertions.Expect(d.Page.GetByTestId($"peer-{p.Id}")).ToHaveAttributeAsync("data-reason", "LINK_OR_TAMPER", new() { Timeout = 60_000 });
                await Assertions.Expect(p.Page.GetByTestId($"peer-{d.Id}")).ToHaveAttributeAsync("data-reason", "LINK_OR_TAMPER", new() { Timeout = 60_000 });
            }
            // The exact words of §S13 (between the automatic retry's attempts the row may briefly say "connecting").
            await Assertions.Expect(d.Page.GetByTestId($"peer-status-{a.Id}")).ToContainTextAsync("joined with a different link", new() { Timeout = 30_000 });
            await Eventually.Until(async () =>
            {
                var stats = await d.StatsAsync();
                return CallParticipant.Counter(CallParticipant.FindTrack(stats, a.Id, "camera"), "packetsReceived") > 100
                    && stats.GetProperty("frames").GetProperty("receiveDropped").TryGetProperty("unknown-kid", out var unknown) && unknown.GetInt64() > 50;
            }, Long, "the fourth receives the others' packets and holds no key for any of them");
            var dStats = await d.StatsAsync();
            output.WriteLine($"fourth: frames {dStats.GetProperty("frames")}, e2ee {dStats.GetProperty("e2ee")}");
            Assert.Equal(0, dStats.GetProperty("frames").GetProperty("decrypted").GetInt64());
            foreach (var p in new[] { a, b, c })
                Assert.Equal(0, CallParticipant.Counter(CallParticipant.FindTrack(dStats, p.Id, "camera"), "framesDecoded"));
            await CallAssert.EveryoneReceivesEveryoneAsync([a, b, c], output, Long);
            Assert.Equal(0, (await a.StatsAsync()).GetProperty("e2ee").GetProperty("relabelledTracks").GetInt32());

            // Carol leaves at t0. Every frame A and B send from t0 + 1.5 s on uses an epoch newer than any
            // that existed at t0 — a key Carol never held (§S6).
            var heldAtLeave = new Dictionary<int, int>();
            foreach (var p in new[] { a, b })
            {
                var e2ee = (await p.StatsAsync()).GetProperty("e2ee");
                var pending = e2ee.GetProperty("pendingEpoch");
                heldAtLeave[p.Slot] = Math.Max(e2ee.GetProperty("currentEpoch").GetInt32(), pending.ValueKind == JsonValueKind.Number ? pending.GetInt32() : -1);
            }
            var t0 = kids.Clock.Elapsed;
            await c.ClickAsync("leave");
            await Eventually.Until(() => kids.Frames.Any(f => f.At > t0 + LeaveSwitch + InFlight + TimeSpan.FromSeconds(1) && f.Slot == a.Slot)
                && kids.Frames.Any(f => f.At > t0 + LeaveSwitch + InFlight + TimeSpan.FromSeconds(1) && f.Slot == b.Slot), Long, "frames from A and B well after the switch");
            foreach (var p in new[] { a, b })
            {
                var mine = kids.Frames.Where(f => f.Slot == p.Slot && f.At > t0).ToList();
                var firstNew = mine.FirstOrDefault(f => f.EpochByte > heldAtLeave[p.Slot]);
                var late = mine.Where(f => f.At > t0 + LeaveSwitch + InFlight).ToList();
                var stale = late.Where(f => f.EpochByte <= heldAtLeave[p.Slot]).ToList();
                output.WriteLine($"{p.Id} (slot {p.Slot}): newest epoch at leave {heldAtLeave[p.Slot]}; first newer frame {(firstNew.At - t0).TotalMilliseconds:0} ms after the leave; " +
                    $"{late.Count} frames after t0 + {(LeaveSwitch + InFlight).TotalSeconds} s, {stale.Count} of them under a key the leaver could hold");
                Assert.NotEmpty(late);
                Assert.Empty(stale);
                // Positive control: before the leave the recorder saw this sender's frames under the old epochs.
                Assert.Contains(kids.Frames, f => f.Slot == p.Slot && f.At < t0 && f.EpochByte <= heldAtLeave[p.Slot]);
            }
            Assert.Equal(0, kids.Unreadable);
            await CallAssert.EveryoneReceivesEveryoneAsync([a, b], output, Long);

            // The server never saw a name, a chat line or the link secret: not in its logs at any level,
            // not in any frame it relayed.
            var markers = new Dictionary<string, IReadOnlyList<string>>
            {
                ["display name"] = Forms(nameMarker),
                ["chat text"] = Forms(chatMarker),
                ["link secret"] = [secretText, .. Encodings(Base64UrlDecode(secretText))],
            };
            var logText = string.Join("\n", logs.Lines);
            var relayed = string.Join("\n", frames);
            output.WriteLine($"searched {logs.Lines.Count} log lines ({logText.Length} chars) and {frames.Count} WebSocket frames ({relayed.Length} chars)");
            Assert.Contains("e2ee", relayed); // the blobs were captured
            Assert.Contains(logs.Lines, l => l.Contains("Now listening on", StringComparison.Ordinal) || l.Contains("Application started", StringComparison.Ordinal));
            foreach (var (what, forms) in markers)
            {
                Assert.False(Leaks(logText, forms), $"the {what} appears in the server's logs");
                Assert.False(Leaks(relayed, forms), $"the {what} appears in a relayed frame");
            }

            // Positive control: a raw client in the room relays the chat marker in a blob to A; the same
            // search over the same capture now finds it.
            await PlantMarkerAsync(server.BaseUri, link, a.Id, Encoding.UTF8.GetBytes(chatMarker));
            await Eventually.Until(() => Leaks(string.Join("\n", frames), markers["chat text"]), Long, "the planted marker shows up in A's WebSocket frames");
        }
        finally
        {
            foreach (var p in people)
                await p.DisposeAsync();
        }
    }

    private async Task<CallParticipant> Join(Chromium chromium, Uri link, Action<IPage> watch, List<CallParticipant> people)
    {
        var p = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output, watch);
        people.Add(p);
        return p;
    }

    private static async Task SetNameAsync(CallParticipant p, string name)
    {
        await p.ShowPanelAsync("security");
        await p.Page.GetByTestId("display-name").FillAsync(name);
        await p.Page.GetByTestId("display-name-save").ClickAsync();
    }

    private static async Task<int[]> PairEmojiAsync(CallParticipant p, string peer)
    {
        await p.ShowPanelAsync("security");
        await p.Page.GetByTestId($"compare-{peer}").ClickAsync();
        var items = p.Page.GetByTestId("pair-emoji-item");
        await Assertions.Expect(items).ToHaveCountAsync(7);
        return await Numbers(items);
    }

    private static Task<int[]> Numbers(ILocator items) => items.EvaluateAllAsync<int[]>("els => els.map(e => Number(e.dataset.number))");

    /// <summary>A text marker as it would appear if leaked: as is, JSON-escaped, and in every byte encoding of its UTF-8.</summary>
    private static IReadOnlyList<string> Forms(string text) =>
        [text, JsonSerializer.Serialize(text)[1..^1], .. Encodings(Encoding.UTF8.GetBytes(text))];

    /// <summary>
    /// Hex, and base64 / base64url at each of the three byte alignments (a leak inside a blob starts at any
    /// offset): only the characters that depend on the marker's bytes alone.
    /// </summary>
    private static IEnumerable<string> Encodings(byte[] bytes)
    {
        yield return Convert.ToHexStringLower(bytes);
        yield return Convert.ToHexString(bytes);
        for (var offset = 0; offset < 3; offset++)
        {
            var padded = new byte[offset + bytes.Length];
            bytes.CopyTo(padded, offset);
            var b64 = Convert.ToBase64String(padded).TrimEnd('=');
            var start = (offset * 8 + 5) / 6; // first character made of marker bits only
            var core = b64[start..^2];
            yield return core;
            yield return core.Replace('+', '-').Replace('/', '_');
        }
    }

    private static bool Leaks(string haystack, IReadOnlyList<string> forms) => forms.Any(f => haystack.Contains(f, StringComparison.Ordinal));

    private static byte[] Base64UrlDecode(string text)
    {
        var b64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b64 + new string('=', (4 - b64.Length % 4) % 4));
    }

    /// <summary>Joins the room over a bare WebSocket and relays one e2ee blob (version 1, an unknown type, the marker in the clear) to <paramref name="to"/>.</summary>
    private static async Task PlantMarkerAsync(Uri baseUri, Uri link, string to, byte[] marker)
    {
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://localhost:{baseUri.Port}/ws"), CancellationToken.None);
        await ReceiveAsync(ws); // welcome
        await SendAsync(ws, JsonSerializer.Serialize(new { type = "join", id = "1", room = link.AbsolutePath.TrimStart('/') }));
        while (true)
        {
            using var reply = JsonDocument.Parse(await ReceiveAsync(ws));
            var type = reply.RootElement.GetProperty("type").GetString();
            if (type == "joined")
                break;
            Assert.NotEqual("error", type);
        }
        byte[] blob = [0x01, 0x7F, .. marker];
        var b64u = Convert.ToBase64String(blob).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await SendAsync(ws, JsonSerializer.Serialize(new { type = "e2ee", to, blob = b64u }));
        await SendAsync(ws, JsonSerializer.Serialize(new { type = "ping", id = "2" }));
        while (!(await ReceiveAsync(ws)).Contains("\"pong\"", StringComparison.Ordinal))
        {
        }
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
    }

    private static Task SendAsync(ClientWebSocket ws, string text) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<string> ReceiveAsync(ClientWebSocket ws)
    {
        var buffer = new byte[256 * 1024];
        var length = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
            if (result.EndOfMessage)
                return Encoding.UTF8.GetString(buffer, 0, length);
        }
    }
}
