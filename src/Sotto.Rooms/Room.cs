namespace Sotto.Rooms;

/// <summary>
/// One room: membership, lobby, moderator, lock, password. All state is guarded by this room's own lock
/// (no lock is shared between rooms), and every event is delivered under it, so each participant sees
/// events — including E2EE blobs from one sender — in the order they happened.
/// </summary>
public sealed class Room
{
    public const int MaxSlot = ushort.MaxValue;
    public const string Everyone = "*";

    // Passed by argument.
    private readonly RoomRegistry _registry;
    private readonly RoomsOptions _options;
    private readonly TimeProvider _time;

    // Allocated by this.
    private readonly Lock _sync = new();
    private readonly Dictionary<string, Seat> _seatsById = new(StringComparer.Ordinal);
    private readonly HashSet<string> _issuedIds = new(StringComparer.Ordinal);
    private readonly List<Seat> _members = [];
    private readonly List<Seat> _lobby = [];
    private int _nextSlot = 1;
    private long _nextMemberOrder;
    private Seat? _moderator;
    private bool _locked;
    private PasswordVerifier? _password;
    private bool _closed;

    internal Room(RoomKey key, string logId, RoomRegistry registry, RoomsOptions options, TimeProvider time)
    {
        Key = key;
        LogId = logId;
        _registry = registry;
        _options = options;
        _time = time;
    }

    public RoomKey Key { get; }

    /// <summary>Keyed hash of the name: the only form of it that may appear in logs.</summary>
    public string LogId { get; }

    public int MemberCount
    {
        get { lock (_sync) return _members.Count; }
    }

    internal PasswordVerifier? CurrentPassword
    {
        get { lock (_sync) return _password; }
    }

    // ---- join and resume ----

    /// <summary>
    /// Joins under the lock. <paramref name="passwordSeen"/> is the verifier the caller checked the password
    /// against outside the lock (PBKDF2 is slow); if it changed meanwhile, or the room closed, the caller retries.
    /// </summary>
    internal JoinResult TryJoin(JoinRequest request, IParticipantSink sink, PasswordVerifier? passwordSeen, bool passwordOk, out bool retry)
    {
        lock (_sync)
        {
            retry = _closed || !ReferenceEquals(_password, passwordSeen);
            if (retry)
                return default;
            var result = JoinLocked(request, sink, passwordOk);
            if (_members.Count == 0 && _lobby.Count == 0)
                CloseLocked();
            Settle();
            return result;
        }
    }

    private JoinResult JoinLocked(JoinRequest request, IParticipantSink sink, bool passwordOk)
    {
        if (_password is not null)
        {
            if (request.Password is null)
                return JoinResult.Failed(RoomError.PasswordRequired);
            if (!passwordOk)
                return JoinResult.Failed(RoomError.WrongPassword);
        }
        if (_nextSlot > MaxSlot)
            return JoinResult.Failed(RoomError.SlotsExhausted);

        if (_locked)
        {
            if (_lobby.Count >= _options.MaxLobbyPerRoom)
                return JoinResult.Failed(RoomError.LobbyFull);
            if (request.TryKnock is { } tryKnock && !tryKnock())
                return JoinResult.Failed(RoomError.KnockRefused);
            var waiting = NewSeat(sink, inLobby: true);
            _lobby.Add(waiting);
            Deliver(waiting, new LobbyEvent(waiting.Info, IssueToken(waiting), request.RequestId, Resumed: false));
            if (_moderator is not null)
                Deliver(_moderator, new KnockEvent(waiting.Info));
            waiting.LobbyTimer = _time.CreateTimer(
                _ => OnLobbyWaitOver(waiting), null, _options.LobbyWait, Timeout.InfiniteTimeSpan);
            return JoinResult.Waiting(new Participant(this, waiting));
        }

        if (_members.Count >= _options.MaxParticipantsPerRoom)
            return JoinResult.Failed(RoomError.RoomFull);
        var seat = NewSeat(sink, inLobby: false);
        AdmitLocked(seat, request.RequestId);
        return JoinResult.Member(new Participant(this, seat));
    }

    private Seat NewSeat(IParticipantSink sink, bool inLobby)
    {
        string id;
        do
        {
            id = RandomTokens.NewParticipantId();
        }
        while (!_issuedIds.Add(id));
        var seat = new Seat(id, (ushort)_nextSlot++) { InLobby = inLobby, Sink = sink };
        _seatsById.Add(id, seat);
        _registry.AdjustParticipants(+1);
        return seat;
    }

