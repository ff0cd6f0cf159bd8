using System.Collections.Concurrent;

namespace Sotto.Client.Tests;

/// <summary>
/// The lobby through the real server (§S6 lobby, docs/e2ee.md C13, C24): a headless participant
/// waits in a locked room; the headless moderator learns its name and pair code from the lobby
/// channel, and nothing else crosses until it admits it.
/// </summary>
public sealed class LobbyTests
{
    private static string Code(IReadOnlyList<CodeEmoji>? code) => code is null ? "" : string.Concat(code.Select(e => e.Emoji));

    [Fact]
    public async Task A_participant_waiting_in_the_lobby_shows_its_name_and_pair_code_and_gets_keys_and_chat_only_after_admission()
    {
        await using var server = await TestServer.StartAsync();
        string link = server.NewRoomLink();
        var moderatorEvents = new ConcurrentQueue<CallEvent>();
        var guestEvents = new ConcurrentQueue<CallEvent>();
        await using var moderator = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = "Модератор" });
        moderator.Event += (_, e) => moderatorEvents.Enqueue(e);
        await moderator.LockAsync(true);

        await using var guest = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = "Guest", WaitInLobby = true });
        guest.Event += (_, e) => guestEvents.Enqueue(e);
        Assert.True(guest.InLobby);

        // From the lobby: the channel completes both ways, names and the pair code cross (C24)…
        await Eventually.TrueAsync(() => moderator.PeerName(guest.Id) == "Guest" && guest.PeerName(moderator.Id) == "Модератор", "names from the lobby");
        Assert.Equal(Code(moderator.PairCode(guest.Id)), Code(guest.PairCode(moderator.Id)));
        Assert.Equal(7, guest.PairCode(moderator.Id)!.Count);

        // …and nothing else, either way (C13): no sender keys, no chat, no state, no room code.
        guest.SetCallState(mic: false);
        Assert.Equal(0, moderator.SendChat("members only"));
        Assert.Equal(0, guest.SendChat("let me in"));
        await Task.Delay(1500); // the 300 ms key debounce and the 1 s room-code debounce would have run: nothing may follow
        Assert.Equal(0, moderator.DecryptorCount);
        Assert.Equal(0, guest.DecryptorCount);
        Assert.Null(guest.RoomCode);
        Assert.Null(moderator.PeerCallState(guest.Id)!.Value.Mic);

        await moderator.AdmitAsync(guest.Id);
        await guest.Admitted.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(guest.InLobby);
        Assert.Contains(guestEvents, e => e.Kind == CallEventKind.Admitted);

        // Positive control: the same pair now exchanges keys, chat, state and agrees on the room code.
        await Eventually.TrueAsync(() => moderator.DecryptorCount == 1 && guest.DecryptorCount == 1, "sender keys after admission");
        await Eventually.TrueAsync(() => moderator.RoomCode is not null && guest.RoomCode is not null, "room codes after admission");
        Assert.Equal(Code(moderator.RoomCode), Code(guest.RoomCode));
        await Eventually.TrueAsync(() => moderator.PeerCallState(guest.Id)!.Value.Mic == false, "the guest's state from the lobby, sent on admission");
        Assert.Equal(1, guest.SendChat("thanks"));
        await Eventually.TrueAsync(() => moderatorEvents.Any(e => e is { Kind: CallEventKind.Chat, Text: "thanks" }), "chat after admission");
    }
}
