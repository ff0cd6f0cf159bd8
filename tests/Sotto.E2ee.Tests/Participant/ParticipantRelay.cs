using Sotto.E2ee.Pairwise;
using Sotto.E2ee.Participant;
using Sotto.E2ee.Tests.Pairwise;

namespace Sotto.E2ee.Tests.Participant;

/// <summary>
/// The server's e2ee relay in memory, for whole participants: FIFO per (from, to), adds "from"
/// (the id this endpoint was attached under). A malicious server is two of these with its own
/// participants in the middle (see <see cref="MaliciousRelayTests"/>).
/// </summary>
internal sealed class ParticipantRelay
{
    private readonly Queue<(string From, string To, byte[] Blob)> _queue = new();
    private readonly Dictionary<string, E2eeParticipant> _attached = [];

    /// <summary>Every blob sent, as the server would see it.</summary>
    public List<(string From, string To, byte[] Blob)> Log { get; } = [];

    public IBlobTransport TransportFor(string wireId) => new Endpoint(this, wireId);

    public void Attach(string wireId, E2eeParticipant participant) => _attached[wireId] = participant;

    /// <summary>Delivers until nothing is queued; true if anything moved.</summary>
    public bool Run()
    {
        bool moved = false;
        for (int guard = 0; guard < 10_000 && _queue.Count > 0; guard++)
        {
            var (from, to, blob) = _queue.Dequeue();
            moved = true;
            if (_attached.TryGetValue(to, out E2eeParticipant? participant))
                participant.Receive(from, blob);
        }
        return moved;
    }

    /// <summary>Moves the clock in 100 ms steps, ticking every participant and draining every relay at each step.</summary>
    public static void Advance(ManualTime time, TimeSpan by, IReadOnlyList<ParticipantRelay> relays, IReadOnlyList<E2eeParticipant> participants)
    {
        for (TimeSpan done = TimeSpan.Zero; done <= by; done += TimeSpan.FromMilliseconds(100))
        {
            bool moved;
            do
            {
                foreach (E2eeParticipant p in participants)
                    p.Tick();
                moved = false;
                foreach (ParticipantRelay relay in relays)
                    moved |= relay.Run();
            }
            while (moved);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }
    }

    private sealed class Endpoint(ParticipantRelay relay, string self) : IBlobTransport
    {
        public void Send(string peerId, byte[] blob)
        {
            relay.Log.Add((self, peerId, blob));
            relay._queue.Enqueue((self, peerId, blob));
        }
    }
}
