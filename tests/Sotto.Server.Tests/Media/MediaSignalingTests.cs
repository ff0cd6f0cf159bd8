using Sotto.Rtc.Rtp;
using Sotto.Rtc.Sdp;
using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests.Media;

/// <summary>The media messages of /ws (docs/protocol.md "Media") against the real host, with real UDP media on loopback.</summary>
public sealed class MediaSignalingTests
{
    private const string Room = "quietly-amber-harbor-lantern-42";

    [Fact]
    public async Task Publish_is_answered_and_the_other_member_subscribes_and_receives_media()
    {
        await using var server = await RunningServer.StartAsync();
        await using var alice = await SignalingClient.ConnectAsync(server);
        await using var bob = await SignalingClient.ConnectAsync(server);
        await alice.JoinAsync(Room);
        await bob.JoinAsync(Room);
        await using var alicePublish = new MediaPeer();
        await using var bobSubscribe = new MediaPeer();

        var reply = await alice.RequestAsync(new
        {
            type = "publish",
            sdp = alicePublish.PublishOffer(),
            tracks = new[] { new { mid = "0", source = "mic" }, new { mid = "1", source = "camera" } },
        });
        Assert.Equal("publish-answer", (string?)reply["type"]);
        var answer = SessionDescription.Parse((string)reply["sdp"]!);
        Assert.True(answer.IsIceLite);
        Assert.All(answer.Media, m => Assert.Equal(SetupRole.Passive, answer.GetSetup(m)));
        await alicePublish.ConnectAsync((string)reply["sdp"]!);

        var offer = await bob.WaitForTypeAsync("subscribe-offer");
        Assert.Equal(1, (int)offer["version"]!);
        var tracks = offer["tracks"]!.AsArray().Select(t => t!.AsObject()).ToList();
        Assert.Equal(["mic", "camera"], tracks.Select(t => (string?)t["source"]));
        Assert.Equal(["audio", "video"], tracks.Select(t => (string?)t["kind"]));
        Assert.All(tracks, t => Assert.Equal(alice.Id, (string?)t["owner"]));
        Assert.All(tracks, t => Assert.Equal(alice.Slot, (int)t["slot"]!));
        // Alice has no remote track yet: no offer for her.
        await alice.SyncAsync();
        Assert.False(alice.HasSeen(m => (string?)m["type"] == "subscribe-offer"));

        var ok = await bob.RequestAsync(new { type = "subscribe-answer", version = 1, sdp = bobSubscribe.SubscribeAnswer((string)offer["sdp"]!) });
        Assert.Equal("ok", (string?)ok["type"]);
        await bobSubscribe.ConnectAsync((string)offer["sdp"]!);

        var cameraMid = (string)tracks[1]["mid"]!;
        var cameraSsrc = SessionDescription.Parse((string)offer["sdp"]!).FindMedia(cameraMid)!.SsrcGroups[0].Ssrcs[0];
        // Key frames until one arrives: our client counts as connected on the server's last DTLS flight, a moment
        // before the server's side of the subscribe transport has its keys, and a packet forwarded then is dropped.
        ushort sequence = 1;
        await WaitUntil(() =>
        {
            Assert.True(alicePublish.Transport!.SendRtp(MediaPair.Vp8KeyFrame(sequence++)));
            return bobSubscribe.Rtp.Any(p => RtpPacket.TryParse(p, out var r) && r.Ssrc == cameraSsrc);
        });

        // A stale or repeated answer is refused with its own code; the connection stays.
        var stale = await bob.RequestAsync(new { type = "subscribe-answer", version = 1, sdp = bobSubscribe.SubscribeAnswer((string)offer["sdp"]!) });
        Assert.Equal("bad-version", (string?)stale["code"]);

        // Alice leaves: Bob is renegotiated to an offer without tracks (the m-lines stay, inactive).
        await alice.RequestAsync(new { type = "leave" });
        var after = await bob.WaitForTypeAsync("subscribe-offer");
        Assert.Equal(2, (int)after["version"]!);
        Assert.Empty(after["tracks"]!.AsArray());
        Assert.DoesNotContain("a=sendonly", (string)after["sdp"]!, StringComparison.Ordinal);

        using var http = server.CreateHttpClient();
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("sotto_media_packets_forwarded", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(Room, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_publish_requests_get_their_error_codes_and_the_connection_stays()
    {
        await using var server = await RunningServer.StartAsync();
        await using var alice = await SignalingClient.ConnectAsync(server);
        await alice.JoinAsync(Room);
        await using var peer = new MediaPeer();

        async Task<string?> Code(object request) => (string?)(await alice.RequestAsync(request))["code"];

        Assert.Equal("invalid-message", await Code(new { type = "publish", tracks = Array.Empty<object>() }));
        Assert.Equal("invalid-message", await Code(new { type = "publish", sdp = peer.PublishOffer(), tracks = new[] { new { mid = "0", source = "radio" } } }));
        Assert.Equal("bad-sdp", await Code(new { type = "publish", sdp = "v=0\r\n", tracks = Array.Empty<object>() }));
        Assert.Equal("bad-tracks", await Code(new { type = "publish", sdp = peer.PublishOffer(), tracks = new[] { new { mid = "0", source = "mic" } } }));
        Assert.Equal("bad-tracks", await Code(new { type = "publish", sdp = peer.PublishOffer(), tracks = new[] { new { mid = "0", source = "camera" }, new { mid = "1", source = "camera" } } }));
        Assert.Equal("bad-version", await Code(new { type = "subscribe-answer", version = 3, sdp = peer.PublishOffer() }));
        // Positive control: the same connection publishes fine.
        var reply = await alice.RequestAsync(new { type = "publish", sdp = peer.PublishOffer(), tracks = new[] { new { mid = "0", source = "mic" }, new { mid = "1", source = "camera" } } });
        Assert.Equal("publish-answer", (string?)reply["type"]);
    }

    [Fact]
    public async Task Media_settings_are_validated_and_accepted()
    {
        await using var server = await RunningServer.StartAsync();
        await using var alice = await SignalingClient.ConnectAsync(server);
        await alice.JoinAsync(Room);

        async Task<string?> Type(object request) => (string?)(await alice.RequestAsync(request))["type"];
        async Task<string?> Code(object request) => (string?)(await alice.RequestAsync(request))["code"];

        Assert.Equal("invalid-message", await Code(new { type = "media-settings", views = new[] { new { mid = "", width = 10, height = 10 } } }));
        Assert.Equal("invalid-message", await Code(new { type = "media-settings", views = new[] { new { mid = "1", width = -1, height = 10 } } }));
        Assert.Equal("invalid-message", await Code(new { type = "media-settings", views = new[] { new { mid = "1", width = 10, height = 100_000 } } }));
        Assert.Equal("invalid-message", await Code(new { type = "media-settings", pinned = new[] { "not an id" } }));
        Assert.Equal("invalid-message", await Code(new { type = "media-settings", views = Enumerable.Range(0, 65).Select(i => new { mid = i.ToString(System.Globalization.CultureInfo.InvariantCulture), width = 1, height = 1 }).ToArray() }));
        // Positive control: well-formed settings (an unknown mid is ignored) are acknowledged.
        Assert.Equal("ok", await Type(new { type = "media-settings", audioOnly = false, views = new object[] { new { mid = "1", width = 320, height = 180 }, new { mid = "2", hidden = true } } }));
    }

    [Fact]
    public async Task A_member_who_vanishes_loses_its_media_at_consent_expiry_and_the_others_are_renegotiated()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:Media:ConsentTimeout"] = "00:00:02" });
        await using var alice = await SignalingClient.ConnectAsync(server);
        await using var bob = await SignalingClient.ConnectAsync(server);
        await alice.JoinAsync(Room);
        await bob.JoinAsync(Room);
        var alicePublish = new MediaPeer();
        var reply = await alice.RequestAsync(new { type = "publish", sdp = alicePublish.PublishOffer(), tracks = new[] { new { mid = "0", source = "mic" }, new { mid = "1", source = "camera" } } });
        await alicePublish.ConnectAsync((string)reply["sdp"]!);
        var first = await bob.WaitForTypeAsync("subscribe-offer");
        await using var bobSubscribe = new MediaPeer();
        await bob.RequestAsync(new { type = "subscribe-answer", version = 1, sdp = bobSubscribe.SubscribeAnswer((string)first["sdp"]!) });

        // Alice's network dies: no leave, no DTLS close; the WebSocket is dropped too.
        await alicePublish.DisposeAsync();
        alice.Drop();

        var after = await bob.WaitForTypeAsync("subscribe-offer", TimeSpan.FromSeconds(15));
        Assert.Empty(after["tracks"]!.AsArray());
    }

    [Fact]
    public async Task A_resumed_connection_gets_the_unanswered_subscribe_offer_again_and_media_stays()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Rooms:ResumeWindow"] = "00:00:30" });
        await using var alice = await SignalingClient.ConnectAsync(server);
        var bob = await SignalingClient.ConnectAsync(server);
        await alice.JoinAsync(Room);
        await bob.JoinAsync(Room);
        await using var alicePublish = new MediaPeer();
        var reply = await alice.RequestAsync(new { type = "publish", sdp = alicePublish.PublishOffer(), tracks = new[] { new { mid = "0", source = "mic" }, new { mid = "1", source = "camera" } } });
        Assert.Equal("publish-answer", (string?)reply["type"]);
        var first = await bob.WaitForTypeAsync("subscribe-offer");

        // Bob's WebSocket drops before he answers; he resumes on a new connection.
        var token = bob.ResumeToken;
        bob.Drop();
        await bob.DisposeAsync();
        await using var back = await SignalingClient.ConnectAsync(server);
        Assert.Equal("joined", (string?)(await back.RequestAsync(new { type = "resume", token }))["type"]);
        var again = await back.WaitForTypeAsync("subscribe-offer");
        Assert.Equal((int)first["version"]!, (int)again["version"]!);
        Assert.Equal((string?)first["sdp"], (string?)again["sdp"]);
        await using var backSubscribe = new MediaPeer();
        var ok = await back.RequestAsync(new { type = "subscribe-answer", version = (int)again["version"]!, sdp = backSubscribe.SubscribeAnswer((string)again["sdp"]!) });
        Assert.Equal("ok", (string?)ok["type"]);
        await backSubscribe.ConnectAsync((string)again["sdp"]!);
    }

    [Fact]
    public async Task A_guest_admitted_from_the_lobby_gets_media()
    {
        await using var server = await RunningServer.StartAsync();
        await using var mod = await SignalingClient.ConnectAsync(server);
        await using var guest = await SignalingClient.ConnectAsync(server);
        await mod.JoinAsync(Room);
        await using var modPublish = new MediaPeer();
        await mod.RequestAsync(new { type = "publish", sdp = modPublish.PublishOffer(), tracks = new[] { new { mid = "0", source = "mic" }, new { mid = "1", source = "camera" } } });
        Assert.Equal("ok", (string?)(await mod.RequestAsync(new { type = "lock", locked = true }))["type"]);

        await guest.JoinAsync(Room, expect: "lobby");
        // In the lobby: no media, no offers.
        var refused = await guest.RequestAsync(new { type = "publish", sdp = modPublish.PublishOffer(), tracks = Array.Empty<object>() });
        Assert.Equal("wrong-state", (string?)refused["code"]);
        Assert.False(guest.HasSeen(m => (string?)m["type"] == "subscribe-offer"));

        await mod.WaitForTypeAsync("knock");
        Assert.Equal("ok", (string?)(await mod.RequestAsync(new { type = "admit", target = guest.Id }))["type"]);
        var offer = await guest.WaitForTypeAsync("subscribe-offer");
        Assert.All(offer["tracks"]!.AsArray(), t => Assert.Equal(mod.Id, (string?)t!["owner"]));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + SignalingClient.DefaultTimeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }

}
