using System.Net.WebSockets;
using System.Text;
using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests;

public sealed class BadInputTests
{
    private const string Room = "nectar-compass-ripple-granite-hollow-fern";

    /// <summary>A member of the same room who must not notice anything when a peer misbehaves.</summary>
    private static async Task AssertBystanderUnaffected(SignalingClient sender, SignalingClient bystander, string marker)
    {
        await sender.SendAsync(new { type = "e2ee", to = bystander.Id, blob = marker });
        Assert.Equal(marker, (string?)(await bystander.WaitForAsync(m => (string?)m["blob"] == marker))["blob"]);
        Assert.Equal("pong", (string?)(await bystander.SyncAsync())["type"]);
    }

    public static TheoryData<string, string> BadFrames => new()
    {
        { "{not json", "malformed" },
        { "[1,2,3]", "malformed" },
        { "\"just a string\"", "malformed" },
        { "{\"id\":\"x\"}", "malformed" },
        { "{\"type\":42}", "malformed" },
        { "{\"type\":\"join\",\"room\":17}", "malformed" },
        { "{\"type\":\"fly-to-the-moon\"}", "unknown-type" },
        { "{\"type\":\"join\",\"room\":\"\"}", "invalid-room" },
        { "{\"type\":\"join\",\"room\":\"%zz\"}", "invalid-room" },
        { "{\"type\":\"join\",\"room\":\"%ff%fe\"}", "invalid-room" },
        { "{\"type\":\"join\",\"room\":\"a\\u0001b\"}", "invalid-room" },
        { "{\"type\":\"join\",\"room\":\"" + new string('a', 257) + "\"}", "invalid-room" },
        { "{\"type\":\"publish-offer\",\"sdp\":\"v=0\"}", "not-implemented" },
        { "{\"type\":\"publish\",\"sdp\":\"v=0\",\"tracks\":[]}", "wrong-state" },
        { "{\"type\":\"subscribe-answer\"}", "wrong-state" },
        { "{\"type\":\"publish\",\"sdp\":7}", "malformed" },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task Bad_input_before_joining_gets_its_error_and_the_connection_stays(string frame, string code)
    {
        await using var server = await RunningServer.StartAsync();
        await using var client = await SignalingClient.ConnectAsync(server);
        await client.SendRawAsync(frame);
        Assert.Equal(code, (string?)(await client.WaitForTypeAsync("error"))["code"]);
        await client.JoinAsync(Room); // still usable
    }

    [Fact]
    public async Task Bad_input_from_a_member_leaves_the_connection_and_the_others_unaffected()
    {
        await using var server = await RunningServer.StartAsync();
        await using var bad = await SignalingClient.ConnectAsync(server);
        await using var good = await SignalingClient.ConnectAsync(server);
        await bad.JoinAsync(Room);
        await good.JoinAsync(Room);

        async Task Expect(Func<Task> send, string code)
        {
            await send();
            Assert.Equal(code, (string?)(await bad.WaitForTypeAsync("error"))["code"]);
        }

        await Expect(() => bad.SendRawAsync("{\"type\":\"e2ee\",\"to\":"), "malformed");
        await Expect(() => bad.SendAsync(new { type = "nope" }), "unknown-type");
        await Expect(() => bad.SendAsync(new { type = "join", room = Room }), "wrong-state");
        await Expect(() => bad.SendAsync(new { type = "e2ee", to = "no such id", blob = "x" }), "invalid-message");
        await Expect(() => bad.SendAsync(new { type = "e2ee", to = "AAAAAAAAAAAAAAAAAAAAAA", blob = "x" }), "unknown-participant");
        await Expect(() => bad.SendAsync(new { type = "e2ee", to = bad.Id, blob = "x" }), "invalid-target");
        await Expect(() => bad.SendAsync(new { type = "e2ee", to = "*" }), "invalid-message");
        await Expect(() => bad.SendAsync(new { type = "e2ee", to = "*", blob = new string('b', 96 * 1024 + 1) }), "blob-too-large");
        await Expect(() => bad.SendAsync(new { type = "lock" }), "invalid-message");
        await Expect(() => bad.SendAsync(new { type = "admit", target = "AAAAAAAAAAAAAAAAAAAAAA" }), "unknown-participant");
        await Expect(() => bad.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary), "malformed");
        await Expect(() => bad.SendRawAsync("{\"type\":\"ping\",\"id\":\"" + new string('i', 65) + "\"}"), "invalid-message");
        // Oversize frame: over Sotto:MaxMessageBytes (112 KiB by default) — answered, read to its end, discarded.
        await Expect(() => bad.SendRawAsync("{\"type\":\"e2ee\",\"to\":\"*\",\"blob\":\"" + new string('z', 200 * 1024) + "\"}"), "message-too-large");

        Assert.Equal(WebSocketState.Open, bad.Socket.State);
        await AssertBystanderUnaffected(bad, good, "still-fine");
        Assert.False(good.HasSeen(m => (string?)m["type"] == "error"));
        Assert.False(good.HasSeen(m => ((string?)m["blob"])?.StartsWith("zzz", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task Continued_abuse_closes_with_1008()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:MaxViolations"] = "3" });
        await using var bad = await SignalingClient.ConnectAsync(server);
        await using var good = await SignalingClient.ConnectAsync(server);
        await bad.JoinAsync(Room);
        await good.JoinAsync(Room);
        for (var i = 0; i < 4; i++)
            await bad.SendRawAsync("garbage");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await bad.WaitClosedAsync());
        // The abuser's seat is released (it is not a network loss); the bystander is fine.
        await good.WaitForTypeAsync("participant-left");
        Assert.Equal("pong", (string?)(await good.SyncAsync())["type"]);
    }

    [Fact]
    public async Task Continued_oversize_frames_close_with_1009()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sotto:MaxViolations"] = "1",
            ["Sotto:MaxMessageBytes"] = "4096",
        });
        await using var bad = await SignalingClient.ConnectAsync(server);
        var big = "{\"type\":\"ping\",\"pad\":\"" + new string('p', 5000) + "\"}";
        await bad.SendRawAsync(big);
        Assert.Equal("message-too-large", (string?)(await bad.WaitForTypeAsync("error"))["code"]);
        await bad.SendRawAsync(big);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await bad.WaitClosedAsync());
    }

    [Fact]
    public async Task A_message_flood_is_rate_limited_then_closed()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sotto:MessageRateLimit"] = "5",
            ["Sotto:MessageRateWindow"] = "00:01:00",
            ["Sotto:MaxViolations"] = "3",
        });
        await using var flood = await SignalingClient.ConnectAsync(server);
        for (var i = 0; i < 5; i++)
            await flood.SendAsync(new { type = "ping", id = "p" + i });
        for (var i = 0; i < 5; i++)
            await flood.WaitForAsync(m => (string?)m["re"] == "p" + i);
        await flood.SendAsync(new { type = "ping", id = "over" });
        Assert.Equal("rate-limited", (string?)(await flood.WaitForTypeAsync("error"))["code"]);
        for (var i = 0; i < 3; i++)
            await flood.SendAsync(new { type = "ping" });
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await flood.WaitClosedAsync());
    }

    [Fact]
    public async Task Joins_per_address_are_limited_against_room_name_enumeration()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:JoinLimit"] = "3" });
        await using var scanner = await SignalingClient.ConnectAsync(server);
        for (var i = 0; i < 3; i++)
        {
            await scanner.JoinAsync("guess-" + i);
            await scanner.RequestAsync(new { type = "leave" });
        }
        var refused = await scanner.RequestAsync(new { type = "join", room = "guess-3" });
        Assert.Equal("join-rate-limited", (string?)refused["code"]);
        Assert.True((long)refused["retryAfterMs"]! > 0);
        // Another connection from the same address shares the limit.
        await using var second = await SignalingClient.ConnectAsync(server);
        Assert.Equal("join-rate-limited", (string?)(await second.RequestAsync(new { type = "join", room = "guess-4" }))["code"]);
    }

    [Fact]
    public async Task Room_and_node_limits_answer_with_their_codes()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Rooms:MaxParticipantsPerRoom"] = "2",
            ["Rooms:MaxRooms"] = "1",
        });
        await using var a = await SignalingClient.ConnectAsync(server);
        await using var b = await SignalingClient.ConnectAsync(server);
        await using var c = await SignalingClient.ConnectAsync(server);
        await a.JoinAsync(Room);
        await b.JoinAsync(Room);
        Assert.Equal("room-full", (string?)(await c.RequestAsync(new { type = "join", room = Room }))["code"]);
        Assert.Equal("server-full", (string?)(await c.RequestAsync(new { type = "join", room = "another-room-name" }))["code"]);
        await AssertBystanderUnaffected(a, b, "limits-ok");
    }

    [Fact]
    public async Task Weak_names_are_refused_only_when_the_operator_requires_strong_ones()
    {
        await using (var lenient = await RunningServer.StartAsync())
        {
            await using var client = await SignalingClient.ConnectAsync(lenient);
            await client.JoinAsync("meeting");
        }
        await using var strict = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Rooms:RequireStrongNames"] = "true" });
        await using var c = await SignalingClient.ConnectAsync(strict);
        Assert.Equal("weak-room-name", (string?)(await c.RequestAsync(new { type = "join", room = "meeting" }))["code"]);
        await c.JoinAsync(Room);
    }

    [Fact]
    public async Task A_foreign_origin_is_refused_and_the_own_origin_accepted()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:AllowedOrigins:0"] = "https://calls.example.org" });
        var evil = await Assert.ThrowsAsync<WebSocketException>(() => SignalingClient.ConnectAsync(server, origin: "https://evil.example"));
        Assert.Contains("403", evil.Message + evil.InnerException?.Message, StringComparison.Ordinal);
        await using var own = await SignalingClient.ConnectAsync(server, origin: $"http://{server.BaseUri.Authority}");
        await using var listed = await SignalingClient.ConnectAsync(server, origin: "https://calls.example.org");
        await Assert.ThrowsAsync<WebSocketException>(() => SignalingClient.ConnectAsync(server, origin: $"http://{server.BaseUri.Host}:1"));
    }

    [Fact]
    public async Task Random_garbage_never_breaks_the_server()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:MaxViolations"] = "100000", ["Sotto:MessageRateLimit"] = "100000" });
        await using var fuzz = await SignalingClient.ConnectAsync(server);
        await using var good = await SignalingClient.ConnectAsync(server);
        await fuzz.JoinAsync(Room);
        await good.JoinAsync(Room);
        var random = new Random(1234);
        string[] seeds =
        [
            "{\"type\":\"e2ee\",\"to\":\"*\",\"blob\":\"abc\"}", "{\"type\":\"join\",\"room\":\"x\"}",
            "{\"type\":\"lock\",\"locked\":true}", "{\"type\":\"admit\",\"target\":\"abc\"}", "{\"type\":\"resume\",\"token\":\"t\"}",
        ];
        for (var i = 0; i < 300; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Length)]);
            for (var k = random.Next(1, 4); k > 0; k--)
                bytes[random.Next(bytes.Length)] = (byte)random.Next(128); // stays valid UTF-8: see the 1007 test
            await fuzz.SendBytesAsync(bytes, WebSocketMessageType.Text);
        }
        Assert.Equal("pong", (string?)(await fuzz.SyncAsync())["type"]);
        await AssertBystanderUnaffected(fuzz, good, "after-fuzz");
    }

    [Fact]
    public async Task Invalid_utf8_in_a_text_frame_fails_only_that_connection_with_1007()
    {
        // RFC 6455 §8.1: an endpoint that receives invalid UTF-8 in a text frame must fail the connection.
        await using var server = await RunningServer.StartAsync();
        await using var bad = await SignalingClient.ConnectAsync(server);
        await using var good = await SignalingClient.ConnectAsync(server);
        await bad.JoinAsync(Room);
        await good.JoinAsync(Room);
        await bad.SendBytesAsync([0x7B, 0xFF, 0xFE, 0x7D], WebSocketMessageType.Text);
        var status = await bad.WaitClosedAsync();
        Assert.True(status == WebSocketCloseStatus.InvalidPayloadData, $"close status {status}, receive error: {bad.ReceiveError}");
        Assert.Equal("pong", (string?)(await good.SyncAsync())["type"]);
    }

    [Fact]
    public async Task Request_ids_may_be_strings_or_integers_and_are_echoed_as_sent()
    {
        await using var server = await RunningServer.StartAsync();
        await using var client = await SignalingClient.ConnectAsync(server);
        await client.SendRawAsync("{\"type\":\"ping\",\"id\":17}");
        var pong = await client.WaitForTypeAsync("pong");
        Assert.Equal(System.Text.Json.JsonValueKind.Number, pong["re"]!.GetValueKind());
        Assert.Equal(17, (int)pong["re"]!);
        await client.SendRawAsync("{\"type\":\"ping\",\"id\":\"17\"}");
        Assert.Equal("17", (string?)(await client.WaitForTypeAsync("pong"))["re"]);
        await client.SendRawAsync("{\"type\":\"ping\",\"id\":{\"nested\":1}}");
        Assert.Equal("invalid-message", (string?)(await client.WaitForTypeAsync("error"))["code"]);
        await client.SendRawAsync("{\"type\":\"ping\",\"id\":1.5}");
        Assert.Equal("invalid-message", (string?)(await client.WaitForTypeAsync("error"))["code"]);
    }
}
