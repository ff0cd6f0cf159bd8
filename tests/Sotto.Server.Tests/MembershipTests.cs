using System.Text.Json.Nodes;
using Sotto.Rooms;
using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests;

public sealed class MembershipTests
{
    private const string Room = "amber-falcon-quiet-river-stone-maple";

    [Fact]
    public async Task Two_clients_see_each_other_join_and_leave_and_the_room_disappears_when_empty()
    {
        await using var server = await RunningServer.StartAsync();
        await using var alice = await SignalingClient.ConnectAsync(server);
        await using var bob = await SignalingClient.ConnectAsync(server);

        var aliceJoined = await alice.JoinAsync(Room);
        Assert.True((bool)aliceJoined["moderator"]!);
        Assert.Equal(1, alice.Slot);
        Assert.Matches("^[A-Za-z0-9_-]{1,64}$", alice.Id);
        Assert.Single(aliceJoined["participants"]!.AsArray());

        var bobJoined = await bob.JoinAsync(Room);
        Assert.False((bool)bobJoined["moderator"]!);
        Assert.Equal(alice.Id, (string?)bobJoined["moderatorId"]);
        Assert.Equal(2, bob.Slot);
        Assert.Equal(new[] { alice.Id, bob.Id }, Ids(bobJoined["participants"]!));

        var seenByAlice = await alice.WaitForTypeAsync("participant-joined");
        Assert.Equal(bob.Id, (string?)seenByAlice["id"]);
        Assert.Equal(2, (int)seenByAlice["slot"]!);
        Assert.Equal(1, server.Rooms.RoomCount);

        await bob.RequestAsync(new { type = "leave" });
        var left = await alice.WaitForTypeAsync("participant-left");
        Assert.Equal(bob.Id, (string?)left["id"]);
        Assert.Equal("left", (string?)left["reason"]);

        await alice.RequestAsync(new { type = "leave" });
        Assert.Equal(0, server.Rooms.RoomCount);
        Assert.False(server.Rooms.TryFind(Key(Room), out _));
    }

    [Fact]
    public async Task Three_clients_see_every_join_and_a_closed_socket_counts_as_leaving()
    {
        await using var server = await RunningServer.StartAsync();
        await using var a = await SignalingClient.ConnectAsync(server);
        await using var b = await SignalingClient.ConnectAsync(server);
        await using var c = await SignalingClient.ConnectAsync(server);

        await a.JoinAsync(Room);
        await b.JoinAsync(Room);
        var cJoined = await c.JoinAsync(Room);
        Assert.Equal(new[] { a.Id, b.Id, c.Id }, Ids(cJoined["participants"]!));
        Assert.Equal([1, 2, 3], new[] { a.Slot, b.Slot, c.Slot });

        Assert.Equal(b.Id, (string?)(await a.WaitForTypeAsync("participant-joined"))["id"]);
        Assert.Equal(c.Id, (string?)(await a.WaitForTypeAsync("participant-joined"))["id"]);
        Assert.Equal(c.Id, (string?)(await b.WaitForTypeAsync("participant-joined"))["id"]);

        // A normal close (1000) is an explicit goodbye: no resume window.
        await c.CloseAsync();
        Assert.Equal(c.Id, (string?)(await a.WaitForTypeAsync("participant-left"))["id"]);
        Assert.Equal(c.Id, (string?)(await b.WaitForTypeAsync("participant-left"))["id"]);

        await b.CloseAsync();
        await a.WaitForAsync(m => (string?)m["type"] == "participant-left" && (string?)m["id"] == b.Id);
        await a.CloseAsync();
        await WaitUntil(() => server.Rooms.RoomCount == 0 && server.Rooms.ParticipantCount == 0);
    }

    [Fact]
    public async Task A_new_joiner_after_others_left_gets_a_fresh_id_and_a_higher_slot()
    {
        await using var server = await RunningServer.StartAsync();
        await using var a = await SignalingClient.ConnectAsync(server);
        await using var b = await SignalingClient.ConnectAsync(server);
        await a.JoinAsync(Room);
        await b.JoinAsync(Room);
        var firstB = (b.Id, b.Slot);
        await b.RequestAsync(new { type = "leave" });
        await b.JoinAsync(Room);
        Assert.NotEqual(firstB.Id, b.Id);
        Assert.Equal(3, b.Slot);
    }

