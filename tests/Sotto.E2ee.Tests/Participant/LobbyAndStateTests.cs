using System.Text;
using Sotto.E2ee.Frames;
using Sotto.E2ee.Messages;
using Sotto.E2ee.Pairwise;
using Sotto.E2ee.Participant;
using Sotto.E2ee.Tests.Pairwise;

namespace Sotto.E2ee.Tests.Participant;

/// <summary>
/// The lobby rules (§S6 lobby, docs/e2ee.md C13 and C24), the in-call <c>state</c> message (C14),
/// renaming (C25) and the link generation learned from <c>hello</c> (§S11), as participant.js has them.
/// </summary>
public sealed class LobbyAndStateTests
{
    private static readonly byte[] Room = Encoding.UTF8.GetBytes("лобби");
    private static readonly byte[] Secret = [.. Enumerable.Repeat((byte)3, 32)];
    private static readonly byte[] Opus = [0x78, 1, 2, 3, 4, 5, 6, 7];

    private sealed class Call : IDisposable
    {
        public ManualTime Time { get; } = new();
        public ParticipantRelay Relay { get; } = new();
        public List<E2eeParticipant> Parts { get; } = [];
        public Dictionary<string, List<E2eeEvent>> Events { get; } = [];

        public E2eeParticipant New(string id, ushort slot, bool admitted = true)
        {
            var log = new List<E2eeEvent>();
            Events[id] = log;
            var p = new E2eeParticipant(Room, id, slot, Secret, "name-" + id, Relay.TransportFor(id), log.Add, Time, admitted: admitted);
            Relay.Attach(id, p);
            Parts.Add(p);
            return p;
        }

        public void Advance(double seconds) => ParticipantRelay.Advance(Time, TimeSpan.FromSeconds(seconds), [Relay], Parts);

        public void Dispose() => Parts.ForEach(p => p.Dispose());
    }

    /// <summary>
    /// The member is told of the knock; the lobby participant is told nobody (docs/protocol.md). Both
    /// id orders: the member is C ("a…" &lt; "b…": it commits) or I (it pokes with RESYNC(0⁸)).
    /// </summary>
    [Theory]
    [InlineData("amember", "bwaiting")]
    [InlineData("bmember", "awaiting")]
    public void A_lobby_participant_meets_members_names_and_codes_only_then_everything_after_admission(string memberId, string waitingId)
    {
        using var call = new Call();
        E2eeParticipant member = call.New(memberId, 1);
        E2eeParticipant waiting = call.New(waitingId, 2, admitted: false);
        member.PeerJoined(waitingId, 2, admitted: false); // the knock
        call.Advance(3);

        // The channel completes from the lobby (C24): names and the pair code, so the moderator can compare.
        Assert.Equal(ChannelState.Established, member.PeerState(waitingId)!.Value.State);
        Assert.Equal(ChannelState.Established, waiting.PeerState(memberId)!.Value.State);
        Assert.Equal("name-" + waitingId, member.PeerName(waitingId));
        Assert.Equal("name-" + memberId, waiting.PeerName(memberId));
        Assert.Equal(member.SasWith(waitingId)!.Select(e => e.Number), waiting.SasWith(memberId)!.Select(e => e.Number));

        // …and nothing else, in either direction (C13): no sender keys, chat, state, room code.
        waiting.SetCallState(mic: false, hand: true);
        Assert.Equal(0, member.SendChat("members only"));
        Assert.Equal(0, waiting.SendChat("let me in"));
        call.Advance(3);
        Assert.Equal(0, member.DecryptorCount);
        Assert.Equal(0, waiting.DecryptorCount);
        Assert.Null(member.RoomCodeEmoji);
        Assert.Null(waiting.RoomCodeEmoji);
        Assert.DoesNotContain(call.Events[memberId], e => e.Kind is E2eeEventKind.PeerKeyInstalled or E2eeEventKind.Chat or E2eeEventKind.PeerCallState);
        Assert.DoesNotContain(call.Events[waitingId], e => e.Kind is E2eeEventKind.PeerKeyInstalled or E2eeEventKind.Chat);
        Assert.False(DecryptsFrom(waiting, member, 1));

        // Admission (the server's "admitted" to members, "joined" with the member list to the newcomer).
        member.PeerAdmitted(waitingId);
        waiting.SelfAdmitted([(memberId, 1)]);
        call.Advance(8);
        Assert.Equal(1, member.DecryptorCount);
        Assert.Equal(1, waiting.DecryptorCount);
        Assert.True(DecryptsFrom(waiting, member, 1));
        Assert.True(DecryptsFrom(member, waiting, 2));
        Assert.Equal(1, member.SendChat("welcome"));
        call.Advance(0.5);
        Assert.Contains(call.Events[waitingId], e => e is { Kind: E2eeEventKind.Chat, Text: "welcome" });
        // The state set in the lobby reaches the member now, as a newcomer's state does.
        Assert.Equal(new CallState(false, null, true), member.PeerCallState(waitingId));
        Assert.NotNull(member.RoomCodeEmoji);
        Assert.Equal(member.RoomCodeEmoji!.Select(e => e.Number), waiting.RoomCodeEmoji!.Select(e => e.Number));
        Assert.Equal((ushort)1, waiting.SlotOf(memberId)); // the slot came with the member list
    }

