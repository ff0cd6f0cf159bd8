using System.Text;
using System.Text.Json;
using Sotto.E2ee.Links;
using Sotto.E2ee.Messages;
using Sotto.E2ee.Noise;
using Sotto.E2ee.Pairwise;
using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Tests.Pairwise;

/// <summary>The §S4 state machine end to end over an in-memory relay, with the §S16 handshake negatives.</summary>
public sealed class PairwiseChannelTests
{
    private static readonly byte[] Room = Encoding.UTF8.GetBytes("Тайная-встреча");
    private static readonly byte[] Secret = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
    private static readonly byte[] Psk = LinkKeys.Psk(Secret, Room);

    private sealed class Party
    {
        public required PairContext Context { get; init; }
        public required PairwiseChannel Channel { get; init; }
    }

    private static Party Join(Relay relay, string self, string peer, byte[]? psk = null, X25519KeyPair? staticKey = null, ManualTime? time = null, Func<X25519KeyPair>? ephemerals = null, string? name = null)
    {
        var context = new PairContext(Room, self, staticKey ?? X25519KeyPair.Generate(), psk ?? Psk, name ?? self.ToUpperInvariant(), 0);
        var channel = new PairwiseChannel(context, peer, relay.From(self), time, ephemerals);
        relay.Register(self, channel);
        return new Party { Context = context, Channel = channel };
    }

    private static (Party A, Party B) Connect(Relay relay, string a = "alice", string b = "bob", byte[]? pskA = null, byte[]? pskB = null)
    {
        Party pa = Join(relay, a, b, pskA), pb = Join(relay, b, a, pskB);
        pa.Channel.Start();
        pb.Channel.Start();
        relay.Run();
        return (pa, pb);
    }

    [Theory]
    [InlineData("alice", "bob")]
    [InlineData("bob", "alice")]
    public void Honest_peers_establish_with_equal_sas_and_talk_both_ways(string a, string b)
    {
        var relay = new Relay();
        var (pa, pb) = Connect(relay, a, b);
        Assert.Equal(ChannelState.Established, pa.Channel.State);
        Assert.Equal(ChannelState.Established, pb.Channel.State);
        Assert.NotNull(pa.Channel.Sas);
        Assert.Equal(pa.Channel.Sas, pb.Channel.Sas);
        Assert.Equal(pb.Context.Static.PublicKey, pa.Channel.PinnedStatic);
        Assert.Equal(b.ToUpperInvariant(), pa.Channel.PeerHello!.Name);
        Assert.Equal(a.ToUpperInvariant(), pb.Channel.PeerHello!.Name);

        for (int i = 0; i < 5; i++)
        {
            Assert.True(pa.Channel.TrySend(AppMessage.KeyAck((uint)i)));
            Assert.True(pb.Channel.TrySend(AppMessage.Bye()));
        }
        relay.Run();
        Assert.Equal(5, pb.Channel.Received.Count);
        Assert.True(AppMessage.TryParseKeyAck(pb.Channel.Received[4], out uint epoch) && epoch == 4);
        Assert.Equal(5, pa.Channel.Received.Count);

        // Blob sizes: COMMIT 34, HS1/HS2 106, TRANSPORT 282 for a short message (§S4.2).
        Assert.Equal([34, 106, 106, 282, 282], relay.Log.Take(5).Select(l => l.Blob.Length));
    }

    [Fact]
    public void Blob_sizes_are_identical_with_and_without_a_link_secret()
    {
        var withSecret = new Relay();
        Connect(withSecret);
        var without = new Relay();
        var (pa, pb) = Connect(without, pskA: new byte[32], pskB: new byte[32]);
        Assert.Equal(ChannelState.Established, pa.Channel.State);
        Assert.Equal(ChannelState.Established, pb.Channel.State);
        Assert.Equal(withSecret.Log.Select(l => (l.Blob[1], l.Blob.Length)), without.Log.Select(l => (l.Blob[1], l.Blob.Length)));
    }

