using System.Text;
using Sotto.E2ee.Frames;
using Sotto.E2ee.Pairwise;
using Sotto.E2ee.Participant;
using Sotto.E2ee.Tests.Pairwise;

namespace Sotto.E2ee.Tests.Participant;

/// <summary>Two and three C# participants over the in-memory relay: the whole §S4–§S9 flow of participant.js.</summary>
public sealed class E2eeParticipantTests
{
    private static readonly byte[] Room = Encoding.UTF8.GetBytes("тайная-встреча");
    private static readonly byte[] Secret = [.. Enumerable.Repeat((byte)5, 32)];
    private static readonly byte[] Opus = [0x78, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    private sealed class Room_ : IDisposable
    {
        public ManualTime Time { get; } = new();
        public ParticipantRelay Relay { get; } = new();
        public List<E2eeParticipant> Parts { get; } = [];
        public Dictionary<string, List<E2eeEvent>> Events { get; } = [];

        public E2eeParticipant Add(string id, ushort slot, byte[]? secret)
        {
            var log = new List<E2eeEvent>();
            Events[id] = log;
            var p = new E2eeParticipant(Room, id, slot, secret, $"name-{id}", Relay.TransportFor(id), log.Add, Time);
            Relay.Attach(id, p);
            foreach (E2eeParticipant other in Parts)
            {
                other.PeerJoined(id, slot);
                p.PeerJoined(other.SelfId, other.Slot);
            }
            Parts.Add(p);
            return p;
        }

        public void Advance(double seconds) => ParticipantRelay.Advance(Time, TimeSpan.FromSeconds(seconds), [Relay], Parts);

        public void Dispose() => Parts.ForEach(p => p.Dispose());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Two_participants_agree_on_pair_and_room_codes_chat_both_ways_and_decrypt_each_others_frames(bool withSecret)
    {
        using var room = new Room_();
        E2eeParticipant a = room.Add("alice", 1, withSecret ? Secret : null);
        E2eeParticipant b = room.Add("bob", 2, withSecret ? Secret : null);
        room.Advance(8);

        Assert.Equal(ChannelState.Established, a.PeerState("bob")!.Value.State);
        Assert.Equal(a.SasWith("bob")!.Select(e => e.Number), b.SasWith("alice")!.Select(e => e.Number));
        Assert.NotNull(a.RoomCodeEmoji);
        Assert.Equal(a.RoomCodeEmoji!.Select(e => e.Number), b.RoomCodeEmoji!.Select(e => e.Number));
        Assert.Equal(2, a.RoomCodeSize);
        Assert.Equal("name-bob", a.PeerName("bob"));
        Assert.Equal(1, a.DecryptorCount);

        Assert.Equal(1, a.SendChat("привет 👋"));
        Assert.Equal(1, b.SendChat("hello back"));
        room.Advance(0.2);
        Assert.Contains(room.Events["bob"], e => e is { Kind: E2eeEventKind.Chat, PeerId: "alice", Text: "привет 👋" });
        Assert.Contains(room.Events["alice"], e => e is { Kind: E2eeEventKind.Chat, PeerId: "bob", Text: "hello back" });

        // Frames: alice's mic frame opens with bob's keyring under alice's slot, and not as another stream.
        byte[] wire = new byte[64];
        Assert.True(a.Keyring.TryEncrypt(FrameCodec.Opus, MediaStream.Mic, Opus, wire, out int n, out _));
        byte[] output = new byte[64];
        Assert.True(b.Keyring.TryDecrypt(FrameCodec.Opus, 1, MediaStream.Mic, wire.AsSpan(0, n), output, out int m, out FrameDropReason reason), reason.ToString());
        Assert.Equal(Opus, output[..m]);
        Assert.False(b.Keyring.TryDecrypt(FrameCodec.Opus, 2, MediaStream.Mic, wire.AsSpan(0, n), output, out _, out _));
    }

    [Fact]
    public void A_third_participant_changes_the_room_code_for_everyone_and_everyone_agrees_again()
    {
        using var room = new Room_();
        E2eeParticipant a = room.Add("a1", 1, Secret);
        room.Add("b1", 2, Secret);
        room.Advance(6);
        byte[] before = [.. a.RoomCodeEmoji!.Select(e => (byte)e.Number)];
        room.Add("c1", 3, Secret);
        room.Advance(10);
        Assert.All(room.Parts, p => Assert.Equal(3, p.RoomCodeSize));
        Assert.Single(room.Parts.Select(p => string.Join(",", p.RoomCodeEmoji!.Select(e => e.Number))).Distinct());
        Assert.NotEqual(before, a.RoomCodeEmoji!.Select(e => (byte)e.Number));
    }

    [Theory]
    [InlineData("alice", "bob")]
    [InlineData("bob", "alice")]
    public void A_wrong_link_secret_fails_both_sides_with_LINK_OR_TAMPER_and_the_correct_secret_succeeds(string wrongId, string rightId)
    {
        // Positive control first: the same two ids with the same secret establish.
        using (var control = new Room_())
        {
            control.Add(wrongId, 1, Secret);
            control.Add(rightId, 2, Secret);
            control.Advance(5);
            Assert.Equal(ChannelState.Established, control.Parts[0].PeerState(rightId)!.Value.State);
        }

        using var room = new Room_();
        E2eeParticipant wrong = room.Add(wrongId, 1, [.. Enumerable.Repeat((byte)6, 32)]);
        E2eeParticipant right = room.Add(rightId, 2, Secret);
        room.Advance(10); // includes the one automatic retry after 3 s
        Assert.Equal((ChannelState.Failed, ChannelFailure.LinkOrTamper), wrong.PeerState(rightId));
        Assert.Equal((ChannelState.Failed, ChannelFailure.LinkOrTamper), right.PeerState(wrongId));
        Assert.Contains(room.Events[wrongId], e => e is { Kind: E2eeEventKind.PeerFailed, Reason: "LINK_OR_TAMPER" });
        Assert.Null(wrong.SasWith(rightId));
        Assert.Equal(0, wrong.SendChat("anyone?"));
    }

    [Fact]
    public void A_participant_without_the_secret_is_told_NO_SECRET()
    {
        using var room = new Room_();
        E2eeParticipant without = room.Add("alice", 1, null);
        room.Add("bob", 2, Secret);
        room.Advance(5);
        Assert.Equal(ChannelFailure.NoSecret, without.PeerState("bob")!.Value.Failure);
    }

    [Fact]
    public void Leaving_sends_bye_and_the_other_side_switches_to_a_key_the_leaver_never_had()
    {
        using var room = new Room_();
        E2eeParticipant a = room.Add("a1", 1, Secret);
        E2eeParticipant b = room.Add("b1", 2, Secret);
        E2eeParticipant c = room.Add("c1", 3, Secret);
        room.Advance(6);
        byte[] wire = new byte[64];
        Assert.True(a.Keyring.TryEncrypt(FrameCodec.Opus, MediaStream.Mic, Opus, wire, out _, out _)); // cur is now used
        uint before = a.CurrentEpoch;
        c.Leave();
        room.Advance(2);
        Assert.Contains(room.Events["a1"], e => e is { Kind: E2eeEventKind.PeerDeparted, PeerId: "c1" });
        Assert.True(a.CurrentEpoch > before);
        Assert.True(a.Keyring.TryEncrypt(FrameCodec.Opus, MediaStream.Mic, Opus, wire, out int n, out _));
        Assert.True(b.Keyring.TryDecrypt(FrameCodec.Opus, 1, MediaStream.Mic, wire.AsSpan(0, n), new byte[64], out _, out _));
        Assert.False(c.Keyring.TryDecrypt(FrameCodec.Opus, 1, MediaStream.Mic, wire.AsSpan(0, n), new byte[64], out _, out FrameDropReason reason));
        Assert.Equal(1, a.DecryptorCount);
        Assert.NotEqual(FrameDropReason.None, reason);
    }

    [Fact]
    public void A_blob_from_an_id_the_server_never_listed_is_ignored_and_counted()
    {
        using var room = new Room_();
        E2eeParticipant a = room.Add("alice", 1, Secret);
        a.Receive("hidden", [0x01, 0x05, 0, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Equal(1, a.IgnoredCount);
        Assert.Null(a.PeerState("hidden"));
    }

    [Fact]
    public void A_duplicate_slot_raises_an_alarm_and_the_participant_is_not_added()
    {
        using var room = new Room_();
        E2eeParticipant a = room.Add("alice", 1, Secret);
        room.Add("bob", 2, Secret);
        a.PeerJoined("mallory", 2);
        Assert.Contains(room.Events["alice"], e => e is { Kind: E2eeEventKind.Alarm, PeerId: "mallory", Reason: "DUPLICATE_SLOT" });
        Assert.Null(a.PeerState("mallory"));
        a.PeerJoined("carol", 3); // control: a fresh slot is added
        Assert.NotNull(a.PeerState("carol"));
    }

    [Fact]
    public void A_file_goes_only_to_who_accepts_arrives_whole_and_a_decline_gets_zero_chunks()
    {
        using var room = new Room_();
        E2eeParticipant a = room.Add("a1", 1, Secret);
        E2eeParticipant b = room.Add("b1", 2, Secret);
        E2eeParticipant c = room.Add("c1", 3, Secret);
        room.Advance(3);
        byte[] content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(200_000); // 4 chunks
        IReadOnlyDictionary<string, string> fids = a.OfferFile(["b1", "c1"], "notes.bin", "application/octet-stream", content);
        room.Advance(0.2);
        E2eeEvent offerToB = Assert.Single(room.Events["b1"], e => e.Kind == E2eeEventKind.FileOffered);
        Assert.Equal(("notes.bin", 200_000L, fids["b1"]), (offerToB.Text, offerToB.Count, offerToB.Reason));
        Assert.Null(b.FileContent("a1", fids["b1"])); // nothing before accepting
        Assert.DoesNotContain(room.Relay.Log, m => m.Blob[1] == 0x10); // no chunk before an accept

        b.AcceptFile("a1", fids["b1"]);
        c.DeclineFile("a1", fids["c1"]);
        room.Advance(0.2);
        Assert.Contains(room.Events["b1"], e => e.Kind == E2eeEventKind.FileComplete);
        Assert.Equal(content, b.FileContent("a1", fids["b1"]));
        Assert.Equal(4, room.Relay.Log.Count(m => m.Blob[1] == 0x10 && m.To == "b1"));
        Assert.DoesNotContain(room.Relay.Log, m => m.Blob[1] == 0x10 && m.To == "c1");
        Assert.Null(c.FileContent("a1", fids["c1"]));

        // A chunk replayed from b's transfer to c (who declined) is ignored, not a file.
        byte[] stolen = room.Relay.Log.First(m => m.Blob[1] == 0x10).Blob;
        int ignored = c.IgnoredCount;
        c.Receive("a1", stolen);
        Assert.Equal(ignored + 1, c.IgnoredCount);
    }

    [Fact]
    public void A_cancelled_offer_sends_file_cancel_and_no_chunk_follows_a_later_accept()
    {
        using var room = new Room_();
        E2eeParticipant a = room.Add("a1", 1, Secret);
        E2eeParticipant b = room.Add("b1", 2, Secret);
        room.Advance(3);
        byte[] content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(70_000);
        string cancelled = a.OfferFile(["b1"], "draft.bin", "application/octet-stream", content)["b1"];
        string kept = a.OfferFile(["b1"], "final.bin", "application/octet-stream", content)["b1"];
        room.Advance(0.2);
        a.CancelFile(cancelled);
        room.Advance(0.2);
        b.AcceptFile("a1", cancelled); // too late: the offer is gone on both sides
        b.AcceptFile("a1", kept); // control: the other offer still works
        room.Advance(0.2);
        Assert.Null(b.FileContent("a1", cancelled));
        Assert.Equal(content, b.FileContent("a1", kept));
        Assert.Equal(2, room.Relay.Log.Count(m => m.Blob[1] == 0x10 && m.To == "b1")); // 70,000 B = 2 chunks, of the kept file only
    }
}