    [Fact]
    public void While_in_the_lobby_a_member_that_wrongly_sends_keys_and_chat_is_not_heard()
    {
        // The server tells the member "admitted" too early (or lies); the waiting side still refuses (C13).
        using var call = new Call();
        E2eeParticipant member = call.New("amember", 1);
        E2eeParticipant waiting = call.New("bwaiting", 2, admitted: false);
        member.PeerJoined("bwaiting", 2, admitted: true);
        call.Advance(3);
        Assert.Equal(ChannelState.Established, waiting.PeerState("amember")!.Value.State);
        Assert.Equal(1, member.SendChat("too early"));
        call.Advance(1);
        Assert.DoesNotContain(call.Events["bwaiting"], e => e.Kind is E2eeEventKind.Chat or E2eeEventKind.PeerKeyInstalled);
        Assert.False(DecryptsFrom(waiting, member, 1));

        // Control: once admitted, the same member's chat is heard.
        waiting.SelfAdmitted([("amember", 1)]);
        Assert.Equal(1, member.SendChat("now"));
        call.Advance(1);
        Assert.Contains(call.Events["bwaiting"], e => e is { Kind: E2eeEventKind.Chat, Text: "now" });
    }

    [Fact]
    public void In_the_lobby_only_the_first_COMMIT_or_RESYNC_of_an_unknown_id_opens_a_channel_at_most_64()
    {
        using var call = new Call();
        E2eeParticipant waiting = call.New("m-waiting", 9, admitted: false);
        waiting.Receive("x-transport", Blob.Encode(BlobType.Transport, new byte[8], new byte[300])); // not a handshake opener
        Assert.Null(waiting.PeerState("x-transport"));
        Assert.Equal(1, waiting.IgnoredCount);

        waiting.Receive("z-poker", Blob.Encode(BlobType.Resync, new byte[Blob.SidLength]));
        Assert.Equal(ChannelState.WaitHs1, waiting.PeerState("z-poker")!.Value.State); // opened: as C toward it, it committed
        for (int k = 1; k < E2eeParticipant.LobbyMaxPeers; k++)
            waiting.Receive($"z-{k:D3}", Commit());
        Assert.Equal(E2eeParticipant.LobbyMaxPeers, waiting.PeerIds.Count);
        waiting.Receive("z-one-too-many", Commit());
        Assert.Null(waiting.PeerState("z-one-too-many"));
        Assert.Equal(2, waiting.IgnoredCount);

        // Admission closes every lobby channel whose id is not a member; members keep theirs and get their slot.
        waiting.SelfAdmitted([("z-poker", 4)]);
        Assert.Equal(ChannelState.Dead, waiting.PeerState("z-001")!.Value.State);
        Assert.Contains(call.Events["m-waiting"], e => e is { Kind: E2eeEventKind.PeerDeparted, PeerId: "z-001", Reason: "not-a-member" });
        Assert.Equal(ChannelState.WaitHs1, waiting.PeerState("z-poker")!.Value.State);
        Assert.Equal((ushort)4, waiting.SlotOf("z-poker"));

        // Admitted, an unknown id is ignored again (C17).
        waiting.Receive("y-late", Commit());
        Assert.Null(waiting.PeerState("y-late"));
        Assert.Equal(3, waiting.IgnoredCount);
    }

