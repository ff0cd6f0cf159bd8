using Sotto.E2ee.Pairwise;

namespace Sotto.E2ee.Tests.Pairwise;

/// <summary>
/// The server's relay for tests: FIFO per (from, to), with hooks a malicious server would use
/// (drop, replace, record). Delivers into the registered channels until nothing is queued.
/// </summary>
internal sealed class Relay
{
    private readonly Queue<(string From, string To, byte[] Blob)> _queue = new();
    private readonly Dictionary<(string Self, string Peer), PairwiseChannel> _channels = [];

    public List<(string From, string To, byte[] Blob)> Log { get; } = [];

    /// <summary>Returns the blob to deliver, or null to drop it.</summary>
    public Func<string, string, byte[], byte[]?>? Tamper { get; set; }

    public IBlobTransport From(string self) => new Endpoint(this, self);

    public void Register(string self, PairwiseChannel channel) => _channels[(self, channel.PeerId)] = channel;

    public void Inject(string from, string to, byte[] blob) => _queue.Enqueue((from, to, blob));

    public void Run()
    {
        for (int guard = 0; guard < 1000 && _queue.Count > 0; guard++)
        {
            var (from, to, blob) = _queue.Dequeue();
            byte[]? delivered = Tamper is null ? blob : Tamper(from, to, blob);
            if (delivered is not null && _channels.TryGetValue((to, from), out PairwiseChannel? channel))
                channel.Receive(delivered);
        }
    }

    private sealed class Endpoint(Relay relay, string self) : IBlobTransport
    {
        public void Send(string peerId, byte[] blob)
        {
            relay.Log.Add((self, peerId, blob));
            relay._queue.Enqueue((self, peerId, blob));
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
