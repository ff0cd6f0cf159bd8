using System.Collections.Concurrent;

namespace Sotto.Client.Tests.Cli;

/// <summary>
/// <c>sotto join</c> and the lobby, through the real server (docs/protocol.md "Moderator actions"):
/// it waits in a locked room until let in, and as the moderator it sees who knocks and admits,
/// denies, locks and unlocks from stdin.
/// </summary>
public sealed class CliLobbyTests
{
    private const string WaitingLine = "The room is locked: waiting for someone inside to let you in";

    [Fact]
    public async Task In_a_locked_room_it_waits_in_the_lobby_and_becomes_a_member_only_when_let_in()
    {
        await using var server = await TestServer.StartAsync();
        string link = server.NewRoomLink();
        var knocks = new ConcurrentQueue<string>();
        var moderatorChat = new ConcurrentQueue<string>();
        await using var moderator = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = "Moderator" });
        moderator.Event += (_, e) =>
        {
            if (e.Kind == CallEventKind.Knock)
                knocks.Enqueue(e.PeerId!);
            else if (e.Kind == CallEventKind.Chat)
                moderatorChat.Enqueue(e.Text!);
        };
        await moderator.LockAsync(true);

        await using var cli = CliSession.Join(link, "--name", "Cli");
        await cli.WaitForAsync(WaitingLine);
        await Eventually.TrueAsync(() => !knocks.IsEmpty, "the moderator is told of the knock");
        string guestId = knocks.Single();
        // From the lobby the pair code can already be compared (C24), but we are no member yet.
        await cli.WaitForAsync("Pair code with Moderator");
        Assert.DoesNotContain("Joined room", cli.Output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(guestId, moderator.Members);

        await moderator.AdmitAsync(guestId);
        await cli.WaitForAsync("Joined room");
        string output = cli.Output.Text;
        int admitted = output.IndexOf("You were let in.", StringComparison.Ordinal);
        Assert.True(admitted > 0 && admitted < output.IndexOf("Joined room", StringComparison.Ordinal), output);
        await Eventually.TrueAsync(() => moderator.Members.Contains(guestId), "the CLI is a member");

        // A member now: its chat reaches the moderator. Not the moderator: the server refuses /unlock,
        // and the tool says so instead of failing.
        cli.Type("thanks for letting me in");
        await Eventually.TrueAsync(() => moderatorChat.Contains("thanks for letting me in"), "chat after admission");
        cli.Type("/unlock");
        await cli.WaitForAsync("The server refused /unlock: only the moderator can do this.");
        Assert.Equal(0, await cli.QuitAsync());
    }

    [Fact]
    public async Task In_an_unlocked_room_it_joins_at_once_with_no_lobby_line()
    {
        await using var server = await TestServer.StartAsync();
        string link = server.NewRoomLink();
        await using var member = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = "Member" });

        await using var cli = CliSession.Join(link, "--name", "Cli");
        await cli.WaitForAsync("Joined room");
        await cli.WaitForAsync("Pair code with Member");
        Assert.DoesNotContain(WaitingLine, cli.Output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("You were let in.", cli.Output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("You are the moderator", cli.Output.Text, StringComparison.Ordinal);
        Assert.Equal(0, await cli.QuitAsync());
    }

    [Fact]
    public async Task As_the_moderator_it_locks_the_room_names_who_knocks_and_admits_with_admit_1_or_denies()
    {
        await using var server = await TestServer.StartAsync();
        string link = server.NewRoomLink();
        await using var cli = CliSession.Join(link, "--name", "Cli");
        await cli.WaitForAsync("You are the moderator now");
        cli.Type("/lock");
        await cli.WaitForAsync("The room is locked: newcomers wait in the lobby.");

        await using var guest = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = "Guest", WaitInLobby = true });
        Assert.True(guest.InLobby);
        await cli.WaitForAsync("is waiting in the lobby — type /admit 1 to let them in (/deny 1 to refuse).");
        // Its name arrives over the lobby channel: the line is repeated with it.
        await cli.WaitForAsync($"Guest ({guest.Id[..6]}) is waiting in the lobby — type /admit 1");
        Assert.False(guest.Admitted.IsCompleted);

        cli.Type("/admit 1");
        await guest.Admitted.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(guest.InLobby);
        await cli.WaitForAsync($"Guest ({guest.Id[..6]}) joined.");
        cli.Type("/admit 1");
        await cli.WaitForAsync("Nobody waits in the lobby under number 1.");

        // A second knock gets number 2; /deny turns it away.
        await using var stranger = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = "Stranger", WaitInLobby = true });
        await cli.WaitForAsync($"Stranger ({stranger.Id[..6]}) is waiting in the lobby — type /admit 2");
        cli.Type("/deny 2");
        var refused = await Assert.ThrowsAsync<JoinRefusedException>(() => stranger.Admitted.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("denied", refused.Detail);
        await cli.WaitForAsync($"Stranger ({stranger.Id[..6]}) was not let in.");

        cli.Type("/unlock");
        await cli.WaitForAsync("The room is unlocked: anyone with the link can come in.");
        cli.Type("/admit x");
        await cli.WaitForAsync("Usage: /admit <n>");
        Assert.Equal(0, await cli.QuitAsync());
    }

    [Fact]
    public async Task Refused_at_the_lobby_it_says_so_and_exits_1()
    {
        await using var server = await TestServer.StartAsync();
        string link = server.NewRoomLink();
        var knocks = new ConcurrentQueue<string>();
        await using var moderator = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = "Moderator" });
        moderator.Event += (_, e) =>
        {
            if (e.Kind == CallEventKind.Knock)
                knocks.Enqueue(e.PeerId!);
        };
        await moderator.LockAsync(true);

        await using var cli = CliSession.Join(link, "--name", "Cli", "--lang", "ru");
        await cli.WaitForAsync("Комната закрыта: ждём, пока кто-нибудь внутри впустит вас");
        await Eventually.TrueAsync(() => !knocks.IsEmpty, "the knock");
        await moderator.DenyAsync(knocks.Single());
        Assert.Equal(1, await cli.Exit.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Вас не впустили: модератор отказал.", cli.Output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Вы в комнате", cli.Output.Text, StringComparison.Ordinal);
    }
}