    [Fact]
    public async Task Percent_encoded_and_composed_spellings_of_a_name_meet_in_one_room()
    {
        await using var server = await RunningServer.StartAsync();
        await using var a = await SignalingClient.ConnectAsync(server);
        await using var b = await SignalingClient.ConnectAsync(server);
        // "й" precomposed, typed directly, versus "и" + combining breve, percent-encoded (E2EE-SPEC §S2).
        await a.JoinAsync("встреча-\u0439");
        var joined = await b.JoinAsync(Uri.EscapeDataString("встреча-\u0438\u0306"));
        Assert.Equal(2, joined["participants"]!.AsArray().Count);
    }

    [Fact]
    public async Task E2ee_blobs_reach_one_or_all_in_order_with_the_sender_id()
    {
        await using var server = await RunningServer.StartAsync();
        await using var a = await SignalingClient.ConnectAsync(server);
        await using var b = await SignalingClient.ConnectAsync(server);
        await using var c = await SignalingClient.ConnectAsync(server);
        await a.JoinAsync(Room);
        await b.JoinAsync(Room);
        await c.JoinAsync(Room);

        for (var i = 0; i < 50; i++)
            await a.SendAsync(new { type = "e2ee", to = b.Id, blob = "to-b-" + i });
        await a.SendAsync(new { type = "e2ee", to = "*", blob = "to-all" });
        for (var i = 0; i < 50; i++)
        {
            var m = await b.WaitForTypeAsync("e2ee");
            Assert.Equal("to-b-" + i, (string?)m["blob"]);
            Assert.Equal(a.Id, (string?)m["from"]);
            Assert.Equal(b.Id, (string?)m["to"]);
        }
        Assert.Equal("to-all", (string?)(await b.WaitForTypeAsync("e2ee"))["blob"]);
        var atC = await c.WaitForTypeAsync("e2ee");
        Assert.Equal("to-all", (string?)atC["blob"]);
        Assert.Equal("*", (string?)atC["to"]);
        await a.SyncAsync();
        Assert.False(a.HasSeen(m => (string?)m["type"] == "e2ee"), "a '*' blob is not echoed to its sender");
        Assert.False(c.HasSeen(m => (string?)m["blob"] == "to-b-0"), "a blob addressed to b never reaches c");
    }

    [Fact]
    public async Task A_full_size_blob_of_96_KiB_is_relayed_intact()
    {
        await using var server = await RunningServer.StartAsync();
        await using var a = await SignalingClient.ConnectAsync(server);
        await using var b = await SignalingClient.ConnectAsync(server);
        await a.JoinAsync(Room);
        await b.JoinAsync(Room);
        var blob = new string('x', 96 * 1024);
        await a.SendAsync(new { type = "e2ee", to = b.Id, blob });
        Assert.Equal(blob, (string?)(await b.WaitForTypeAsync("e2ee"))["blob"]);
    }

    [Fact]
    public async Task Nothing_crosses_from_one_room_to_another()
    {
        await using var server = await RunningServer.StartAsync();
        await using var a1 = await SignalingClient.ConnectAsync(server);
        await using var a2 = await SignalingClient.ConnectAsync(server);
        await using var b1 = await SignalingClient.ConnectAsync(server);
        await a1.JoinAsync(Room);
        var other = await b1.JoinAsync(Room + "-other");
        Assert.Equal(1, (int)other["slot"]!); // slots are per room
        await a2.JoinAsync(Room);
        await a1.SendAsync(new { type = "e2ee", to = "*", blob = "room-a-only" });
        await a1.RequestAsync(new { type = "lock", locked = true });
        await a1.RequestAsync(new { type = "mute-all" });
        await a2.WaitForAsync(m => (string?)m["blob"] == "room-a-only");
        // A participant of another room cannot be addressed.
        Assert.Equal("unknown-participant", (string?)(await b1.RequestAsync(new { type = "e2ee", to = a1.Id, blob = "x" }))["code"]);
        await b1.SyncAsync();
        Assert.Equal(["welcome", "joined", "error", "pong"], b1.Seen.Select(m => (string)m["type"]!).ToArray());
    }

    internal static string[] Ids(JsonNode participants) => [.. participants.AsArray().Select(p => (string)p!["id"]!)];

    internal static RoomKey Key(string name)
    {
        Assert.True(RoomKey.TryParse(name, out var key));
        return key;
    }

    internal static async Task WaitUntil(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? SignalingClient.DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("Condition not reached.");
            await Task.Delay(20);
        }
    }
}
