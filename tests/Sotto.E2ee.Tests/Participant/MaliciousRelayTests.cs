using System.Text;
using Sotto.E2ee.Pairwise;
using Sotto.E2ee.Participant;
using Sotto.E2ee.Tests.Pairwise;

namespace Sotto.E2ee.Tests.Participant;

/// <summary>
/// The malicious server of web/e2ee/malicious-server.test.js, from the C# side: it sits between
/// victims X and Y and swaps keys — toward X it plays Y, toward Y it plays X, each time with a full
/// participant of its own. The C# participants are the honest victims and must react exactly as
/// the browser's do: with the link, both fail loudly; without it, the codes they read aloud differ.
/// </summary>
public sealed class MaliciousRelayTests
{
    private static readonly byte[] Room = Encoding.UTF8.GetBytes("тайная-встреча");
    private static readonly byte[] Secret = [.. Enumerable.Repeat((byte)5, 32)];

    private sealed record Middle(E2eeParticipant X, E2eeParticipant Y, E2eeParticipant AsX, E2eeParticipant AsY, List<E2eeEvent> XEvents, List<E2eeEvent> YEvents) : IDisposable
    {
        public void Dispose()
        {
            X.Dispose();
            Y.Dispose();
            AsX.Dispose();
            AsY.Dispose();
        }
    }

    private static Middle KeySwap(string xId, string yId, byte[]? victimSecret, byte[]? attackerSecret)
    {
        var time = new ManualTime();
        var left = new ParticipantRelay();  // X ↔ server-as-Y
        var right = new ParticipantRelay(); // server-as-X ↔ Y
        var xEvents = new List<E2eeEvent>();
        var yEvents = new List<E2eeEvent>();
        E2eeParticipant Make(ParticipantRelay relay, string id, ushort slot, byte[]? secret, List<E2eeEvent>? log)
        {
            var p = new E2eeParticipant(Room, id, slot, secret, "n-" + id, relay.TransportFor(id), log is null ? null : log.Add, time);
            relay.Attach(id, p);
            return p;
        }
        E2eeParticipant x = Make(left, xId, 1, victimSecret, xEvents);
        E2eeParticipant asY = Make(left, yId, 2, attackerSecret, null);
        E2eeParticipant asX = Make(right, xId, 1, attackerSecret, null);
        E2eeParticipant y = Make(right, yId, 2, victimSecret, yEvents);
        x.PeerJoined(yId, 2);
        asY.PeerJoined(xId, 1);
        asX.PeerJoined(yId, 2);
        y.PeerJoined(xId, 1);
        ParticipantRelay.Advance(time, TimeSpan.FromSeconds(22), [left, right], [x, asY, asX, y]);
        return new Middle(x, y, asX, asY, xEvents, yEvents);
    }

    private static string Code(IReadOnlyList<Sotto.E2ee.Codes.SasEmoji>? emoji) => string.Join(",", emoji!.Select(e => e.Number));

    [Theory]
    [InlineData("a", "b")]
    [InlineData("b", "a")]
    public void With_the_link_a_key_swap_fails_loudly_on_both_victims_and_nothing_is_established(string xId, string yId)
    {
        using Middle m = KeySwap(xId, yId, Secret, attackerSecret: null);
        foreach (var (victim, peerId, log) in new[] { (m.X, yId, m.XEvents), (m.Y, xId, m.YEvents) })
        {
            var (state, failure) = victim.PeerState(peerId)!.Value;
            Assert.Equal(ChannelState.Failed, state);
            Assert.Contains(failure, new[] { ChannelFailure.LinkOrTamper, ChannelFailure.NoSecret });
            Assert.Contains(log, e => e.Kind == E2eeEventKind.PeerFailed);
            Assert.Null(victim.SasWith(peerId));
            Assert.DoesNotContain(log, e => e.Kind is E2eeEventKind.PeerEstablished or E2eeEventKind.Chat);
        }
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("b", "a")]
    public void Without_the_link_the_swap_gets_in_but_the_pair_codes_and_room_codes_differ(string xId, string yId)
    {
        using Middle m = KeySwap(xId, yId, victimSecret: null, attackerSecret: null);
        Assert.Equal(ChannelState.Established, m.X.PeerState(yId)!.Value.State);
        Assert.Equal(ChannelState.Established, m.Y.PeerState(xId)!.Value.State);
        Assert.NotEqual(Code(m.X.SasWith(yId)), Code(m.Y.SasWith(xId)));
        // Each victim's code is the one the server shows on its own side of that pair.
        Assert.Equal(Code(m.X.SasWith(yId)), Code(m.AsY.SasWith(xId)));
        Assert.NotEqual(Code(m.X.RoomCodeEmoji), Code(m.Y.RoomCodeEmoji));
    }

    [Fact]
    public void Control_an_insider_server_holding_the_link_gets_in_which_is_why_codes_are_compared()
    {
        using Middle m = KeySwap("a", "b", Secret, Secret);
        Assert.Equal(ChannelState.Established, m.X.PeerState("b")!.Value.State);
        Assert.NotEqual(Code(m.X.SasWith("b")), Code(m.Y.SasWith("a")));
    }
}
