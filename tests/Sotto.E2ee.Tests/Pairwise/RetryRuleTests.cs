using System.Text;
using Sotto.E2ee.Links;
using Sotto.E2ee.Pairwise;
using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Tests.Pairwise;

/// <summary>
/// §S4.8's retry rules as channel.js has them: ≤ 10 retries per meeting across every peer, and
/// exactly one automatic retry 3 s after a link failure (C drives it, I accepts one more COMMIT).
/// </summary>
public sealed class RetryRuleTests
{
    private static readonly byte[] Room = Encoding.UTF8.GetBytes("retry-room");
    private static readonly byte[] Psk = LinkKeys.Psk([.. Enumerable.Range(0, 32).Select(i => (byte)i)], Room);
    private static readonly byte[] OtherPsk = LinkKeys.Psk([.. Enumerable.Repeat((byte)77, 32)], Room);

    /// <summary>
    /// "a0" commits to "b1".."bN", which never answer: every 15 s step timeout takes a retry. In 45 s
    /// (under one minute, so the per-peer limit of 3 never binds) the peers together want 3N retries.
    /// </summary>
    private static (PairContext Context, List<PairwiseChannel> Channels) SilentPeers(int count, ManualTime time)
    {
        var context = new PairContext(Room, "a0", X25519KeyPair.Generate(), Psk, "A", 0);
        var relay = new Relay(); // nobody registered for the peers: nothing ever answers
        var channels = Enumerable.Range(1, count).Select(i => new PairwiseChannel(context, $"b{i}", relay.From("a0"), time)).ToList();
        channels.ForEach(c => c.Start());
        for (int step = 0; step < 3; step++)
        {
            time.Advance(PairwiseChannel.StepTimeout);
            channels.ForEach(c => c.CheckTimeouts());
        }
        return (context, channels);
    }

    [Fact]
    public void Three_silent_peers_use_nine_retries_and_nobody_fails_yet()
    {
        // The control for the cap below: 3 × 3 = 9 retries fit in the meeting's 10.
        var (context, channels) = SilentPeers(3, new ManualTime());
        Assert.All(channels, c => Assert.Equal(ChannelState.WaitHs1, c.State));
        Assert.Equal(PairContext.DefaultMeetingRetries - 9, context.MeetingRetriesRemaining);
    }

    [Fact]
    public void The_meeting_retry_cap_is_shared_by_all_peers()
    {
        // Four silent peers want 12 retries in 45 s; the meeting has 10, so two timeouts fail.
        var (context, channels) = SilentPeers(4, new ManualTime());
        Assert.Equal(0, context.MeetingRetriesRemaining);
        Assert.Equal(2, channels.Count(c => c.State == ChannelState.Failed && c.Failure == ChannelFailure.Timeout));
        Assert.Equal(2, channels.Count(c => c.State == ChannelState.WaitHs1));
    }

    [Fact]
    public void After_a_link_failure_the_committer_retries_once_after_3_s_and_then_waits_for_the_user()
    {
        var time = new ManualTime();
        var relay = new Relay();
        var (c, i) = Pair(relay, time, Psk, OtherPsk);
        Assert.Equal((ChannelState.Failed, ChannelFailure.LinkOrTamper), (c.State, c.Failure));
        Assert.Equal(1, Commits(relay));

        time.Advance(PairwiseChannel.LinkFailureRetry - TimeSpan.FromMilliseconds(100));
        Tick(relay, c, i);
        Assert.Equal(1, Commits(relay)); // not before 3 s
        time.Advance(TimeSpan.FromMilliseconds(100));
        Tick(relay, c, i);
        Assert.Equal(2, Commits(relay)); // the one automatic retry; it fails the same way
        Assert.Equal((ChannelState.Failed, ChannelFailure.LinkOrTamper), (c.State, c.Failure));
        Assert.Equal((ChannelState.Failed, ChannelFailure.LinkOrTamper), (i.State, i.Failure));

        for (int k = 0; k < 30; k++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            Tick(relay, c, i);
        }
        Assert.Equal(2, Commits(relay)); // then manual only

        c.Retry(); // the user's "try again": one more attempt
        relay.Run();
        Assert.Equal(3, Commits(relay));
    }

    [Fact]
    public void The_automatic_retry_heals_a_rotation_race()
    {
        // I adopted the other link just after C's first attempt failed: the retry 3 s later succeeds.
        var time = new ManualTime();
        var relay = new Relay();
        var contextI = new PairContext(Room, "bob", X25519KeyPair.Generate(), OtherPsk, "B", 0);
        var (c, i) = Pair(relay, time, Psk, contextI);
        Assert.Equal(ChannelState.Failed, c.State);
        contextI.Rotate(1, Psk);
        time.Advance(PairwiseChannel.LinkFailureRetry);
        Tick(relay, c, i);
        Assert.Equal(ChannelState.Established, c.State);
        Assert.Equal(ChannelState.Established, i.State);
    }

    [Fact]
    public void The_initiator_accepts_one_commit_after_a_link_failure_not_more()
    {
        var time = new ManualTime();
        var relay = new Relay();
        var (c, i) = Pair(relay, time, Psk, OtherPsk);
        Assert.Equal((ChannelState.Failed, ChannelFailure.LinkOrTamper), (i.State, i.Failure));
        Assert.Equal(1, Hs1s(relay));

        time.Advance(PairwiseChannel.LinkFailureRetry);
        Tick(relay, c, i);
        Assert.Equal(2, Hs1s(relay)); // C's automatic retry: the one COMMIT I accepts in FAILED
        Assert.Equal((ChannelState.Failed, ChannelFailure.LinkOrTamper), (i.State, i.Failure));

        int ignored = i.IgnoredCount;
        i.Receive(FreshCommit()); // another one: waits for the user
        Assert.Equal(2, Hs1s(relay));
        Assert.Equal(ignored + 1, i.IgnoredCount);
        Assert.Equal(ChannelState.Failed, i.State);

        i.Retry(); // the user's "try again" renews it
        i.Receive(FreshCommit());
        Assert.Equal(3, Hs1s(relay));
        Assert.Equal(ChannelState.WaitHs2, i.State);
    }

    private static (PairwiseChannel C, PairwiseChannel I) Pair(Relay relay, ManualTime time, byte[] pskC, byte[] pskI) =>
        Pair(relay, time, pskC, new PairContext(Room, "bob", X25519KeyPair.Generate(), pskI, "B", 0));

    private static (PairwiseChannel C, PairwiseChannel I) Pair(Relay relay, ManualTime time, byte[] pskC, PairContext contextI)
    {
        var c = new PairwiseChannel(new PairContext(Room, "alice", X25519KeyPair.Generate(), pskC, "A", 0), "bob", relay.From("alice"), time);
        var i = new PairwiseChannel(contextI, "alice", relay.From("bob"), time);
        relay.Register("alice", c);
        relay.Register("bob", i);
        c.Start();
        i.Start();
        relay.Run();
        return (c, i);
    }

    private static void Tick(Relay relay, params PairwiseChannel[] channels)
    {
        foreach (PairwiseChannel channel in channels)
            channel.CheckTimeouts();
        relay.Run();
    }

    private static int Hs1s(Relay relay) => relay.Log.Count(l => l.From == "bob" && l.Blob[1] == (byte)BlobType.Hs1);

    private static int Commits(Relay relay) => relay.Log.Count(l => l.From == "alice" && l.Blob[1] == (byte)BlobType.Commit);

    private static byte[] FreshCommit() => Blob.Encode(BlobType.Commit, System.Security.Cryptography.RandomNumberGenerator.GetBytes(Blob.CommitLength));
}
