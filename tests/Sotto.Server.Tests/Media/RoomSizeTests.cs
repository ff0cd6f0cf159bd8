using Microsoft.Extensions.DependencyInjection;
using Sotto.Server.Tests.Infrastructure;
using Sotto.Sfu;

namespace Sotto.Server.Tests.Media;

/// <summary>
/// <c>Sotto:Media:MaxParticipantsPerRoom</c>: the room refuses a member the SFU could not give media
/// (docs/protocol.md <c>room-full</c>), so signaling and media agree on a room's size.
/// </summary>
public sealed class RoomSizeTests
{
    private const string Room = "ninety-otter-copper-meadow-17";

    [Fact]
    public async Task A_join_beyond_the_media_limit_is_refused_with_room_full_and_the_first_two_keep_their_media()
    {
        // Rooms:MaxParticipantsPerRoom stays at its default (50): only the media limit says 2.
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:Media:MaxParticipantsPerRoom"] = "2" });
        await using var pair = await MediaPair.StartAsync(server, Room);
        await using var carol = await SignalingClient.ConnectAsync(server);

        var refused = await carol.RequestAsync(new { type = "join", room = Room });
        Assert.Equal("error", (string?)refused["type"]);
        Assert.Equal("room-full", (string?)refused["code"]);

        // Never seated: nobody heard of her, the SFU has the two members only, and their media still flows.
        await pair.Publisher.SyncAsync();
        await pair.Subscriber.SyncAsync();
        Assert.Single(pair.Publisher.Seen, m => (string?)m["type"] == "participant-joined"); // the subscriber's
        Assert.False(pair.Subscriber.HasSeen(m => (string?)m["type"] == "participant-joined"));
        Assert.Equal(2, server.Rooms.ParticipantCount);
        Assert.Equal(2, Assert.Single(server.Services.GetRequiredService<SfuHost>().Routers).ParticipantCount);
        await pair.ExpectMediaAsync();
        // Her connection stays usable: a room with space takes her.
        await carol.JoinAsync("another-quiet-room-with-space");
        Assert.Contains("rooms take at most 2 members", server.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_media_limit_raised_the_third_member_is_seated_with_media()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:Media:MaxParticipantsPerRoom"] = "3" });
        await using var pair = await MediaPair.StartAsync(server, Room);
        await using var carol = await SignalingClient.ConnectAsync(server);

        await carol.JoinAsync(Room);
        // She gets media at once: an offer of the publisher's tracks.
        var offer = await carol.WaitForTypeAsync("subscribe-offer");
        Assert.Contains(offer["tracks"]!.AsArray(), t => (string?)t!["owner"] == pair.Publisher.Id);
        Assert.Equal(3, Assert.Single(server.Services.GetRequiredService<SfuHost>().Routers).ParticipantCount);
        await pair.ExpectMediaAsync();
    }

    [Fact]
    public async Task The_smallest_media_limit_starts()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:Media:MaxParticipantsPerRoom"] = "1" });
        await using var alice = await SignalingClient.ConnectAsync(server);
        await using var bob = await SignalingClient.ConnectAsync(server);
        await alice.JoinAsync(Room);
        Assert.Equal("room-full", (string?)(await bob.RequestAsync(new { type = "join", room = Room }))["code"]);
    }
}
