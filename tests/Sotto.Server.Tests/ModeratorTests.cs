using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests;

public sealed class ModeratorTests
{
    private const string Room = "willow-copper-signal-meadow-ember-frost";

    [Fact]
    public async Task The_moderator_removes_a_participant()
    {
        await using var server = await RunningServer.StartAsync();
        await using var mod = await SignalingClient.ConnectAsync(server);
        await using var b = await SignalingClient.ConnectAsync(server);
        await using var c = await SignalingClient.ConnectAsync(server);
        await mod.JoinAsync(Room);
        await b.JoinAsync(Room);
        await c.JoinAsync(Room);

        Assert.Equal("not-moderator", (string?)(await b.RequestAsync(new { type = "remove", target = c.Id }))["code"]);
        Assert.Equal("ok", (string?)(await mod.RequestAsync(new { type = "remove", target = c.Id }))["type"]);
        await c.WaitForTypeAsync("removed");
        await c.WaitClosedAsync();
        var left = await b.WaitForAsync(m => (string?)m["type"] == "participant-left" && (string?)m["id"] == c.Id);
        Assert.Equal("removed", (string?)left["reason"]);

        // A removed participant's seat is gone: its token does not resume it.
        await using var again = await SignalingClient.ConnectAsync(server);
        Assert.Equal("resume-failed", (string?)(await again.RequestAsync(new { type = "resume", token = c.ResumeToken }))["code"]);
    }

    [Fact]
    public async Task Ending_the_meeting_tells_everyone_and_closes_the_room()
    {
        await using var server = await RunningServer.StartAsync();
        await using var mod = await SignalingClient.ConnectAsync(server);
        await using var b = await SignalingClient.ConnectAsync(server);
        await using var waiting = await SignalingClient.ConnectAsync(server);
        await mod.JoinAsync(Room);
        await b.JoinAsync(Room);
        await mod.RequestAsync(new { type = "lock", locked = true });
        await waiting.JoinAsync(Room, expect: "lobby");

        await mod.SendAsync(new { type = "end" });
        await mod.WaitForTypeAsync("room-ended");
        await b.WaitForTypeAsync("room-ended");
        await waiting.WaitForTypeAsync("room-ended");
        await b.WaitClosedAsync();
        Assert.Equal(0, server.Rooms.RoomCount);
        Assert.Equal(0, server.Rooms.ParticipantCount);
    }

    [Fact]
    public async Task The_moderator_role_passes_to_the_longest_standing_member()
    {
        await using var server = await RunningServer.StartAsync();
        await using var mod = await SignalingClient.ConnectAsync(server);
        await using var b = await SignalingClient.ConnectAsync(server);
        await using var c = await SignalingClient.ConnectAsync(server);
        await mod.JoinAsync(Room);
        await b.JoinAsync(Room);
        await c.JoinAsync(Room);
        await mod.RequestAsync(new { type = "lock", locked = true });
        await using var knocking = await SignalingClient.ConnectAsync(server);
        await knocking.JoinAsync(Room, expect: "lobby");

        await mod.RequestAsync(new { type = "leave" });
        Assert.Equal(b.Id, (string?)(await b.WaitForTypeAsync("moderator-changed"))["id"]);
        Assert.Equal(b.Id, (string?)(await c.WaitForTypeAsync("moderator-changed"))["id"]);
        // The new moderator learns who is waiting, and can act.
        Assert.Equal(knocking.Id, (string?)(await b.WaitForTypeAsync("knock"))["id"]);
        Assert.Equal("not-moderator", (string?)(await c.RequestAsync(new { type = "admit", target = knocking.Id }))["code"]);
        Assert.Equal("ok", (string?)(await b.RequestAsync(new { type = "admit", target = knocking.Id }))["type"]);
        await knocking.WaitForTypeAsync("joined");
    }

    [Fact]
    public async Task Mute_all_asks_every_other_member()
    {
        await using var server = await RunningServer.StartAsync();
        await using var mod = await SignalingClient.ConnectAsync(server);
        await using var b = await SignalingClient.ConnectAsync(server);
        await mod.JoinAsync(Room);
        await b.JoinAsync(Room);
        await mod.RequestAsync(new { type = "mute-all" });
        Assert.Equal(mod.Id, (string?)(await b.WaitForTypeAsync("mute-request"))["by"]);
        Assert.Equal("not-moderator", (string?)(await b.RequestAsync(new { type = "mute-all" }))["code"]);
    }
}