    /// <summary>Makes <paramref name="seat"/> a member and tells everyone, the newcomer first.</summary>
    private void AdmitLocked(Seat seat, string? requestId)
    {
        seat.InLobby = false;
        seat.MemberOrder = _nextMemberOrder++;
        _members.Add(seat);
        _moderator ??= seat;
        var token = seat.ResumeTokenHash is null ? IssueToken(seat) : RotateToken(seat);
        Deliver(seat, Snapshot(seat, token, requestId, resumed: false));
        foreach (var other in _members)
        {
            if (other != seat)
                Deliver(other, new ParticipantJoinedEvent(seat.Info));
        }
    }

    private JoinedEvent Snapshot(Seat seat, string token, string? requestId, bool resumed)
    {
        var participants = new ParticipantInfo[_members.Count];
        for (var i = 0; i < participants.Length; i++)
            participants[i] = _members[i].Info;
        return new JoinedEvent(
            seat.Info, seat == _moderator, _moderator!.Info, participants, _locked, _password is not null,
            token, requestId, resumed);
    }

    internal JoinResult Resume(string tokenHash, string participantId, IParticipantSink sink, string? requestId)
    {
        lock (_sync)
        {
            if (_closed || !_seatsById.TryGetValue(participantId, out var seat) || seat.ResumeTokenHash != tokenHash)
                return JoinResult.Failed(RoomError.ResumeFailed);

            var undelivered = new List<RoomEvent>();
            if (seat.Sink is { } previous)
            {
                // The client came back before we noticed the old connection die: cut it, keep what it had not sent.
                // Drain before aborting: the abort queues the close frame behind whatever is left.
                previous.DrainUndelivered(undelivered);
                previous.Abort(SeatEndReason.Replaced);
            }
            seat.ResumeTimer?.Dispose();
            seat.ResumeTimer = null;
            seat.Sink = sink;
            seat.Epoch++;
            var token = RotateToken(seat);
            Deliver(seat, seat.InLobby
                ? new LobbyEvent(seat.Info, token, requestId, Resumed: true)
                : Snapshot(seat, token, requestId, resumed: true));
            foreach (var e in undelivered)
                Deliver(seat, e);
            while (seat.Pending.TryDequeue(out var pending))
                Deliver(seat, pending);
            seat.PendingBytes = 0;
            Settle();
            return seat.InLobby ? JoinResult.Waiting(new Participant(this, seat)) : JoinResult.Member(new Participant(this, seat));
        }
    }

    private string IssueToken(Seat seat)
    {
        var token = RandomTokens.NewResumeToken();
        seat.ResumeTokenHash = RandomTokens.HashToken(token);
        _registry.RegisterToken(seat.ResumeTokenHash, this, seat.Id);
        return token;
    }

    private string RotateToken(Seat seat)
    {
        if (seat.ResumeTokenHash is { } old)
            _registry.UnregisterToken(old);
        return IssueToken(seat);
    }

    // ---- connection loss ----

    internal void Disconnect(Seat seat, IParticipantSink sink)
    {
        lock (_sync)
        {
            if (seat.Gone || seat.Sink != sink)
                return;
            seat.Sink = null;
            seat.Epoch++;
            var undelivered = new List<RoomEvent>();
            sink.DrainUndelivered(undelivered);
            foreach (var e in undelivered)
                Buffer(seat, e);
            if (_options.ResumeWindow == TimeSpan.Zero)
            {
                RemoveSeat(seat, LeaveReason.Timeout);
            }
            else
            {
                var epoch = seat.Epoch;
                seat.ResumeTimer = _time.CreateTimer(
                    _ => OnResumeWindowOver(seat, epoch), null, _options.ResumeWindow, Timeout.InfiniteTimeSpan);
            }
            Settle();
        }
    }

    private void OnResumeWindowOver(Seat seat, int epoch)
    {
        lock (_sync)
        {
            if (seat.Gone || seat.Sink is not null || seat.Epoch != epoch)
                return;
            RemoveSeat(seat, LeaveReason.Timeout);
            Settle();
        }
    }

    private void OnLobbyWaitOver(Seat seat)
    {
        lock (_sync)
        {
            if (seat.Gone || !seat.InLobby)
                return;
            Deliver(seat, new DeniedEvent(DenyReason.Timeout));
            RemoveLobbySeat(seat, KnockOutcome.Timeout);
            Settle();
        }
    }

