using System.Buffers;
using Sotto.Rtc.Codecs.Vp8;

namespace Sotto.Client.Media;

/// <summary>
/// Puts VP8 frames back together from RTP packets (RFC 7741 §4.5): the packets of one frame share
/// a timestamp, the first has S=1 and partition index 0, the last has the marker bit, and their
/// sequence numbers are contiguous. Packets may arrive out of order (NACK retransmissions); a frame
/// is complete when every sequence number from its first to its marked packet is present. Older
/// incomplete frames are dropped once a newer frame completes (the caller then asks for a key frame).
/// <para>
/// No allocation per packet: pending packets sit in a ring indexed by sequence number, their
/// payloads in buffers from <see cref="ArrayPool{T}"/> (returned when the packet is consumed or
/// dropped), and frames are joined into one reusable buffer that grows only for a larger frame
/// than any before. Not thread-safe: the receive loop owns it.
/// </para>
/// </summary>
internal sealed class Vp8FrameAssembler
{
    /// <summary>Pending packets kept at most; a packet 1024 sequence numbers older than a new one is dropped.</summary>
    private const int Capacity = 1024;
    private const long Empty = long.MinValue;

    private readonly Fragment[] _ring = new Fragment[Capacity];
    private byte[] _frame = new byte[16 * 1024];
    private long _completedThrough = long.MinValue;

    public Vp8FrameAssembler()
    {
        for (int i = 0; i < Capacity; i++)
            _ring[i].Sequence = Empty;
    }

    /// <summary>Frames given up because a packet never came.</summary>
    public long IncompleteFrames { get; private set; }

    /// <summary>
    /// Adds one packet (extended sequence number, RTP payload). True when it completed a frame:
    /// <paramref name="frame"/> is then valid until the next call.
    /// </summary>
    public bool TryAdd(long sequence, uint timestamp, bool marker, ReadOnlySpan<byte> rtpPayload, out ReadOnlySpan<byte> frame)
    {
        frame = default;
        // A late copy of a packet of a frame already delivered (a second RTX answer) must not
        // assemble that frame again: SFrame's replay window would drop it, but it is not a replay attack.
        if (sequence <= _completedThrough || !Vp8PayloadDescriptor.TryParse(rtpPayload, out Vp8PayloadDescriptor descriptor, out int consumed))
            return false;
        ref Fragment slot = ref _ring[Index(sequence)];
        if (slot.Sequence >= sequence)
            return false; // a duplicate (the first copy stays), or 1024 packets too old to matter
        if (slot.Sequence != Empty)
            Drop(ref slot, completedTimestamp: null); // 1024 packets older: its frame can no longer complete

        ReadOnlySpan<byte> payload = rtpPayload[consumed..];
        slot.Sequence = sequence;
        slot.Timestamp = timestamp;
        slot.Start = descriptor.IsFirstPacketOfFrame;
        slot.Marker = marker;
        slot.Length = payload.Length;
        slot.Buffer = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(slot.Buffer);
        return TryComplete(sequence, timestamp, out frame);
    }

    /// <summary>
    /// The frame's packets are contiguous: walk back from the new packet to its S=1 packet and
    /// forward to its marked one, through present packets of the same timestamp only.
    /// </summary>
    private bool TryComplete(long sequence, uint timestamp, out ReadOnlySpan<byte> frame)
    {
        frame = default;
        long first = sequence;
        while (!_ring[Index(first)].Start)
        {
            if (sequence - first >= Capacity - 1 || !IsPresent(first - 1, timestamp))
                return false;
            first--;
        }
        long last = sequence;
        while (!_ring[Index(last)].Marker)
        {
            if (last - first >= Capacity - 1 || !IsPresent(last + 1, timestamp))
                return false;
            last++;
        }

        int size = 0;
        for (long s = first; s <= last; s++)
            size += _ring[Index(s)].Length;
        if (_frame.Length < size)
            _frame = new byte[Math.Max(size, _frame.Length * 2)];
        int offset = 0;
        for (long s = first; s <= last; s++)
        {
            ref Fragment fragment = ref _ring[Index(s)];
            fragment.Buffer.AsSpan(0, fragment.Length).CopyTo(_frame.AsSpan(offset));
            offset += fragment.Length;
        }

        // Everything up to the frame's last packet is consumed or, for older frames, given up.
        long from = _completedThrough == long.MinValue ? last - Capacity + 1 : Math.Max(_completedThrough + 1, last - Capacity + 1);
        for (long s = from; s <= last; s++)
        {
            ref Fragment fragment = ref _ring[Index(s)];
            if (fragment.Sequence == s)
                Drop(ref fragment, timestamp);
        }
        _completedThrough = last;
        frame = _frame.AsSpan(0, size);
        return true;
    }

    private bool IsPresent(long sequence, uint timestamp)
    {
        ref Fragment fragment = ref _ring[Index(sequence)];
        return fragment.Sequence == sequence && fragment.Timestamp == timestamp;
    }

    /// <summary>Frees a slot; a marked packet of another frame than the one just completed means that frame never completed.</summary>
    private void Drop(ref Fragment fragment, uint? completedTimestamp)
    {
        if (fragment.Marker && fragment.Timestamp != completedTimestamp)
            IncompleteFrames++;
        ArrayPool<byte>.Shared.Return(fragment.Buffer!);
        fragment = default;
        fragment.Sequence = Empty;
    }

    private static int Index(long sequence) => (int)(sequence & (Capacity - 1));

    private struct Fragment
    {
        public long Sequence;
        public uint Timestamp;
        public bool Start;
        public bool Marker;
        public int Length;
        public byte[]? Buffer;
    }
}
