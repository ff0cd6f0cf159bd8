using System.Collections.Concurrent;

namespace Sotto.Server.Signaling;

/// <summary>Open signaling connections, so a graceful shutdown can tell each one before closing.</summary>
internal sealed class ConnectionTracker
{
    private readonly ConcurrentDictionary<long, SignalingConnection> _open = new();
    private long _nextId;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public int Count => _open.Count;

    public void Add(SignalingConnection connection) => _open.TryAdd(connection.Id, connection);

    public void Remove(SignalingConnection connection) => _open.TryRemove(connection.Id, out _);

    public int NotifyShutdown()
    {
        var count = 0;
        foreach (var connection in _open.Values)
        {
            connection.NotifyShutdown();
            count++;
        }
        return count;
    }
}
