using System.Net;
using Sotto.Rooms;
using Sotto.Server.Media;
using Sotto.Sfu;
using Sotto.Sfu.Negotiation;

namespace Sotto.Server.Tests.Media;

/// <summary>
/// Rooms and the SFU count a room's members apart: a place freed in the room is freed in the SFU only once
/// the leaver's media has ended, which runs off the room's lock. A member admitted in between must still get media.
/// </summary>
public sealed class MediaSessionsTests
{
    private const string Room = "silver-heron-quartz-valley-58";

    [Fact]
    public async Task A_place_freed_while_the_leavers_media_end_is_still_due_goes_to_the_next_member()
    {
        await using var sfu = NewSfu(mediaLimit: 2);
        var rooms = NewRooms(roomLimit: 2);
        var sessions = new MediaSessions(sfu);
        var alice = Join(rooms);
        var bob = Join(rooms);
        sessions.GetOrJoin(alice);
        sessions.GetOrJoin(bob);

        // Bob's seat is gone; the end of his media is due but has not run yet (its work item is still queued).
        bob.Leave();
        sessions.MarkEndDue(bob.Info.Id);
        var carol = Join(rooms);

        var session = sessions.GetOrJoin(carol);
        Assert.Same(session, sessions.Find(carol.Info.Id));
        Assert.Null(sessions.Find(bob.Info.Id));
        var router = sfu.FindRouter(alice.Room.LogId)!;
        Assert.Equal(2, router.ParticipantCount);
        Assert.Null(router.FindParticipant(bob.Info.Id));
    }

    [Fact]
    public async Task With_no_end_due_a_full_router_still_refuses()
    {
        // Control: a room that admits more than the SFU takes (only possible when built by hand, as here).
        await using var sfu = NewSfu(mediaLimit: 1);
        var rooms = NewRooms(roomLimit: 2);
        var sessions = new MediaSessions(sfu);
        var alice = Join(rooms);
        var bob = Join(rooms);
        sessions.GetOrJoin(alice);

        var refused = Assert.Throws<SfuNegotiationException>(() => sessions.GetOrJoin(bob));
        Assert.Equal("room-full", refused.Code);
        Assert.Null(sessions.Find(bob.Info.Id));
        Assert.Equal(1, sfu.FindRouter(alice.Room.LogId)!.ParticipantCount);
    }

    private static SfuHost NewSfu(int mediaLimit) =>
        new(new SfuOptions { Port = 0, BindAddress = IPAddress.Loopback, MaxParticipantsPerRoom = mediaLimit });

    private static RoomRegistry NewRooms(int roomLimit) =>
        new(new RoomsOptions { MaxParticipantsPerRoom = roomLimit }, TimeProvider.System, new RoomNameHasher());

    private static Participant Join(RoomRegistry rooms)
    {
        Assert.True(RoomKey.TryParse(Room, out var key));
        var result = rooms.Join(new JoinRequest(key, null, null, null), new QuietSink());
        Assert.True(result.Succeeded, result.Error.ToString());
        return result.Participant!;
    }

    /// <summary>A member's connection that takes every room event and does nothing with it.</summary>
    private sealed class QuietSink : IParticipantSink
    {
        public bool TryDeliver(RoomEvent roomEvent) => true;

        public void Abort(SeatEndReason reason)
        {
        }

        public void DrainUndelivered(ICollection<RoomEvent> into)
        {
        }
    }
}
