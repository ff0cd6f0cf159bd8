namespace Sotto.Rooms.Tests;

public sealed class RoomTests
{
    private static RoomRegistry NewRegistry(Action<RoomsOptions>? configure = null)
    {
        var options = new RoomsOptions { PasswordIterations = 1000 };
        configure?.Invoke(options);
        return new RoomRegistry(options, TimeProvider.System, new RoomNameHasher());
    }

    private static RoomKey Key(string name = "copper-lantern-orbit-velvet-harbor-moss")
    {
        Assert.True(RoomKey.TryParse(name, out var key));
        return key;
    }

    private static (Participant Participant, RecordingSink Sink) Join(RoomRegistry rooms, string? password = null, RoomKey? key = null, Func<bool>? tryKnock = null)
    {
        var sink = new RecordingSink();
        var result = rooms.Join(new JoinRequest(key ?? Key(), password, tryKnock, null), sink);
        Assert.True(result.Succeeded, result.Error.ToString());
        return (result.Participant!, sink);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached");
            await Task.Delay(10);
        }
    }

    [Fact]
    public void Ids_are_opaque_and_well_formed_slots_count_up_and_neither_is_reused()
    {
        var rooms = NewRegistry();
        var (anchor, _) = Join(rooms);
        var ids = new HashSet<string>(StringComparer.Ordinal) { anchor.Info.Id };
        ushort lastSlot = anchor.Info.Slot;
        Assert.Equal(1, lastSlot);
        for (var i = 0; i < 200; i++)
        {
            var (p, _) = Join(rooms);
            Assert.Matches("^[A-Za-z0-9_-]{1,64}$", p.Info.Id);
            Assert.True(ids.Add(p.Info.Id));
            Assert.Equal(lastSlot + 1, p.Info.Slot);
            lastSlot = p.Info.Slot;
            p.Leave();
        }
    }

    [Fact]
    public void Slots_run_out_at_65535_and_are_never_recycled()
    {
        var rooms = NewRegistry();
        var (anchor, _) = Join(rooms);
        for (var i = 2; i <= Room.MaxSlot; i++)
            Join(rooms).Participant.Leave();
        var result = rooms.Join(new JoinRequest(Key(), null, null, null), new RecordingSink());
        Assert.Equal(RoomError.SlotsExhausted, result.Error);
        anchor.Leave();
        // A fresh room (the old one closed when empty) starts again at slot 1.
        Assert.Equal(1, Join(rooms).Participant.Info.Slot);
    }

    [Fact]
    public void The_first_member_moderates_and_the_role_passes_to_the_earliest_remaining()
    {
        var rooms = NewRegistry();
        var (a, aSink) = Join(rooms);
        var (b, bSink) = Join(rooms);
        var (c, cSink) = Join(rooms);
        Assert.True(aSink.Last<JoinedEvent>().IsModerator);
        Assert.False(bSink.Last<JoinedEvent>().IsModerator);
        Assert.Equal(RoomError.NotModerator, b.SetLocked(true));

        a.Leave();
        Assert.Equal(b.Info, bSink.Last<ModeratorChangedEvent>().Moderator);
        Assert.Equal(b.Info, cSink.Last<ModeratorChangedEvent>().Moderator);
        Assert.Equal(RoomError.None, b.SetLocked(true));
        Assert.Equal(RoomError.NotModerator, c.SetLocked(false));
    }

    [Fact]
    public void The_room_disappears_when_the_last_member_leaves_and_the_lobby_is_turned_away()
    {
        var rooms = NewRegistry();
        var (a, _) = Join(rooms);
        a.SetLocked(true);
        var (waiting, waitingSink) = Join(rooms);
        Assert.IsType<LobbyEvent>(waitingSink.Events[0]);
        a.Leave();
        Assert.Equal(DenyReason.RoomClosed, waitingSink.Last<DeniedEvent>().Reason);
        Assert.Equal(0, rooms.RoomCount);
        Assert.Equal(0, rooms.ParticipantCount);
        Assert.False(rooms.TryFind(Key(), out _));
        Assert.Equal(RoomError.WrongState, waiting.SendBlob("*", "x"));
    }

    [Fact]
    public void Blobs_keep_their_order_and_follow_the_addressing_rules()
    {
        var rooms = NewRegistry();
        var (a, aSink) = Join(rooms);
        var (b, bSink) = Join(rooms);
        a.SetLocked(true);
        var (l1, l1Sink) = Join(rooms);
        var (l2, _) = Join(rooms);

        for (var i = 0; i < 100; i++)
            Assert.Equal(RoomError.None, a.SendBlob(b.Info.Id, "m" + i));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => "m" + i), bSink.All<E2eeEvent>().Select(e => e.Blob));
        Assert.All(bSink.All<E2eeEvent>(), e => Assert.Equal(a.Info.Id, e.From));

        Assert.Equal(RoomError.None, l1.SendBlob("*", "knock-knock"));
        Assert.Equal("knock-knock", aSink.Last<E2eeEvent>().Blob);
        Assert.Equal("knock-knock", bSink.Last<E2eeEvent>().Blob);
        Assert.Equal(RoomError.InvalidTarget, l1.SendBlob(l2.Info.Id, "lobby-to-lobby"));
        Assert.Equal(RoomError.InvalidTarget, a.SendBlob(a.Info.Id, "self"));
        Assert.Equal(RoomError.UnknownParticipant, a.SendBlob("nobody", "x"));
        Assert.Equal(RoomError.None, a.SendBlob("*", "members-only"));
        Assert.DoesNotContain(l1Sink.All<E2eeEvent>(), e => e.Blob == "members-only");
        Assert.Equal(RoomError.None, a.SendBlob(l1.Info.Id, "to-lobby"));
        Assert.Equal("to-lobby", l1Sink.Last<E2eeEvent>().Blob);
    }

    [Fact]
    public void A_disconnected_seat_buffers_and_a_resume_replays_in_order_with_a_fresh_token()
    {
        var rooms = NewRegistry();
        var (a, _) = Join(rooms);
        var (b, bSink) = Join(rooms);
        var token = bSink.Last<JoinedEvent>().ResumeToken;
        b.Disconnect(bSink);
        for (var i = 0; i < 10; i++)
            a.SendBlob(b.Info.Id, "buffered-" + i);
        var (c, _) = Join(rooms);

        var newSink = new RecordingSink();
        var resumed = rooms.Resume(token, newSink, "req");
        Assert.True(resumed.Succeeded);
        var joined = Assert.IsType<JoinedEvent>(newSink.Events[0]);
        Assert.True(joined.Resumed);
        Assert.Equal("req", joined.RequestId);
        Assert.Equal(b.Info, joined.Self);
        Assert.NotEqual(token, joined.ResumeToken);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "buffered-" + i), newSink.All<E2eeEvent>().Select(e => e.Blob));
        Assert.Equal(c.Info, newSink.Last<ParticipantJoinedEvent>().Participant);
        Assert.Equal(RoomError.ResumeFailed, rooms.Resume(token, new RecordingSink(), null).Error);
    }

    [Fact]
    public async Task A_seat_not_resumed_in_time_leaves_with_reason_timeout()
    {
        var rooms = NewRegistry(o => o.ResumeWindow = TimeSpan.FromMilliseconds(200));
        var (_, aSink) = Join(rooms);
        var (b, bSink) = Join(rooms);
        b.Disconnect(bSink);
        await WaitUntil(() => aSink.All<ParticipantLeftEvent>().Any());
        var left = aSink.Last<ParticipantLeftEvent>();
        Assert.Equal(b.Info, left.Participant);
        Assert.Equal(LeaveReason.Timeout, left.Reason);
    }

    [Fact]
    public void A_connection_that_cannot_keep_up_loses_its_seat_and_the_others_are_told()
    {
        var rooms = NewRegistry();
        var (a, aSink) = Join(rooms);
        var slowSink = new RecordingSink(capacity: 3);
        var slow = rooms.Join(new JoinRequest(Key(), null, null, null), slowSink).Participant!;
        for (var i = 0; i < 5; i++)
            a.SendBlob(slow.Info.Id, "x");
        Assert.Equal(SeatEndReason.Overflow, slowSink.AbortedWith);
        Assert.Equal(LeaveReason.Dropped, aSink.Last<ParticipantLeftEvent>().Reason);
        Assert.Equal(1, rooms.ParticipantCount);
    }

    [Fact]
    public void Limits_refuse_with_their_errors()
    {
        var rooms = NewRegistry(o => { o.MaxParticipantsPerRoom = 2; o.MaxRooms = 1; o.MaxLobbyPerRoom = 1; });
        var (a, _) = Join(rooms);
        Join(rooms);
        Assert.Equal(RoomError.RoomFull, rooms.Join(new JoinRequest(Key(), null, null, null), new RecordingSink()).Error);
        Assert.Equal(RoomError.ServerFull, rooms.Join(new JoinRequest(Key("another-room"), null, null, null), new RecordingSink()).Error);
        a.SetLocked(true);
        Join(rooms);
        Assert.Equal(RoomError.LobbyFull, rooms.Join(new JoinRequest(Key(), null, null, null), new RecordingSink()).Error);
    }

    [Fact]
    public void A_refused_knock_leaves_no_trace()
    {
        var rooms = NewRegistry();
        var (a, aSink) = Join(rooms);
        a.SetLocked(true);
        var result = rooms.Join(new JoinRequest(Key(), null, () => false, null), new RecordingSink());
        Assert.Equal(RoomError.KnockRefused, result.Error);
        Assert.Empty(aSink.All<KnockEvent>());
        Assert.Equal(1, rooms.ParticipantCount);
    }

    [Fact]
    public void Passwords_are_checked_and_changing_them_tells_the_members()
    {
        var rooms = NewRegistry();
        var (a, aSink) = Join(rooms);
        Assert.Equal(RoomError.InvalidPassword, a.SetPassword(""));
        Assert.Equal(RoomError.None, a.SetPassword("пароль-1"));
        Assert.True(aSink.Last<PasswordChangedEvent>().PasswordSet);
        Assert.Equal(RoomError.PasswordRequired, rooms.Join(new JoinRequest(Key(), null, null, null), new RecordingSink()).Error);
        Assert.Equal(RoomError.WrongPassword, rooms.Join(new JoinRequest(Key(), "пароль-2", null, null), new RecordingSink()).Error);
        // The NFC form of the same password matches (и + breve vs й).
        Assert.Equal(RoomError.None, a.SetPassword("\u0439"));
        Join(rooms, "\u0438\u0306");
    }

    [Fact]
    public void Moderator_remove_and_end()
    {
        var rooms = NewRegistry();
        var (a, aSink) = Join(rooms);
        var (b, bSink) = Join(rooms);
        var (c, cSink) = Join(rooms);
        Assert.Equal(RoomError.InvalidTarget, a.Remove(a.Info.Id));
        Assert.Equal(RoomError.None, a.Remove(c.Info.Id));
        Assert.IsType<RemovedEvent>(cSink.Events[^1]);
        Assert.Equal(LeaveReason.Removed, bSink.Last<ParticipantLeftEvent>().Reason);
        Assert.Equal(RoomError.None, a.MuteAll());
        Assert.Equal(a.Info, bSink.Last<MuteRequestedEvent>().By);
        Assert.Empty(aSink.All<MuteRequestedEvent>());
        Assert.Equal(RoomError.None, a.End());
        Assert.IsType<RoomEndedEvent>(aSink.Events[^1]);
        Assert.IsType<RoomEndedEvent>(bSink.Events[^1]);
        Assert.Equal(0, rooms.RoomCount);
        Assert.Equal(RoomError.WrongState, b.SendBlob("*", "after-end"));
    }

    [Fact]
    public async Task Concurrent_joins_and_leaves_across_and_within_rooms_stay_consistent()
    {
        var rooms = NewRegistry(o => o.MaxParticipantsPerRoom = 1000);
        var keys = Enumerable.Range(0, 8).Select(i => Key("room-" + i)).ToArray();
        var slotsByRoom = keys.ToDictionary(k => k, _ => new System.Collections.Concurrent.ConcurrentBag<ushort>());
        var anchors = keys.Select(k => Join(rooms, key: k).Participant).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                var key = keys[(worker + i) % keys.Length];
                var result = rooms.Join(new JoinRequest(key, null, null, null), new RecordingSink());
                Assert.True(result.Succeeded);
                slotsByRoom[key].Add(result.Participant!.Info.Slot);
                a(result.Participant!);
            }
            static void a(Participant p) => p.Leave();
        })));
        foreach (var bag in slotsByRoom.Values)
            Assert.Equal(bag.Count, bag.Distinct().Count());
        Assert.Equal(keys.Length, rooms.ParticipantCount);
        foreach (var anchor in anchors)
            anchor.Leave();
        Assert.Equal(0, rooms.RoomCount);
        Assert.Equal(0, rooms.ParticipantCount);
    }
}
