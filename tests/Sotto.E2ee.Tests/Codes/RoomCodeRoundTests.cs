using System.Security.Cryptography;
using System.Text;
using Sotto.E2ee.Codes;
using Sotto.E2ee.Messages;

namespace Sotto.E2ee.Tests.Codes;

/// <summary>§S8 rounds between three members, and §S9 chat dedupe.</summary>
public sealed class RoomCodeRoundTests
{
    private static readonly byte[] Room = Encoding.UTF8.GetBytes("room");
    private static readonly RoomMember[] View = [.. new[] { "ann", "bob", "cat" }.Select(id => new RoomMember(id, RandomNumberGenerator.GetBytes(32)))];

    private static RoomCodeRound[] Rounds(RoomMember[] view) => [.. view.Select(m => new RoomCodeRound(Room, m.Id, view))];

    private static void ExchangeCommits(RoomCodeRound[] rounds)
    {
        foreach (RoomCodeRound from in rounds)
            foreach (RoomCodeRound to in rounds.Where(r => r != from))
                to.AcceptCommit(from.SelfId, from.Rid, from.Commitment);
    }

    private static void ExchangeReveals(RoomCodeRound[] rounds)
    {
        foreach (RoomCodeRound from in rounds.Where(r => r.TryReveal()).ToArray())
            foreach (RoomCodeRound to in rounds.Where(r => r != from))
                Assert.Equal(RevealResult.Accepted, to.AcceptReveal(from.SelfId, from.Rid, from.R));
    }

    [Fact]
    public void Equal_views_give_one_code_and_nobody_reveals_before_all_commits()
    {
        RoomCodeRound[] rounds = Rounds(View);
        Assert.All(rounds, r => Assert.False(r.TryReveal()));
        rounds[1].AcceptCommit("ann", rounds[0].Rid, rounds[0].Commitment);
        Assert.False(rounds[1].TryReveal()); // still waiting for cat
        Assert.Equal(["cat"], rounds[1].MissingCommits);
        ExchangeCommits(rounds);
        ExchangeReveals(rounds);
        Assert.All(rounds, r => Assert.NotNull(r.Code));
        Assert.Equal(rounds[0].Code, rounds[1].Code);
        Assert.Equal(rounds[0].Code, rounds[2].Code);
    }

    [Fact]
    public void A_different_view_gives_a_different_code_and_its_commits_do_not_count()
    {
        RoomCodeRound[] rounds = Rounds(View);
        RoomMember[] liedView = [View[0], View[1], View[2] with { StaticPublic = RandomNumberGenerator.GetBytes(32) }];
        var cheated = new RoomCodeRound(Room, "ann", liedView);
        Assert.NotEqual(rounds[0].Rid, cheated.Rid);
        rounds[1].AcceptCommit("ann", cheated.Rid, cheated.Commitment); // commit to another rid: ignored
        rounds[1].AcceptCommit("cat", rounds[2].Rid, rounds[2].Commitment);
        Assert.False(rounds[1].TryReveal());
    }

    [Fact]
    public void A_reveal_that_does_not_match_its_commit_is_tamper()
    {
        RoomCodeRound[] rounds = Rounds(View);
        ExchangeCommits(rounds);
        Assert.True(rounds[0].TryReveal());
        byte[] wrong = (byte[])rounds[0].R.Clone();
        wrong[0] ^= 1;
        Assert.Equal(RevealResult.Tamper, rounds[1].AcceptReveal("ann", rounds[0].Rid, wrong));
        Assert.Equal(RevealResult.Accepted, rounds[1].AcceptReveal("ann", rounds[0].Rid, rounds[0].R)); // control
    }

    [Fact]
    public void Replayed_chat_is_shown_once()
    {
        var inbox = new ChatInbox();
        byte[] chat = AppMessage.Chat(new ChatMessage(RandomNumberGenerator.GetBytes(16), "<script>alert(1)</script>"));
        Assert.True(inbox.TryAccept("bob", chat));
        Assert.False(inbox.TryAccept("bob", chat));
        Assert.True(inbox.TryAccept("cat", chat)); // another sender's mid space
        Assert.Equal("<script>alert(1)</script>", inbox.Messages[0].Text); // kept as text, verbatim
    }
}