    // ---- participant actions ----

    internal void Leave(Seat seat)
    {
        lock (_sync)
        {
            if (seat.Gone)
                return;
            RemoveSeat(seat, LeaveReason.Left);
            Settle();
        }
    }

    internal RoomError SendBlob(Seat from, string to, string blob)
    {
        lock (_sync)
        {
            if (from.Gone)
                return RoomError.WrongState;
            if (to == Everyone)
            {
                // A member's "*" reaches the other members; a lobby participant's reaches the members, so a
                // moderator can see who knocks (E2EE-SPEC §S12). The lobby never hears "*" from members.
                var e = new E2eeEvent(from.Id, Everyone, blob);
                foreach (var member in _members)
                {
                    if (member != from)
                        Deliver(member, e);
                }
            }
            else
            {
                if (!_seatsById.TryGetValue(to, out var target))
                    return RoomError.UnknownParticipant;
                if (target == from || (from.InLobby && target.InLobby))
                    return RoomError.InvalidTarget;
                Deliver(target, new E2eeEvent(from.Id, to, blob));
            }
            Settle();
            return RoomError.None;
        }
    }

    // ---- moderator actions ----

    internal RoomError Admit(Seat caller, string target)
    {
        lock (_sync)
        {
            if (CheckModerator(caller) is var denied and not RoomError.None)
                return denied;
            if (!_seatsById.TryGetValue(target, out var seat) || !seat.InLobby)
                return RoomError.UnknownParticipant;
            if (_members.Count >= _options.MaxParticipantsPerRoom)
                return RoomError.RoomFull;
            _lobby.Remove(seat);
            seat.LobbyTimer?.Dispose();
            seat.LobbyTimer = null;
            AdmitLocked(seat, requestId: null);
            Deliver(_moderator!, new KnockEndedEvent(seat.Info, KnockOutcome.Admitted));
            Settle();
            return RoomError.None;
        }
    }

    internal RoomError Deny(Seat caller, string target)
    {
        lock (_sync)
        {
            if (CheckModerator(caller) is var denied and not RoomError.None)
                return denied;
            if (!_seatsById.TryGetValue(target, out var seat) || !seat.InLobby)
                return RoomError.UnknownParticipant;
            Deliver(seat, new DeniedEvent(DenyReason.Denied));
            RemoveLobbySeat(seat, KnockOutcome.Denied);
            Settle();
            return RoomError.None;
        }
    }

    internal RoomError SetLocked(Seat caller, bool locked)
    {
        lock (_sync)
        {
            if (CheckModerator(caller) is var denied and not RoomError.None)
                return denied;
            if (_locked != locked)
            {
                _locked = locked;
                Broadcast(new RoomLockedEvent(locked));
            }
            Settle();
            return RoomError.None;
        }
    }

    internal RoomError SetPassword(Seat caller, string? password)
    {
        if (password is not null && !PasswordVerifier.IsAcceptable(password))
            return RoomError.InvalidPassword;
        // Hash outside the lock: PBKDF2 takes milliseconds and must not stall the room.
        var verifier = password is null ? null : PasswordVerifier.Create(password, _options.PasswordIterations);
        lock (_sync)
        {
            if (CheckModerator(caller) is var denied and not RoomError.None)
                return denied;
            var wasSet = _password is not null;
            _password = verifier;
            if (wasSet || verifier is not null)
                Broadcast(new PasswordChangedEvent(verifier is not null));
            Settle();
            return RoomError.None;
        }
    }

    internal RoomError Remove(Seat caller, string target)
    {
        lock (_sync)
        {
            if (CheckModerator(caller) is var denied and not RoomError.None)
                return denied;
            if (!_seatsById.TryGetValue(target, out var seat) || seat.InLobby)
                return RoomError.UnknownParticipant;
            if (seat == caller)
                return RoomError.InvalidTarget;
            Deliver(seat, new RemovedEvent());
            RemoveSeat(seat, LeaveReason.Removed);
            Settle();
            return RoomError.None;
        }
    }

    internal RoomError MuteAll(Seat caller)
    {
        lock (_sync)
        {
            if (CheckModerator(caller) is var denied and not RoomError.None)
                return denied;
            var e = new MuteRequestedEvent(caller.Info);
            foreach (var member in _members)
            {
                if (member != caller)
                    Deliver(member, e);
            }
            Settle();
            return RoomError.None;
        }
    }

