using System.Collections.Concurrent;
using Sotto.Rooms.Names;

namespace Sotto.Rooms;

/// <summary>
/// All rooms of this node. The registry only finds, creates and forgets rooms (lock-free dictionaries and
/// counters); everything inside a room happens under that room's own lock.
/// </summary>
public sealed class RoomRegistry
{
    private const int MaxJoinAttempts = 8;

    private readonly ConcurrentDictionary<RoomKey, Room> _rooms = new();
    private readonly ConcurrentDictionary<string, (Room Room, string ParticipantId)> _seatsByTokenHash = new(StringComparer.Ordinal);
    private readonly RoomsOptions _options;
    private readonly TimeProvider _time;
    private readonly RoomNameHasher _hasher;
    private int _roomCount;
    private int _participantCount;

    public RoomRegistry(RoomsOptions options, TimeProvider time, RoomNameHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time;
        _hasher = hasher;
    }

    public RoomsOptions Options => _options;

    public int RoomCount => Volatile.Read(ref _roomCount);

    /// <summary>Seats on this node: members (connected or awaiting resume) and lobby.</summary>
    public int ParticipantCount => Volatile.Read(ref _participantCount);

    /// <summary>Fires after a room closed (outside no lock guarantees; keep handlers trivial).</summary>
    public event Action<Room>? RoomClosed;

    public bool TryFind(RoomKey key, out Room room) => _rooms.TryGetValue(key, out room!);

    public JoinResult Join(JoinRequest request, IParticipantSink sink)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        if (_options.RequireStrongNames && RoomNameStrength.Evaluate(request.Room.Name).IsWeak)
            return JoinResult.Failed(RoomError.WeakRoomName);
        if (request.Password is not null && !PasswordVerifier.IsAcceptable(request.Password))
            return JoinResult.Failed(RoomError.InvalidPassword);

        for (var attempt = 0; attempt < MaxJoinAttempts; attempt++)
        {
            if (!TryGetOrCreate(request.Room, out var room))
                return JoinResult.Failed(RoomError.ServerFull);
            // PBKDF2 runs outside the room's lock; the room re-checks that the password did not change.
            var verifier = room.CurrentPassword;
            var passwordOk = verifier is not null && request.Password is not null && verifier.Verify(request.Password);
            var result = room.TryJoin(request, sink, verifier, passwordOk, out var retry);
            if (!retry)
                return result;
        }
        // Only reachable when the room closes or changes password on every attempt.
        return JoinResult.Failed(RoomError.RoomFull);
    }

    /// <summary>Takes a seat back with its resume token; the token is single use (a fresh one comes with the reply).</summary>
    public JoinResult Resume(string token, IParticipantSink sink, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (string.IsNullOrEmpty(token) || token.Length > 128)
            return JoinResult.Failed(RoomError.ResumeFailed);
        var hash = RandomTokens.HashToken(token);
        if (!_seatsByTokenHash.TryGetValue(hash, out var entry))
            return JoinResult.Failed(RoomError.ResumeFailed);
        return entry.Room.Resume(hash, entry.ParticipantId, sink, requestId);
    }

    private bool TryGetOrCreate(RoomKey key, out Room room)
    {
        while (true)
        {
            if (_rooms.TryGetValue(key, out room!))
                return true;
            if (Interlocked.Increment(ref _roomCount) > _options.MaxRooms)
            {
                Interlocked.Decrement(ref _roomCount);
                return false;
            }
            var created = new Room(key, _hasher.Hash(key), this, _options, _time);
            if (_rooms.TryAdd(key, created))
            {
                room = created;
                return true;
            }
            Interlocked.Decrement(ref _roomCount);
        }
    }

    // Called by rooms under their own lock; only touches lock-free state.
    internal void OnRoomClosed(Room room)
    {
        if (_rooms.TryRemove(KeyValuePair.Create(room.Key, room)))
            Interlocked.Decrement(ref _roomCount);
        RoomClosed?.Invoke(room);
    }

    internal void RegisterToken(string tokenHash, Room room, string participantId) =>
        _seatsByTokenHash[tokenHash] = (room, participantId);

    internal void UnregisterToken(string tokenHash) => _seatsByTokenHash.TryRemove(tokenHash, out _);

    /// <summary>Resume tokens that still find a seat (leak checks: zero once every room has closed).</summary>
    internal int ResumeTokenCount => _seatsByTokenHash.Count;

    internal void AdjustParticipants(int delta) => Interlocked.Add(ref _participantCount, delta);
}