    [Fact]
    public void The_state_machine_reproduces_the_js_handshake_and_hello_blobs()
    {
        using JsonDocument doc = TestData.Load("web/sotto-e2ee-vectors.json");
        JsonElement v = doc.RootElement, inputs = v.GetProperty("inputs"), hs = v.GetProperty("handshake");
        string idC = inputs.GetProperty("id_c").GetString()!, idI = inputs.GetProperty("id_i").GetString()!;
        X25519KeyPair Key(string n) => X25519KeyPair.FromPrivateKey(inputs.GetProperty(n).Hex());
        var relay = new Relay();
        var room = v.GetProperty("link").GetProperty("room").Hex();
        byte[] psk = v.GetProperty("link").GetProperty("psk").Hex();
        var contextC = new PairContext(room, idC, Key("static_c_private"), psk, inputs.GetProperty("name_c").GetString()!, 0);
        var contextI = new PairContext(room, idI, Key("static_i_private"), psk, inputs.GetProperty("name_i").GetString()!, 0);
        var c = new PairwiseChannel(contextC, idI, relay.From(idC), null, () => Key("ephemeral_c_private"));
        var i = new PairwiseChannel(contextI, idC, relay.From(idI), null, () => Key("ephemeral_i_private"));
        relay.Register(idC, c);
        relay.Register(idI, i);
        c.Start();
        i.Start();
        relay.Run();
        Assert.Equal(ChannelState.Established, c.State);
        Assert.Equal(ChannelState.Established, i.State);
        string[] sent = [.. relay.Log.Select(l => TestData.ToHex(l.Blob))];
        JsonElement transport = v.GetProperty("transport");
        Assert.Equal(
            [hs.GetProperty("commit_blob").GetString()!, hs.GetProperty("hs1_blob").GetString()!, hs.GetProperty("hs2_blob").GetString()!,
             transport.GetProperty("first_i_to_c").GetProperty("blob").GetString()!, transport.GetProperty("first_c_to_i").GetProperty("blob").GetString()!],
            sent);
        Assert.Equal(v.GetProperty("sas").GetProperty("bytes").GetString(), TestData.ToHex(c.Sas));
    }

    [Fact]
    public void Equal_ids_fail_with_tamper()
    {
        var relay = new Relay();
        Party p = Join(relay, "alice", "alice");
        p.Channel.Start();
        Assert.Equal((ChannelState.Failed, ChannelFailure.Tamper), (p.Channel.State, p.Channel.Failure));
        Assert.Empty(relay.Log);
    }

