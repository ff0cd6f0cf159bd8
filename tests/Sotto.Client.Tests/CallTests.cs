using System.Collections.Concurrent;

namespace Sotto.Client.Tests;

/// <summary>Two headless participants through the real server (signaling, SFU, UDP on loopback).</summary>
public sealed class CallTests
{
    private static string Code(IReadOnlyList<CodeEmoji>? code) => code is null ? "" : string.Concat(code.Select(e => e.Emoji));

    private sealed class Recorder
    {
        public ConcurrentQueue<CallEvent> Events { get; } = new();

        public void On(object? sender, CallEvent e) => Events.Enqueue(e);
    }

    [Fact]
    public async Task Two_headless_participants_agree_on_codes_chat_both_ways_and_decrypt_each_others_real_media()
    {
        await using var server = await TestServer.StartAsync();
        string link = server.NewRoomLink();
        var aliceEvents = new Recorder();
        var bobEvents = new Recorder();
        await using var alice = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = "Алиса" });
        alice.Event += aliceEvents.On;
        await using var bob = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = "Bob" });
        bob.Event += bobEvents.On;

        await Eventually.TrueAsync(() => alice.RoomCode is not null && bob.RoomCode is not null, "both room codes");
        Assert.Equal(Code(alice.PairCode(bob.Id)), Code(bob.PairCode(alice.Id)));
        Assert.Equal(7, alice.PairCode(bob.Id)!.Count);
        Assert.Equal(Code(alice.RoomCode), Code(bob.RoomCode));
        Assert.Equal(2, alice.RoomCodeSize);
        Assert.Equal("Алиса", bob.PeerName(alice.Id));
        Assert.True(alice.ProtectedByLink);

        Assert.Equal(1, alice.SendChat("привет, Боб"));
        Assert.Equal(1, bob.SendChat("hi Alice 👋"));
        await Eventually.TrueAsync(() => bobEvents.Events.Any(e => e is { Kind: CallEventKind.Chat, Text: "привет, Боб" }), "chat to bob");
        await Eventually.TrueAsync(() => aliceEvents.Events.Any(e => e is { Kind: CallEventKind.Chat, Text: "hi Alice 👋" }), "chat to alice");

        await alice.PublishAsync([Fixtures.Audio(), Fixtures.Video()]);
        await bob.PublishAsync([Fixtures.Audio()]);

        await Eventually.TrueAsync(() => bob.RemoteTracks.Any(t => t is { Source: "camera", KeyFramesDecrypted: > 0 }), "bob decrypts alice's key frame");
        await Eventually.TrueAsync(() => bob.RemoteTracks.Any(t => t is { Source: "camera", FramesValid: >= 20 }), "bob decrypts 20 valid VP8 frames");
        await Eventually.TrueAsync(() => bob.RemoteTracks.Any(t => t is { Source: "mic", FramesValid: >= 50 }), "bob decrypts 50 valid Opus packets");
        await Eventually.TrueAsync(() => alice.RemoteTracks.Any(t => t is { Source: "mic", FramesValid: >= 50 }), "alice decrypts bob's Opus");
        RemoteTrackStats camera = bob.RemoteTracks.Single(t => t.Source == "camera");
        Assert.Equal((320, 240), (camera.Width, camera.Height));
        Assert.Equal(alice.Id, camera.OwnerId);
        Assert.All(bob.RemoteTracks, t => Assert.Equal(t.FramesDecrypted, t.FramesValid + t.EmptyFrames));
        Assert.Equal(0, alice.FramesUnencryptable);

        // A well-behaved receiver: receiver reports and transport-cc feedback flow.
        await Eventually.TrueAsync(() => bob.RtcpSent.Reports > 0 && bob.RtcpSent.Feedback > 0, "bob's RR and transport-cc feedback");

        await bob.LeaveAsync();
        await Eventually.TrueAsync(() => aliceEvents.Events.Any(e => e.Kind == CallEventKind.ParticipantLeft && e.PeerId == bob.Id), "alice sees bob leave");
        Assert.Equal("left", alice.PeerStatus(bob.Id));
    }
}
