using System.Collections.Concurrent;

namespace Sotto.Rooms.Tests;

/// <summary>A real in-memory participant endpoint: keeps what a room delivers, in order.</summary>
internal sealed class RecordingSink : IParticipantSink
{
    private readonly ConcurrentQueue<RoomEvent> _events = new();
    private readonly int _capacity;

    public RecordingSink(int capacity = int.MaxValue)
    {
        _capacity = capacity;
    }

    public IReadOnlyList<RoomEvent> Events => [.. _events];

    public SeatEndReason? AbortedWith { get; private set; }

    public bool TryDeliver(RoomEvent roomEvent)
    {
        if (_events.Count >= _capacity)
            return false;
        _events.Enqueue(roomEvent);
        return true;
    }

    public void Abort(SeatEndReason reason) => AbortedWith = reason;

    public void DrainUndelivered(ICollection<RoomEvent> into)
    {
    }

    public T Last<T>() where T : RoomEvent => Events.OfType<T>().Last();

    public IEnumerable<T> All<T>() where T : RoomEvent => Events.OfType<T>();
}
