namespace Sotto.Rooms;

/// <summary>
/// The narrow interface a room uses to reach one participant's connection (mediasoup's listener habit:
/// rooms never see the host's concrete connection type). Rooms call it under their lock: nothing here
/// may block or call back into the room.
/// </summary>
public interface IParticipantSink
{
    /// <summary>Queues an event, in order. False when the connection cannot take more.</summary>
    bool TryDeliver(RoomEvent roomEvent);

    /// <summary>The seat left this connection without a final event; close it.</summary>
    void Abort(SeatEndReason reason);

    /// <summary>
    /// Moves events accepted by <see cref="TryDeliver"/> but never written to the wire into
    /// <paramref name="into"/>, oldest first, so a resumed seat still receives them. Called once: after the
    /// connection is gone, or just before <see cref="Abort"/> when a resume takes the seat over.
    /// </summary>
    void DrainUndelivered(ICollection<RoomEvent> into);
}