    [Fact]
    public void Call_state_is_merged_sent_to_established_peers_and_given_whole_to_a_newcomer()
    {
        using var call = new Call();
        E2eeParticipant a = call.New("a1", 1);
        E2eeParticipant b = call.New("b1", 2);
        a.PeerJoined("b1", 2);
        b.PeerJoined("a1", 1);
        call.Advance(3);

        a.SetCallState(mic: false);
        call.Advance(0.2);
        Assert.Equal(new CallState(false, null, null), b.PeerCallState("a1"));
        a.SetCallState(hand: true);
        call.Advance(0.2);
        Assert.Equal(new CallState(false, null, true), b.PeerCallState("a1"));
        Assert.Contains(call.Events["b1"], e => e is { Kind: E2eeEventKind.PeerCallState, PeerId: "a1" } && e.CallState == new CallState(false, null, true));

        E2eeParticipant c = call.New("c1", 3);
        foreach (E2eeParticipant p in new[] { a, b })
        {
            p.PeerJoined("c1", 3);
            c.PeerJoined(p.SelfId, p.Slot);
        }
        call.Advance(3);
        Assert.Equal(new CallState(false, null, true), c.PeerCallState("a1")); // without a new toggle
        Assert.Equal(CallState.Empty, c.PeerCallState("b1")); // b never set any: nothing sent
    }

    [Fact]
    public void The_state_message_is_byte_for_byte_what_participant_js_sends_and_ignores_non_booleans()
    {
        // JSON.stringify({ t: 'state', ...clean }) with clean in mic, cam, hand order.
        Assert.Equal("""{"t":"state","mic":false,"hand":true}""", Encoding.UTF8.GetString(AppMessage.State(new CallState(false, null, true))));
        Assert.True(AppMessage.TryParseState("""{"t":"state","mic":"yes","cam":true,"extra":1}"""u8, out CallState state));
        Assert.Equal(new CallState(null, true, null), state);
        Assert.False(AppMessage.TryParseState("""{"t":"chat","mic":true}"""u8, out _));
    }

    [Fact]
    public void A_rename_reaches_established_peers_and_hello_teaches_the_link_generation()
    {
        using var call = new Call();
        E2eeParticipant a = call.New("a1", 1);
        E2eeParticipant b = call.New("b1", 2);
        a.PeerJoined("b1", 2);
        b.PeerJoined("a1", 1);
        call.Advance(3);
        Assert.Equal("name-a1", b.PeerName("a1"));

        a.SetName("Анна");
        call.Advance(0.2);
        Assert.Equal("Анна", b.PeerName("a1"));
        Assert.Contains(call.Events["b1"], e => e is { Kind: E2eeEventKind.PeerHello, PeerId: "a1", Text: "Анна" });

        // a rotates the link (gen 1); a newcomer with the new secret but no generation learns gen 1 from hello.
        byte[] rotated = a.RotateLink();
        call.Advance(0.5);
        Assert.Equal(1u, b.Gen);
        var log = new List<E2eeEvent>();
        call.Events["c1"] = log;
        var c = new E2eeParticipant(Room, "c1", 3, rotated, "c", call.Relay.TransportFor("c1"), log.Add, call.Time);
        call.Relay.Attach("c1", c);
        call.Parts.Add(c);
        Assert.Equal(0u, c.Gen);
        foreach (E2eeParticipant p in new[] { a, b })
        {
            p.PeerJoined("c1", 3);
            c.PeerJoined(p.SelfId, p.Slot);
        }
        call.Advance(3);
        Assert.Equal(ChannelState.Established, c.PeerState("a1")!.Value.State);
        Assert.Equal(1u, c.Gen);
    }

    private static bool DecryptsFrom(E2eeParticipant receiver, E2eeParticipant sender, int senderSlot)
    {
        byte[] wire = new byte[64];
        if (!sender.Keyring.TryEncrypt(FrameCodec.Opus, MediaStream.Mic, Opus, wire, out int n, out _))
            return false;
        return receiver.Keyring.TryDecrypt(FrameCodec.Opus, (ushort)senderSlot, MediaStream.Mic, wire.AsSpan(0, n), new byte[64], out _, out _);
    }

    private static byte[] Commit() => Blob.Encode(BlobType.Commit, System.Security.Cryptography.RandomNumberGenerator.GetBytes(Blob.CommitLength));
}
