using System.Collections.Concurrent;
using System.Diagnostics;
using Sotto.Rtc.Rtp;

namespace Sotto.Load.Media;

/// <summary>
/// What one subscriber received: packets and octets carrying a <see cref="ProbeTrailer"/>, and per
/// source stream the highest packet counter the publisher wrote, extended like an RTP sequence
/// number (RFC 3550 §A.1), so loss over a window is Δexpected − Δreceived as an RTCP receiver
/// report computes it: immune to packets in flight at the window's edges and to the server's
/// renumbering. Written only by the peer's one receive loop; read by the harness.
/// </summary>
internal sealed class SubscriberCounters
{
    private readonly DelayHistogram _delays;
    // Concurrent: written by the peer's receive loop, read by the harness (StreamsActiveSince).
    private readonly ConcurrentDictionary<uint, SequenceTrack> _tracks = [];
    private long _packets;
    private long _octets;
    private long _expected;

    /// <param name="expectedStreams">Source streams this subscriber should receive (every other publisher's audio and video).</param>
    public SubscriberCounters(DelayHistogram delays, int expectedStreams)
    {
        _delays = delays;
        ExpectedStreams = expectedStreams;
    }

    public int ExpectedStreams { get; }

    /// <summary>True once a packet of every expected stream arrived: the server forwards everything.</summary>
    public bool AllStreamsFlowing => StreamCount >= ExpectedStreams;

    public long Packets => Volatile.Read(ref _packets);

    public long Octets => Volatile.Read(ref _octets);

    /// <summary>Packets the server should have sent so far (sum over SSRCs of highest − first + 1).</summary>
    public long Expected => Volatile.Read(ref _expected);

    public int StreamCount => Volatile.Read(ref _streamCount);

    private int _streamCount;

    /// <summary>Counts one decrypted RTP packet (<paramref name="wireLength"/> = its size on the wire).</summary>
    public void OnRtp(ReadOnlySpan<byte> packet, int wireLength)
    {
        long now = Stopwatch.GetTimestamp();
        if (!RtpPacket.TryParse(packet, out RtpPacket rtp) || !ProbeTrailer.TryRead(rtp.Payload, out uint stream, out uint counter, out long sent))
            return;

        _delays.Record(sent, now);
        if (!_tracks.TryGetValue(stream, out SequenceTrack? track))
        {
            _tracks[stream] = new SequenceTrack(counter, now);
            Volatile.Write(ref _streamCount, _tracks.Count);
            Interlocked.Increment(ref _expected);
        }
        else
        {
            Interlocked.Add(ref _expected, track.Advance(counter));
            track.LastSeen = now;
        }

        Interlocked.Increment(ref _packets);
        Interlocked.Add(ref _octets, wireLength);
    }

    /// <summary>Source streams with a packet at or after <paramref name="timestamp"/> (<see cref="Stopwatch"/> ticks): what the server forwards now, not what it once did.</summary>
    public int StreamsActiveSince(long timestamp) => _tracks.Values.Count(t => t.LastSeen >= timestamp);

    private sealed class SequenceTrack(uint first, long now)
    {
        private long _highest = first;
        private long _lastSeen = now;

        public long LastSeen
        {
            get => Volatile.Read(ref _lastSeen);
            set => Volatile.Write(ref _lastSeen, value);
        }

        /// <summary>Moves the highest counter seen; returns by how much it grew (0 for old or duplicate packets).</summary>
        public long Advance(uint counter)
        {
            // As RFC 3550 §A.1 does for 16 bits: the delta from the highest seen, modulo 2^32, as signed.
            int delta = (int)(counter - (uint)_highest);
            if (delta <= 0)
                return 0;
            _highest += delta;
            return delta;
        }
    }
}
