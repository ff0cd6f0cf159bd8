using System.Collections.Concurrent;

namespace Sotto.Server.Abuse;

/// <summary>
/// Fixed-window counter per client address key: at most <c>limit</c> events per window. Used for joins
/// (room-name enumeration) and lobby knocks. Stale windows are swept now and then so the table stays small.
/// </summary>
internal sealed class AddressThrottle
{
    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly int _limit;
    private readonly TimeSpan _length;
    private readonly TimeProvider _time;
    private int _operations;

    public AddressThrottle(int limit, TimeSpan window, TimeProvider time)
    {
        _limit = limit;
        _length = window;
        _time = time;
    }

    /// <summary>Counts one event; false (with the time until the window ends) when the limit is spent.</summary>
    public bool TryAcquire(string key, out TimeSpan retryAfter)
    {
        var window = Current(key);
        lock (window)
        {
            retryAfter = window.Start + _length - _time.GetUtcNow();
            if (window.Count >= _limit)
                return false;
            window.Count++;
            return true;
        }
    }

    private Window Current(string key)
    {
        var now = _time.GetUtcNow();
        if (Interlocked.Increment(ref _operations) % SweepEvery == 0)
            Sweep(now);
        var window = _windows.GetOrAdd(key, static (_, n) => new Window(n), now);
        lock (window)
        {
            if (now - window.Start >= _length)
            {
                window.Start = now;
                window.Count = 0;
            }
        }
        return window;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows)
        {
            if (now - window.Start >= _length)
                _windows.TryRemove(KeyValuePair.Create(key, window));
        }
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Count { get; set; }
    }
}
