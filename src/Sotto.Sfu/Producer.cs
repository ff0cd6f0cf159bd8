using Sotto.Sfu.Adaptation.Speech;
using Sotto.Sfu.Negotiation;

namespace Sotto.Sfu;

/// <summary>
/// One published track (mediasoup's Producer): its streams (simulcast layers) and the consumers
/// that forward it to each subscriber. Owned by its <see cref="Router"/>; touched only under the
/// router's lock.
/// </summary>
internal sealed class Producer
{
    private Consumer[] _consumers = [];

    public Producer(SfuParticipant owner, PublishedTrack track)
    {
        Owner = owner;
        Track = track;
        var rids = track.Rids;
        Streams = rids.Count == 0
            ? [new ProducerStream(this, 0, null)]
            : [.. rids.Select((rid, i) => new ProducerStream(this, i, rid))];
        RidBytes = [.. rids.Select(r => System.Text.Encoding.ASCII.GetBytes(r))];
        MidBytes = System.Text.Encoding.ASCII.GetBytes(track.Mid);
        if (track.Ssrcs.Count > 0 && rids.Count == 0)
        {
            Streams[0].Ssrc = track.Ssrcs[0];
            Streams[0].HasSsrc = true;
            foreach (var (rtx, primary) in track.RtxSsrcs)
            {
                if (primary == track.Ssrcs[0])
                {
                    Streams[0].RtxSsrc = rtx;
                    Streams[0].HasRtxSsrc = true;
                }
            }
        }
    }

    // Passed by argument.
    public SfuParticipant Owner { get; }

    public PublishedTrack Track { get; private set; }

    // Allocated by this.
    public ProducerStream[] Streams { get; }

    public byte[][] RidBytes { get; }

    public byte[] MidBytes { get; }

    public MediaKind Kind => Track.Kind;

    public MediaSource Source => Track.Source;

    public string Mid => Track.Mid;

    public bool IsClosed { get; private set; }

    /// <summary>Speech activity from the packet flow (microphones only; docs/media.md "Dominant speaker").</summary>
    public SpeechActivity Speech { get; } = new();

    /// <summary>The highest spatial layer the publisher was last told someone needs (−1: never told).</summary>
    public int AnnouncedSpatial { get; set; } = -1;

    /// <summary>Since when the needed layers have been below <see cref="AnnouncedSpatial"/> (release is delayed).</summary>
    public long LowerNeedSinceTicks { get; set; } = long.MinValue;

    /// <summary>The fan-out list, replaced (never mutated) when consumers come and go.</summary>
    public Consumer[] Consumers => _consumers;

    public void AddConsumer(Consumer consumer) => _consumers = [.. _consumers, consumer];

    public void RemoveConsumer(Consumer consumer) => _consumers = [.. _consumers.Where(c => c != consumer)];

    /// <summary>A renegotiation kept this track: payload types may have moved.</summary>
    public void Update(PublishedTrack track) => Track = track;

    public void Close() => IsClosed = true;

    public ProducerStream? FindRid(ReadOnlySpan<byte> rid)
    {
        for (var i = 0; i < RidBytes.Length; i++)
        {
            if (rid.SequenceEqual(RidBytes[i]))
                return Streams[i];
        }
        return null;
    }
}
