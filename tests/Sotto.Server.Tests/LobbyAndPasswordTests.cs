using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests;

public sealed class LobbyAndPasswordTests
{
    private const string Room = "cedar-lantern-orbit-velvet-harbor-moss";

    [Fact]
    public async Task A_joiner_of_a_locked_room_waits_and_the_moderator_admits_them()
    {
        await using var server = await RunningServer.StartAsync();
        await using var mod = await SignalingClient.ConnectAsync(server);
        await using var member = await SignalingClient.ConnectAsync(server);
        await using var guest = await SignalingClient.ConnectAsync(server);
        await mod.JoinAsync(Room);
        await member.JoinAsync(Room);
        Assert.Equal("ok", (string?)(await mod.RequestAsync(new { type = "lock", locked = true }))["type"]);
        Assert.True((bool)(await member.WaitForTypeAsync("room-locked"))["locked"]!);

        var lobby = await guest.JoinAsync(Room, expect: "lobby");
        var knock = await mod.WaitForTypeAsync("knock");
        Assert.Equal(guest.Id, (string?)knock["id"]);
        Assert.Equal(guest.Slot, (int)knock["slot"]!);
        Assert.Equal(3, guest.Slot);
        Assert.NotNull((string?)lobby["resumeToken"]);

        // Lobby and members exchange opaque blobs so the moderator can see who knocks.
        await guest.SendAsync(new { type = "e2ee", to = "*", blob = "hello-from-lobby" });
        Assert.Equal(guest.Id, (string?)(await mod.WaitForTypeAsync("e2ee"))["from"]);
        Assert.Equal("hello-from-lobby", (string?)(await member.WaitForTypeAsync("e2ee"))["blob"]);
        await mod.SendAsync(new { type = "e2ee", to = guest.Id, blob = "who-are-you" });
        Assert.Equal("who-are-you", (string?)(await guest.WaitForTypeAsync("e2ee"))["blob"]);
        // Members' "*" stays among members.
        await member.SendAsync(new { type = "e2ee", to = "*", blob = "members-only" });
        await mod.WaitForAsync(m => (string?)m["blob"] == "members-only");
        await guest.SyncAsync();
        Assert.False(guest.HasSeen(m => (string?)m["blob"] == "members-only"));

        Assert.Equal("ok", (string?)(await mod.RequestAsync(new { type = "admit", target = guest.Id }))["type"]);
        var joined = await guest.WaitForTypeAsync("joined");
        Assert.Equal(guest.Id, (string?)joined["id"]);
        Assert.Equal(3, MembershipTests.Ids(joined["participants"]!).Length);
        Assert.Equal(guest.Id, (string?)(await member.WaitForTypeAsync("participant-joined"))["id"]);
        Assert.Equal("admitted", (string?)(await mod.WaitForTypeAsync("knock-ended"))["reason"]);
    }

    [Fact]
    public async Task The_moderator_denies_a_knock_and_the_joiner_is_turned_away()
    {
        await using var server = await RunningServer.StartAsync();
        await using var mod = await SignalingClient.ConnectAsync(server);
        await using var guest = await SignalingClient.ConnectAsync(server);
        await mod.JoinAsync(Room);
        await mod.RequestAsync(new { type = "lock", locked = true });
        await guest.JoinAsync(Room, expect: "lobby");
        await mod.WaitForTypeAsync("knock");

        await mod.RequestAsync(new { type = "deny", target = guest.Id });
        Assert.Equal("denied", (string?)(await guest.WaitForTypeAsync("denied"))["reason"]);
        await guest.WaitClosedAsync();
        Assert.Equal("denied", (string?)(await mod.WaitForTypeAsync("knock-ended"))["reason"]);
        Assert.False(mod.HasSeen(m => (string?)m["type"] == "participant-joined"));
    }

