namespace Sotto.Rooms;

/// <param name="Room">The room to join.</param>
/// <param name="Password">The room password, if the joiner gave one.</param>
/// <param name="TryKnock">
/// Asked only when the room is locked, under the room's lock, just before the joiner would enter the lobby:
/// the host counts the knock against its per-address limit and answers false to refuse it. Null allows all.
/// Counting inside the join (not after it) means a second knock can never overtake the first one's count.
/// </param>
/// <param name="RequestId">Echoed in the joined or lobby event so the client can match its request.</param>
public sealed record JoinRequest(RoomKey Room, string? Password, Func<bool>? TryKnock, string? RequestId);

/// <summary>Outcome of a join or resume: a member seat, a lobby seat, or an error.</summary>
public readonly record struct JoinResult(RoomError Error, Participant? Participant, bool InLobby)
{
    public bool Succeeded => Error == RoomError.None && Participant is not null;

    internal static JoinResult Failed(RoomError error) => new(error, null, false);

    internal static JoinResult Member(Participant participant) => new(RoomError.None, participant, false);

    internal static JoinResult Waiting(Participant participant) => new(RoomError.None, participant, true);
}
