using System.Net.WebSockets;
using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests;

public sealed class ResumeTests
{
    private const string Room = "glacier-thistle-beacon-saffron-delta-pine";

    [Fact]
    public async Task A_dropped_connection_resumes_its_seat_and_receives_what_was_sent_meanwhile_in_order()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Rooms:ResumeWindow"] = "00:00:30" });
        await using var a = await SignalingClient.ConnectAsync(server);
        var b = await SignalingClient.ConnectAsync(server);
        await a.JoinAsync(Room);
        await b.JoinAsync(Room);
        var (id, slot, token) = (b.Id, b.Slot, b.ResumeToken);

        b.Drop();
        await MembershipTests.WaitUntil(() => server.Rooms.ParticipantCount == 2 && ConnectionCount(server) == 1);
        for (var i = 0; i < 20; i++)
            await a.SendAsync(new { type = "e2ee", to = id, blob = "while-away-" + i });
        await a.SyncAsync();

        await using var back = await SignalingClient.ConnectAsync(server);
        var resumed = await back.RequestAsync(new { type = "resume", token });
        Assert.Equal("joined", (string?)resumed["type"]);
        Assert.True((bool)resumed["resumed"]!);
        Assert.Equal(id, (string?)resumed["id"]);
        Assert.Equal(slot, (int)resumed["slot"]!);
        Assert.NotEqual(token, (string?)resumed["resumeToken"]);
        for (var i = 0; i < 20; i++)
            Assert.Equal("while-away-" + i, (string?)(await back.WaitForTypeAsync("e2ee"))["blob"]);

        await a.SyncAsync();
        Assert.False(a.HasSeen(m => (string?)m["type"] == "participant-left"), "a resumed seat never left");
        // Blobs still flow both ways after the resume.
        await back.SendAsync(new { type = "e2ee", to = a.Id, blob = "back" });
        Assert.Equal(id, (string?)(await a.WaitForTypeAsync("e2ee"))["from"]);

        // The old token is single use.
        await using var thief = await SignalingClient.ConnectAsync(server);
        Assert.Equal("resume-failed", (string?)(await thief.RequestAsync(new { type = "resume", token }))["code"]);
        b.Socket.Dispose();
    }

    [Fact]
    public async Task A_seat_not_resumed_within_the_window_is_gone_and_others_are_told()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Rooms:ResumeWindow"] = "00:00:01" });
        await using var a = await SignalingClient.ConnectAsync(server);
        var b = await SignalingClient.ConnectAsync(server);
        await a.JoinAsync(Room);
        await b.JoinAsync(Room);

        b.Drop();
        var left = await a.WaitForTypeAsync("participant-left");
        Assert.Equal(b.Id, (string?)left["id"]);
        Assert.Equal("timeout", (string?)left["reason"]);

        await using var late = await SignalingClient.ConnectAsync(server);
        Assert.Equal("resume-failed", (string?)(await late.RequestAsync(new { type = "resume", token = b.ResumeToken }))["code"]);
        b.Socket.Dispose();
    }

    [Fact]
    public async Task Resuming_while_the_old_connection_is_still_open_takes_the_seat_over()
    {
        await using var server = await RunningServer.StartAsync();
        await using var a = await SignalingClient.ConnectAsync(server);
        await using var b = await SignalingClient.ConnectAsync(server);
        await a.JoinAsync(Room);
        await b.JoinAsync(Room);

        await using var b2 = await SignalingClient.ConnectAsync(server);
        var resumed = await b2.RequestAsync(new { type = "resume", token = b.ResumeToken });
        Assert.Equal(b.Id, (string?)resumed["id"]);
        Assert.Equal((WebSocketCloseStatus)4001, await b.WaitClosedAsync());
        await a.SendAsync(new { type = "e2ee", to = b.Id, blob = "to-new-connection" });
        Assert.Equal("to-new-connection", (string?)(await b2.WaitForTypeAsync("e2ee"))["blob"]);
        await a.SyncAsync();
        Assert.False(a.HasSeen(m => (string?)m["type"] == "participant-left"));
    }

    [Fact]
    public async Task A_resume_buffer_that_overflows_releases_the_seat()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Rooms:ResumeWindow"] = "00:00:30",
            ["Rooms:ResumeBufferMessages"] = "5",
        });
        await using var a = await SignalingClient.ConnectAsync(server);
        var b = await SignalingClient.ConnectAsync(server);
        await a.JoinAsync(Room);
        await b.JoinAsync(Room);
        b.Drop();
        await MembershipTests.WaitUntil(() => ConnectionCount(server) == 1);
        for (var i = 0; i < 10; i++)
            await a.SendAsync(new { type = "e2ee", to = b.Id, blob = "x" + i });
        Assert.Equal("dropped", (string?)(await a.WaitForTypeAsync("participant-left"))["reason"]);
        b.Socket.Dispose();
    }

    private static int ConnectionCount(RunningServer server) =>
        ((Sotto.Server.Signaling.ConnectionTracker)server.Services.GetService(typeof(Sotto.Server.Signaling.ConnectionTracker))!).Count;
}