    internal RoomError End(Seat caller)
    {
        lock (_sync)
        {
            if (CheckModerator(caller) is var denied and not RoomError.None)
                return denied;
            var ended = new RoomEndedEvent();
            foreach (var seat in _members.Concat(_lobby).ToArray())
            {
                Deliver(seat, ended);
                Forget(seat);
            }
            _members.Clear();
            _lobby.Clear();
            _moderator = null;
            CloseLocked();
            return RoomError.None;
        }
    }

    private RoomError CheckModerator(Seat caller)
    {
        if (caller.Gone || caller.InLobby)
            return RoomError.WrongState;
        return caller == _moderator ? RoomError.None : RoomError.NotModerator;
    }

    // ---- removal, hand-over, closing ----

    private void RemoveSeat(Seat seat, LeaveReason reason)
    {
        if (seat.InLobby)
        {
            RemoveLobbySeat(seat, KnockOutcome.Left);
            return;
        }
        _members.Remove(seat);
        Forget(seat);
        Broadcast(new ParticipantLeftEvent(seat.Info, reason));
        if (seat == _moderator)
        {
            // The role passes to the longest-standing member (lowest admission order; _members keeps that order).
            _moderator = _members.Count > 0 ? _members[0] : null;
            if (_moderator is not null)
            {
                Broadcast(new ModeratorChangedEvent(_moderator.Info));
                foreach (var waiting in _lobby)
                    Deliver(_moderator, new KnockEvent(waiting.Info));
            }
        }
        if (_members.Count == 0)
        {
            // Nobody left to admit the lobby: turn it away; a room exists only while someone is in it.
            foreach (var waiting in _lobby.ToArray())
            {
                Deliver(waiting, new DeniedEvent(DenyReason.RoomClosed));
                _lobby.Remove(waiting);
                Forget(waiting);
            }
            CloseLocked();
        }
    }

    private void RemoveLobbySeat(Seat seat, KnockOutcome outcome)
    {
        _lobby.Remove(seat);
        Forget(seat);
        if (_moderator is not null)
            Deliver(_moderator, new KnockEndedEvent(seat.Info, outcome));
    }

    /// <summary>Drops every trace of a seat except its id, which stays issued so it is never reused.</summary>
    private void Forget(Seat seat)
    {
        if (seat.Gone)
            return;
        seat.Gone = true;
        seat.DisposeTimers();
        _seatsById.Remove(seat.Id);
        if (seat.ResumeTokenHash is { } hash)
            _registry.UnregisterToken(hash);
        seat.Pending.Clear();
        _registry.AdjustParticipants(-1);
    }

    private void CloseLocked()
    {
        if (_closed)
            return;
        _closed = true;
        _registry.OnRoomClosed(this);
    }

    // ---- delivery ----

    private void Broadcast(RoomEvent e)
    {
        foreach (var member in _members)
            Deliver(member, e);
    }

    private void Deliver(Seat seat, RoomEvent e)
    {
        if (seat.Sink is { } sink)
        {
            if (sink.TryDeliver(e))
                return;
            if (e.IsTerminal)
                sink.Abort(SeatEndReason.Overflow);
            else
                seat.Overflowed = true;
        }
        else if (!seat.Gone)
        {
            Buffer(seat, e);
        }
    }

    private void Buffer(Seat seat, RoomEvent e)
    {
        seat.Pending.Enqueue(e);
        seat.PendingBytes += e.ApproximateBytes;
        if (seat.Pending.Count > _options.ResumeBufferMessages || seat.PendingBytes > _options.ResumeBufferBytes)
            seat.Overflowed = true;
    }

    /// <summary>
    /// Evicts seats whose connection or resume buffer overflowed during the operation. Evicting tells others,
    /// which may overflow more seats, so it loops until nothing is marked.
    /// </summary>
    private void Settle()
    {
        while (true)
        {
            Seat? victim = null;
            foreach (var seat in _members)
            {
                if (seat.Overflowed) { victim = seat; break; }
            }
            if (victim is null)
            {
                foreach (var seat in _lobby)
                {
                    if (seat.Overflowed) { victim = seat; break; }
                }
            }
            if (victim is null)
                return;
            victim.Overflowed = false;
            var sink = victim.Sink;
            victim.Sink = null;
            RemoveSeat(victim, LeaveReason.Dropped);
            sink?.Abort(SeatEndReason.Overflow);
        }
    }
}
