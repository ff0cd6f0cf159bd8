namespace Sotto.Transport.Ice;

/// <summary>ICE timers (RFC 8445 §14, RFC 8489 §6.2.1, RFC 7675).</summary>
public sealed class IceOptions
{
    /// <summary>Initial retransmission timeout of a connectivity check (RFC 8489 §6.2.1: 500 ms recommended).</summary>
    public TimeSpan InitialRetransmissionTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Rc: requests sent per transaction, the first included (RFC 8489 §6.2.1 default 7).</summary>
    public int MaxRequests { get; init; } = 7;

    /// <summary>Rm: after the last request, wait this many initial RTOs for an answer (RFC 8489 default 16).</summary>
    public int LastWaitMultiplier { get; init; } = 16;

    /// <summary>Interval between consent checks once connected (RFC 7675 §5.1: 5 s, randomized 0.8–1.2).</summary>
    public TimeSpan ConsentInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A transport with no valid check (server) or no answered check (client) for this long has
    /// lost consent and is closed (RFC 7675 §5.1: 30 s). Also bounds how long a new server
    /// transport waits for its first check.
    /// </summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
