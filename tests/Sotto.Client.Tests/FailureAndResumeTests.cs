using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Sotto.Client.Tests;

/// <summary>The documented failure of a wrong link secret, and a seat resumed after a lost connection, through the real server.</summary>
public sealed class FailureAndResumeTests
{
    private static ConcurrentQueue<CallEvent> Record(HeadlessParticipant participant)
    {
        var events = new ConcurrentQueue<CallEvent>();
        participant.Event += (_, e) => events.Enqueue(e);
        return events;
    }

    [Fact]
    public async Task A_wrong_link_secret_fails_the_handshake_with_LINK_OR_TAMPER_while_the_right_secret_establishes()
    {
        await using var server = await TestServer.StartAsync();
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        string room = "quiet-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        await using var alice = await HeadlessParticipant.JoinAsync(server.LinkFor(room, secret));
        ConcurrentQueue<CallEvent> aliceEvents = Record(alice);
        await using var mallory = await HeadlessParticipant.JoinAsync(server.LinkFor(room, RandomNumberGenerator.GetBytes(32)));
        ConcurrentQueue<CallEvent> malloryEvents = Record(mallory);
        // Positive control in the same room: the right secret establishes with alice.
        await using var carol = await HeadlessParticipant.JoinAsync(server.LinkFor(room, secret));

        await Eventually.TrueAsync(() => alice.PeerStatus(carol.Id) == "established", "alice and carol establish");
        await Eventually.TrueAsync(() => alice.PeerStatus(mallory.Id) == "failed: LINK_OR_TAMPER", "alice fails mallory");
        await Eventually.TrueAsync(() => mallory.PeerStatus(alice.Id) == "failed: LINK_OR_TAMPER", "mallory fails alice");
        Assert.Contains(aliceEvents, e => e is { Kind: CallEventKind.PeerFailed, Reason: "LINK_OR_TAMPER" } && e.PeerId == mallory.Id);
        Assert.Contains(malloryEvents, e => e.Kind == CallEventKind.PeerFailed);
        Assert.Null(alice.PairCode(mallory.Id));
        Assert.NotNull(alice.PairCode(carol.Id));
        Assert.Equal(1, alice.SendChat("only carol can read this"));
    }

    [Fact]
    public async Task A_dropped_connection_resumes_its_seat_and_the_call_goes_on()
    {
        await using var server = await TestServer.StartAsync();
        string link = server.NewRoomLink();
        await using var alice = await HeadlessParticipant.JoinAsync(link);
        ConcurrentQueue<CallEvent> aliceEvents = Record(alice);
        await using var bob = await HeadlessParticipant.JoinAsync(link);
        ConcurrentQueue<CallEvent> bobEvents = Record(bob);
        await Eventually.TrueAsync(() => alice.PeerStatus(bob.Id) == "established" && bob.PeerStatus(alice.Id) == "established", "established");
        await bob.PublishAsync([Fixtures.Audio()]);
        await Eventually.TrueAsync(() => alice.RemoteTracks.Any(t => t.FramesValid > 10), "alice hears bob");

        alice.SimulateNetworkLoss();
        await Eventually.TrueAsync(() => aliceEvents.Any(e => e.Kind == CallEventKind.Disconnected), "alice notices the loss");
        await alice.ResumeAsync();

        Assert.Equal(1, alice.SendChat("still here"));
        await Eventually.TrueAsync(() => bobEvents.Any(e => e is { Kind: CallEventKind.Chat, Text: "still here" }), "chat after the resume");
        long before = alice.RemoteTracks.Single().FramesValid;
        await Eventually.TrueAsync(() => alice.RemoteTracks.Single().FramesValid > before + 25, "media keeps flowing");
        Assert.DoesNotContain(bobEvents, e => e.Kind == CallEventKind.ParticipantLeft);
        Assert.Equal("established", bob.PeerStatus(alice.Id));
    }
}