    [Fact]
    public void A_different_link_fails_both_sides_with_link_or_tamper()
    {
        var relay = new Relay();
        byte[] otherPsk = LinkKeys.Psk(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray(), Room);
        var (pa, pb) = Connect(relay, "alice", "bob", Psk, otherPsk);
        Assert.Equal((ChannelState.Failed, ChannelFailure.LinkOrTamper), (pa.Channel.State, pa.Channel.Failure)); // C, via RESYNC
        Assert.Equal((ChannelState.Failed, ChannelFailure.LinkOrTamper), (pb.Channel.State, pb.Channel.Failure)); // I, at HS2
        Assert.Null(pa.Channel.Sas);
        Assert.Contains(relay.Log, l => l.Blob[1] == (byte)BlobType.Resync);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_missing_secret_is_diagnosed_as_no_secret_in_both_role_orders(bool committerLacksSecret)
    {
        var relay = new Relay();
        // One side joined with the link cut before '#': the zero PSK. I runs the trial (§S4.9);
        // the side without the secret knows it without one (docs/e2ee.md C1).
        var (pa, pb) = committerLacksSecret ? Connect(relay, "alice", "bob", new byte[32], Psk) : Connect(relay, "alice", "bob", Psk, new byte[32]);
        Assert.Equal((ChannelState.Failed, ChannelFailure.NoSecret), (pb.Channel.State, pb.Channel.Failure)); // I: never accepted
        Assert.Equal(committerLacksSecret ? ChannelFailure.NoSecret : ChannelFailure.LinkOrTamper, pa.Channel.Failure); // C, via RESYNC
    }

    [Fact]
    public void A_failed_new_attempt_beside_a_live_session_is_dropped_and_the_session_stays()
    {
        var relay = new Relay();
        var (c, i) = Connect(relay);
        // The server injects a fresh COMMIT and then an HS2 that does not match it.
        var fakeC = X25519KeyPair.Generate();
        var fakeE = X25519KeyPair.Generate();
        byte[] commit = PairCrypto.Commitment(Room, "alice", "bob", fakeE.PublicKey, fakeC.PublicKey);
        i.Channel.Receive(Blob.Encode(BlobType.Commit, commit));
        byte[] hs1 = relay.Log[^1].Blob;
        Assert.Equal((byte)BlobType.Hs1, hs1[1]);
        using var forged = new HandshakeState(HandshakePattern.IXpsk2, false, PairCrypto.Prologue(Room, "alice", "bob", commit), fakeC, X25519KeyPair.Generate(), Psk);
        Assert.True(forged.TryReadMessage(hs1.AsSpan(10), out _, out _));
        Assert.True(forged.TryWriteMessage([], out byte[] msg2, out _));
        i.Channel.Receive(Blob.Encode(BlobType.Hs2, commit.AsSpan(0, 8), msg2));
        Assert.Equal(ChannelState.Established, i.Channel.State);
        Assert.Equal(1, i.Channel.FailedAttemptCount);
        Assert.True(c.Channel.TrySend(AppMessage.KeyAck(5))); // the old session still works both ways
        Assert.True(i.Channel.TrySend(AppMessage.KeyAck(6)));
        relay.Run();
        Assert.Single(i.Channel.Received);
        Assert.Single(c.Channel.Received);

        // docs/e2ee.md C4: replaying that COMMIT (or the original one) starts nothing.
        int sent = relay.Log.Count;
        i.Channel.Receive(Blob.Encode(BlobType.Commit, commit));
        i.Channel.Receive(relay.Log.First(l => l.Blob[1] == (byte)BlobType.Commit).Blob);
        Assert.Equal(sent, relay.Log.Count);
    }

    [Fact]
    public void The_committer_restarts_an_attempt_when_the_link_rotates()
    {
        var relay = new Relay();
        Party c = Join(relay, "alice", "bob");
        c.Channel.Start();
        byte[] firstSid = c.Channel.AttemptSid!;
        c.Context.Rotate(1, LinkKeys.Psk(Enumerable.Repeat((byte)9, 32).ToArray(), Room));
        c.Channel.Receive(Blob.Encode(BlobType.Resync, new byte[8])); // any next event notices the change
        Assert.NotEqual(firstSid, c.Channel.AttemptSid);
        Assert.Equal(2, relay.Log.Count(l => l.Blob[1] == (byte)BlobType.Commit));
    }

    [Fact]
    public void A_peer_on_the_previous_link_generation_is_diagnosed_as_old_link()
    {
        var relay = new Relay();
        Party c = Join(relay, "alice", "bob", Psk), i = Join(relay, "bob", "alice", Psk);
        byte[] rotated = LinkKeys.Psk(Enumerable.Repeat((byte)7, 32).ToArray(), Room);
        i.Context.Rotate(1, rotated); // bob adopted gen 1; alice still uses gen 0
        c.Channel.Start();
        i.Channel.Start();
        relay.Run();
        Assert.Equal(ChannelFailure.OldLink, i.Channel.Failure);
        Assert.Equal(ChannelState.Failed, i.Channel.State);
    }

    [Fact]
    public void Hs2_that_does_not_match_the_commitment_is_tamper()
    {
        foreach (bool honest in new[] { true, false })
        {
            var relay = new Relay();
            var staticC = X25519KeyPair.Generate();
            var committed = X25519KeyPair.Generate();
            Party c = Join(relay, "alice", "bob", staticKey: staticC, ephemerals: () => committed);
            Party i = Join(relay, "bob", "alice");
            // The malicious server answers HS1 itself with C's static key (it cannot have it, but
            // this gives it every advantage) and a different ephemeral: the commitment must catch it.
            relay.Tamper = (from, to, blob) =>
            {
                if (blob[1] != (byte)BlobType.Hs1)
                    return blob;
                byte[] sid = blob[2..10];
                byte[] c0 = relay.Log.First(l => l.Blob[1] == (byte)BlobType.Commit).Blob[2..];
                byte[] prologue = PairCrypto.Prologue(Room, "alice", "bob", c0);
                using var forged = new HandshakeState(HandshakePattern.IXpsk2, false, prologue, staticC, honest ? committed : X25519KeyPair.Generate(), Psk);
                Assert.True(forged.TryReadMessage(blob.AsSpan(10), out _, out _));
                Assert.True(forged.TryWriteMessage([], out byte[] msg2, out _));
                relay.Inject("alice", "bob", Blob.Encode(BlobType.Hs2, sid, msg2));
                return null;
            };
            c.Channel.Start();
            i.Channel.Start();
            relay.Run();
            if (honest)
                Assert.Equal(ChannelState.Established, i.Channel.State); // positive control
            else
                Assert.Equal((ChannelState.Failed, ChannelFailure.Tamper), (i.Channel.State, i.Channel.Failure));
        }
    }

    [Fact]
    public void Flipping_any_prologue_field_fails_the_handshake()
    {
        X25519KeyPair sC = X25519KeyPair.Generate(), sI = X25519KeyPair.Generate(), eC = X25519KeyPair.Generate();
        byte[] c = PairCrypto.Commitment(Room, "alice", "bob", eC.PublicKey, sC.PublicKey);
        byte[] flippedC = (byte[])c.Clone();
        flippedC[31] ^= 1;
        var variants = new (string What, byte[] Prologue)[]
        {
            ("control", PairCrypto.Prologue(Room, "alice", "bob", c)),
            ("room", PairCrypto.Prologue(Encoding.UTF8.GetBytes("Тайная-встречи"), "alice", "bob", c)),
            ("id_c", PairCrypto.Prologue(Room, "alicf", "bob", c)),
            ("id_i", PairCrypto.Prologue(Room, "alice", "bob2", c)),
            ("c", PairCrypto.Prologue(Room, "alice", "bob", flippedC)),
        };
        byte[] responderPrologue = variants[0].Prologue;
        foreach (var (what, prologue) in variants)
        {
            using var initiator = new HandshakeState(HandshakePattern.IXpsk2, true, prologue, sI, null, Psk);
            using var responder = new HandshakeState(HandshakePattern.IXpsk2, false, responderPrologue, sC, eC, Psk);
            Assert.True(initiator.TryWriteMessage([], out byte[] msg1, out _));
            bool read = responder.TryReadMessage(msg1, out _, out HandshakeFailure failure);
            Assert.True(read == (what == "control"), what);
            if (what != "control")
                Assert.Equal(HandshakeFailure.DecryptFailed, failure);
        }
    }

    [Theory]
    [InlineData("replay")]
    [InlineData("drop")]
    [InlineData("reflect")]
    [InlineData("reorder")]
    public void Bad_transport_breaks_the_channel_and_a_new_attempt_recovers(string attack)
    {
        var relay = new Relay();
        var (c, i) = Connect(relay); // alice = C, bob = I
        byte[] sas = c.Channel.Sas!;
        var captured = new List<byte[]>();
        relay.Tamper = (from, to, blob) =>
        {
            if (from != "bob" || blob[1] != (byte)BlobType.Transport)
                return blob;
            captured.Add(blob);
            return attack switch
            {
                "drop" when captured.Count == 1 => null,
                "reorder" when captured.Count == 1 => null, // held back, delivered after the second
                _ => blob,
            };
        };
        Assert.True(i.Channel.TrySend(AppMessage.KeyAck(1)));
        Assert.True(i.Channel.TrySend(AppMessage.KeyAck(2)));
        relay.Run();
        relay.Tamper = null;
        switch (attack)
        {
            case "replay":
                Assert.Equal(2, c.Channel.Received.Count); // positive control: both arrived
                c.Channel.Receive(captured[0]);
                break;
            case "reorder":
                c.Channel.Receive(captured[0]);
                break;
            case "reflect":
                i.Channel.Receive(captured[0]); // bob's own message sent back to bob
                break;
        }
        Party broken = attack == "reflect" ? i : c;
        Assert.Equal(1, broken.Channel.BrokenCount);
        if (broken.Channel.State == ChannelState.Broken)
            Assert.False(broken.Channel.TrySend(AppMessage.KeyAck(3))); // no keys while BROKEN
        relay.Run(); // C commits again (or I sends RESYNC first), the new attempt completes
        Assert.Equal(ChannelState.Established, c.Channel.State);
        Assert.Equal(ChannelState.Established, i.Channel.State);
        Assert.Equal(sas, c.Channel.Sas); // pinned from the first confirmation
        Assert.Equal(2, relay.Log.Count(l => l.Blob[1] == (byte)BlobType.Commit)); // C started a new attempt
        Assert.Equal(attack == "reflect" ? 1 : 0, relay.Log.Count(l => l.Blob[1] == (byte)BlobType.Resync)); // I reports its own break
        Assert.True(c.Channel.TrySend(AppMessage.KeyAck(9)));
        relay.Run();
        Assert.True(AppMessage.TryParseKeyAck(i.Channel.Received[^1], out uint last) && last == 9);
    }

    [Fact]
    public void Role_conflicts_fail_both_sides()
    {
        var relay = new Relay();
        // A lying server: alice is told bob is "bob", bob is told alice is "carol" — both think they commit.
        var a = Join(relay, "alice", "bob");
        var b = new PairwiseChannel(new PairContext(Room, "bob", X25519KeyPair.Generate(), Psk, "B", 0), "carol", new Redirect(relay, "bob", "alice"));
        relay.Register("bob", new PairwiseChannel(new PairContext(Room, "bob", X25519KeyPair.Generate(), Psk, "B", 0), "alice", relay.From("bob")));
        a.Channel.Start();
        b.Start();
        relay.Run();
        b.Receive(relay.Log.First(l => l.From == "alice").Blob); // alice's COMMIT reaches "bob as committer"
        Assert.Equal((ChannelState.Failed, ChannelFailure.RoleConflict), (b.State, b.Failure));
        Assert.Equal((ChannelState.Failed, ChannelFailure.RoleConflict), (a.Channel.State, a.Channel.Failure));

        // I receiving an HS1 is a conflict too.
        var relay2 = new Relay();
        var (_, i) = Connect(relay2);
        i.Channel.Receive(relay2.Log.First(l => l.Blob[1] == (byte)BlobType.Hs1).Blob);
        Assert.Equal(ChannelFailure.RoleConflict, i.Channel.Failure);
    }

    private sealed class Redirect(Relay relay, string self, string to) : IBlobTransport
    {
        public void Send(string peerId, byte[] blob) => relay.Inject(self, to, blob);
    }

    [Fact]
    public void A_new_static_key_for_a_pinned_peer_fails_with_key_changed()
    {
        var relay = new Relay();
        var (c, i) = Connect(relay);
        Assert.Equal(ChannelState.Established, i.Channel.State);
        // An impostor with alice's id but another static key starts a new attempt.
        var impostor = new PairwiseChannel(new PairContext(Room, "alice", X25519KeyPair.Generate(), Psk, "ALICE", 0), "bob", relay.From("alice"));
        relay.Register("alice", impostor);
        impostor.Start();
        relay.Run();
        Assert.Equal((ChannelState.Failed, ChannelFailure.KeyChanged), (i.Channel.State, i.Channel.Failure));
        Assert.True(i.Channel.IsDeparted);
        Assert.NotEqual(ChannelState.Established, impostor.State);
    }

    [Fact]
    public void Transport_before_confirmation_and_stale_handshakes_are_ignored_and_counted()
    {
        var relay = new Relay();
        var (c, i) = Connect(relay);
        byte[] oldHs2 = relay.Log.First(l => l.Blob[1] == (byte)BlobType.Hs2).Blob;
        int before = i.Channel.IgnoredCount;
        i.Channel.Receive(oldHs2); // replayed old handshake
        Assert.Equal(before + 1, i.Channel.IgnoredCount);
        Assert.Equal(ChannelState.Established, i.Channel.State);

        var relay2 = new Relay();
        Party fresh = Join(relay2, "bob", "alice");
        fresh.Channel.Start();
        fresh.Channel.Receive(relay.Log.First(l => l.Blob[1] == (byte)BlobType.Transport).Blob);
        fresh.Channel.Receive(oldHs2); // HS2 without a stored COMMIT
        Assert.Equal(ChannelState.WaitCommit, fresh.Channel.State);
        Assert.Equal(2, fresh.Channel.IgnoredCount);
    }

    [Fact]
    public void Timeouts_retry_with_fresh_ephemerals_then_fail()
    {
        var relay = new Relay();
        var time = new ManualTime();
        Party c = Join(relay, "alice", "bob", time: time);
        c.Channel.Start();
        var commits = new HashSet<string> { TestData.ToHex(relay.Log[^1].Blob) };
        for (int retry = 0; retry < PairwiseChannel.RetriesPerMinute; retry++)
        {
            time.Advance(TimeSpan.FromSeconds(14));
            c.Channel.CheckTimeouts();
            Assert.Equal(commits.Count, relay.Log.Count); // not yet
            time.Advance(TimeSpan.FromSeconds(1));
            c.Channel.CheckTimeouts();
            Assert.True(commits.Add(TestData.ToHex(relay.Log[^1].Blob))); // a new, different commitment
            Assert.Equal(ChannelState.WaitHs1, c.Channel.State);
        }
        time.Advance(TimeSpan.FromSeconds(15));
        c.Channel.CheckTimeouts();
        Assert.Equal((ChannelState.Failed, ChannelFailure.Timeout), (c.Channel.State, c.Channel.Failure));
    }

    [Fact]
    public void The_initiator_returns_to_wait_commit_on_timeouts_then_fails()
    {
        var relay = new Relay();
        var time = new ManualTime();
        Party i = Join(relay, "bob", "alice", time: time);
        Party c = Join(new Relay(), "alice", "bob"); // its HS2 never arrives: a different relay
        c.Channel.Start();
        i.Channel.Start();
        i.Channel.Receive(Blob.Encode(BlobType.Commit, c.Channel.AttemptSid!.Concat(new byte[24]).ToArray()));
        Assert.Equal(ChannelState.WaitHs2, i.Channel.State);
        time.Advance(PairwiseChannel.StepTimeout);
        i.Channel.CheckTimeouts();
        Assert.Equal(ChannelState.WaitCommit, i.Channel.State);
        for (int k = 0; k < PairwiseChannel.RetriesPerMinute - 1; k++)
        {
            time.Advance(PairwiseChannel.StepTimeout / 2);
            i.Channel.CheckTimeouts();
            Assert.Equal(ChannelState.WaitCommit, i.Channel.State); // not yet 15 s
            time.Advance(PairwiseChannel.StepTimeout / 2);
            i.Channel.CheckTimeouts();
        }
        time.Advance(PairwiseChannel.StepTimeout);
        i.Channel.CheckTimeouts();
        Assert.Equal((ChannelState.Failed, ChannelFailure.Timeout), (i.Channel.State, i.Channel.Failure));
    }

    [Fact]
    public void An_unknown_blob_version_is_reported_not_processed()
    {
        var relay = new Relay();
        var (c, _) = Connect(relay);
        byte[] blob = (byte[])relay.Log[^1].Blob.Clone();
        blob[0] = 2;
        c.Channel.Receive(blob);
        Assert.True(c.Channel.SawIncompatibleVersion);
        Assert.Equal(ChannelState.Established, c.Channel.State);
    }
}
