using System.Collections.Concurrent;
using Sotto.Server.Options;

namespace Sotto.Server.Abuse;

/// <summary>
/// Exponential backoff on wrong room passwords per client address: a few free attempts, then a wait that
/// doubles with every failure up to a cap. Failures are forgotten after a quiet period.
/// </summary>
internal sealed class PasswordBackoff
{
    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly SottoOptions _options;
    private readonly TimeProvider _time;

    public PasswordBackoff(SottoOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public bool IsBlocked(string key, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_states.TryGetValue(key, out var state))
            return false;
        lock (state)
        {
            retryAfter = state.BlockedUntil - _time.GetUtcNow();
            return retryAfter > TimeSpan.Zero;
        }
    }

    public void RecordFailure(string key)
    {
        var now = _time.GetUtcNow();
        var state = _states.GetOrAdd(key, static _ => new State());
        lock (state)
        {
            if (now - state.LastFailure > _options.PasswordFailureMemory)
                state.Failures = 0;
            state.Failures++;
            state.LastFailure = now;
            var over = state.Failures - _options.PasswordFreeAttempts;
            if (over > 0)
            {
                var factor = Math.Pow(2, Math.Min(over - 1, 30));
                var wait = TimeSpan.FromTicks((long)Math.Min(_options.PasswordBackoff.Ticks * factor, _options.PasswordBackoffMax.Ticks));
                state.BlockedUntil = now + wait;
            }
        }
        if (_states.Count > 10_000)
        {
            foreach (var (k, s) in _states)
            {
                if (now - s.LastFailure > _options.PasswordFailureMemory)
                    _states.TryRemove(KeyValuePair.Create(k, s));
            }
        }
    }

    private sealed class State
    {
        public int Failures { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        public DateTimeOffset BlockedUntil { get; set; }
    }
}
