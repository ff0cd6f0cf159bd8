using Sotto.Rtc.Codecs.Vp8;

namespace Sotto.Client.Media;

/// <summary>
/// Puts VP8 frames back together from RTP packets (RFC 7741 §4.5): the packets of one frame share
/// a timestamp, the first has S=1 and partition index 0, the last has the marker bit, and their
/// sequence numbers are contiguous. Packets may arrive out of order (NACK retransmissions); a frame
/// is complete when every sequence number from its first to its marked packet is present. Older
/// incomplete frames are dropped once a newer frame completes (the caller then asks for a key frame).
/// </summary>
internal sealed class Vp8FrameAssembler
{
    private const int MaxPendingPackets = 1024;

    private readonly SortedDictionary<long, Fragment> _pending = [];
    private long _completedThrough = long.MinValue;

    /// <summary>Frames given up because a packet never came.</summary>
    public long IncompleteFrames { get; private set; }

    /// <summary>Adds one packet (extended sequence number, RTP payload); returns a complete frame or null.</summary>
    public byte[]? Add(long sequence, uint timestamp, bool marker, ReadOnlySpan<byte> rtpPayload)
    {
        // A late copy of a packet of a frame already delivered (a second RTX answer) must not
        // assemble that frame again: SFrame's replay window would drop it, but it is not a replay attack.
        if (sequence <= _completedThrough || !Vp8PayloadDescriptor.TryParse(rtpPayload, out Vp8PayloadDescriptor descriptor, out int consumed))
            return null;
        if (_pending.Count >= MaxPendingPackets)
            DropUpTo(long.MaxValue);
        _pending.TryAdd(sequence, new Fragment(timestamp, descriptor.IsFirstPacketOfFrame, marker, rtpPayload[consumed..].ToArray()));
        return TryComplete(timestamp);
    }

    private byte[]? TryComplete(uint timestamp)
    {
        long first = -1;
        long last = -1;
        foreach ((long sequence, Fragment fragment) in _pending)
        {
            if (fragment.Timestamp != timestamp)
                continue;
            if (fragment.Start)
                first = sequence;
            if (fragment.Marker)
                last = sequence;
        }
        if (first < 0 || last < first)
            return null;
        int size = 0;
        for (long s = first; s <= last; s++)
        {
            if (!_pending.TryGetValue(s, out Fragment? fragment) || fragment.Timestamp != timestamp)
                return null;
            size += fragment.Payload.Length;
        }
        byte[] frame = new byte[size];
        int offset = 0;
        for (long s = first; s <= last; s++)
        {
            byte[] payload = _pending[s].Payload;
            payload.CopyTo(frame, offset);
            offset += payload.Length;
        }
        DropUpTo(last);
        _completedThrough = last;
        return frame;
    }

    private void DropUpTo(long last)
    {
        var stale = _pending.Keys.TakeWhile(s => s <= last).ToList();
        uint? lastTimestamp = last == long.MaxValue || !_pending.TryGetValue(last, out Fragment? marked) ? null : marked.Timestamp;
        foreach (long s in stale)
        {
            Fragment fragment = _pending[s];
            if (fragment.Marker && fragment.Timestamp != lastTimestamp)
                IncompleteFrames++;
            _pending.Remove(s);
        }
    }

    private sealed record Fragment(uint Timestamp, bool Start, bool Marker, byte[] Payload);
}