    [Fact]
    public async Task A_lobby_wait_ends_after_the_configured_time()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Rooms:LobbyWait"] = "00:00:01" });
        await using var mod = await SignalingClient.ConnectAsync(server);
        await using var guest = await SignalingClient.ConnectAsync(server);
        await mod.JoinAsync(Room);
        await mod.RequestAsync(new { type = "lock", locked = true });
        await guest.JoinAsync(Room, expect: "lobby");
        Assert.Equal("timeout", (string?)(await guest.WaitForTypeAsync("denied"))["reason"]);
        Assert.Equal("timeout", (string?)(await mod.WaitForTypeAsync("knock-ended"))["reason"]);
    }

    [Fact]
    public async Task Password_right_wrong_and_missing()
    {
        await using var server = await RunningServer.StartAsync();
        await using var mod = await SignalingClient.ConnectAsync(server);
        await using var guest = await SignalingClient.ConnectAsync(server);
        await mod.JoinAsync(Room);
        Assert.Equal("ok", (string?)(await mod.RequestAsync(new { type = "set-password", password = "correct horse" }))["type"]);
        Assert.True((bool)(await mod.WaitForTypeAsync("password-changed"))["passwordSet"]!);

        Assert.Equal("password-required", (string?)(await guest.RequestAsync(new { type = "join", room = Room }))["code"]);
        Assert.Equal("wrong-password", (string?)(await guest.RequestAsync(new { type = "join", room = Room, password = "wrong" }))["code"]);
        var joined = await guest.JoinAsync(Room, "correct horse");
        Assert.True((bool)joined["passwordSet"]!);

        // Clearing the password lets anyone in again.
        await mod.RequestAsync(new { type = "set-password", password = (string?)null });
        await using var third = await SignalingClient.ConnectAsync(server);
        await third.JoinAsync(Room);
    }

    [Fact]
    public async Task Wrong_passwords_from_one_address_back_off_exponentially()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sotto:PasswordFreeAttempts"] = "2",
            ["Sotto:PasswordBackoff"] = "00:00:03", // long enough to hold on a busy machine, short for a test
        });
        await using var mod = await SignalingClient.ConnectAsync(server);
        await using var guest = await SignalingClient.ConnectAsync(server);
        await mod.JoinAsync(Room);
        await mod.RequestAsync(new { type = "set-password", password = "s3cret" });

        Assert.Equal("wrong-password", (string?)(await guest.RequestAsync(new { type = "join", room = Room, password = "a" }))["code"]);
        Assert.Equal("wrong-password", (string?)(await guest.RequestAsync(new { type = "join", room = Room, password = "b" }))["code"]);
        Assert.Equal("wrong-password", (string?)(await guest.RequestAsync(new { type = "join", room = Room, password = "c" }))["code"]);
        // Third failure was over the free allowance: now even the right password waits.
        var blocked = await guest.RequestAsync(new { type = "join", room = Room, password = "s3cret" });
        Assert.Equal("password-backoff", (string?)blocked["code"]);
        Assert.InRange((long)blocked["retryAfterMs"]!, 1, 3000);

        // After the backoff the right password works (wait on the condition, not a fixed sleep).
        var deadline = DateTime.UtcNow + SignalingClient.DefaultTimeout;
        while (true)
        {
            var reply = await guest.RequestAsync(new { type = "join", room = Room, password = "s3cret" });
            if ((string?)reply["type"] == "joined")
                break;
            Assert.Equal("password-backoff", (string?)reply["code"]);
            Assert.True(DateTime.UtcNow < deadline);
            await Task.Delay(TimeSpan.FromMilliseconds((long)reply["retryAfterMs"]!));
        }
    }

    [Fact]
    public async Task Knocks_per_address_are_limited()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:KnockLimit"] = "2" });
        await using var mod = await SignalingClient.ConnectAsync(server);
        await mod.JoinAsync(Room);
        await mod.RequestAsync(new { type = "lock", locked = true });
        await using var g1 = await SignalingClient.ConnectAsync(server);
        await using var g2 = await SignalingClient.ConnectAsync(server);
        await using var g3 = await SignalingClient.ConnectAsync(server);
        await g1.JoinAsync(Room, expect: "lobby");
        await g2.JoinAsync(Room, expect: "lobby");
        Assert.Equal("knock-rate-limited", (string?)(await g3.RequestAsync(new { type = "join", room = Room }))["code"]);
    }

    [Fact]
    public async Task Unlocking_keeps_new_joiners_out_of_the_lobby()
    {
        await using var server = await RunningServer.StartAsync();
        await using var mod = await SignalingClient.ConnectAsync(server);
        await using var guest = await SignalingClient.ConnectAsync(server);
        await mod.JoinAsync(Room);
        await mod.RequestAsync(new { type = "lock", locked = true });
        await mod.RequestAsync(new { type = "lock", locked = false });
        var joined = await guest.JoinAsync(Room);
        Assert.False((bool)joined["locked"]!);
    }
}
