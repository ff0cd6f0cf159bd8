namespace Sotto.Rooms;

/// <summary>
/// The host's handle on one seat. Every call goes through the room's lock; a handle whose seat is gone
/// answers <see cref="RoomError.WrongState"/>.
/// </summary>
public sealed class Participant
{
    internal Participant(Room room, Seat seat)
    {
        Room = room;
        Seat = seat;
    }

    public Room Room { get; }

    internal Seat Seat { get; }

    public ParticipantInfo Info => Seat.Info;

    public RoomError SendBlob(string to, string blob) => Room.SendBlob(Seat, to, blob);

    public void Leave() => Room.Leave(Seat);

    /// <summary>The connection dropped: keep the seat for the resume window, buffering its events.</summary>
    public void Disconnect(IParticipantSink sink) => Room.Disconnect(Seat, sink);

    public RoomError Admit(string target) => Room.Admit(Seat, target);

    public RoomError Deny(string target) => Room.Deny(Seat, target);

    public RoomError SetLocked(bool locked) => Room.SetLocked(Seat, locked);

    public RoomError SetPassword(string? password) => Room.SetPassword(Seat, password);

    public RoomError Remove(string target) => Room.Remove(Seat, target);

    public RoomError MuteAll() => Room.MuteAll(Seat);

    public RoomError End() => Room.End(Seat);
}
