using System.Buffers;

namespace Sotto.Sfu.Rtp;

/// <summary>
/// The last packets sent on one subscriber video stream, by outgoing sequence number, to answer
/// the subscriber's NACKs (RFC 4588). Slots are the room's pooled buffers (<see cref="RetransmissionSlotPool"/>)
/// taken on first use; <see cref="Trim"/> gives back those older than the history a NACK can still use,
/// and <see cref="Dispose"/> the rest.
/// So memory follows the stream's packet rate × the history (≈ 100 slots for a 1 Mbit/s layer and
/// 1 s), not the ring's capacity (512 slots, 1 MiB, held by every subscribed video before).
/// </summary>
internal sealed class RetransmissionBuffer : IDisposable
{
    public const int SlotSize = 1500;

    private readonly byte[]?[] _slots;
    private readonly int[] _lengths;
    private readonly int[] _payloadOffsets;
    private readonly ushort[] _sequenceNumbers;
    private readonly long[] _storedAtTicks;
    private readonly int _mask;
    private readonly RetransmissionSlotPool _pool;

    // Trim cursor: every slot for a sequence number before _oldest has been given back or reused.
    private bool _started;
    private ushort _oldest;
    private ushort _newest;

    public RetransmissionBuffer(int capacity, RetransmissionSlotPool pool)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "A power of two is required.");
        _slots = new byte[]?[capacity];
        _lengths = new int[capacity];
        _payloadOffsets = new int[capacity];
        _sequenceNumbers = new ushort[capacity];
        _storedAtTicks = new long[capacity];
        _mask = capacity - 1;
        _pool = pool;
    }

    /// <summary>The slot buffer for <paramref name="sequenceNumber"/>, to write the outgoing packet into.</summary>
    public Span<byte> Reserve(ushort sequenceNumber)
    {
        var index = sequenceNumber & _mask;
        var slot = _slots[index];
        if (slot is null)
        {
            slot = _pool.Rent();
            _slots[index] = slot;
        }
        _lengths[index] = 0;
        return slot.AsSpan(0, SlotSize);
    }

    /// <summary>Marks the slot reserved for <paramref name="sequenceNumber"/> as holding a packet of <paramref name="length"/> bytes, sent at <paramref name="nowTicks"/>.</summary>
    public void Commit(ushort sequenceNumber, int length, int payloadOffset, long nowTicks)
    {
        var index = sequenceNumber & _mask;
        _lengths[index] = length;
        _payloadOffsets[index] = payloadOffset;
        _sequenceNumbers[index] = sequenceNumber;
        _storedAtTicks[index] = nowTicks;
        if (!_started)
        {
            _started = true;
            _oldest = sequenceNumber;
            _newest = sequenceNumber;
        }
        else if ((short)(sequenceNumber - _newest) > 0)
        {
            _newest = sequenceNumber;
        }
    }

    /// <summary>Slots holding a buffer now (for tests and the memory figures).</summary>
    public int HeldSlots
    {
        get
        {
            var held = 0;
            foreach (var slot in _slots)
                held += slot is null ? 0 : 1;
            return held;
        }
    }

    /// <summary>
    /// Gives back the buffers of packets sent before <paramref name="oldestKeptTicks"/>, oldest first, and
    /// stops at the first one still young enough. Packets go out in sequence order, so this walks only
    /// what expired since the last call. A NACK for a packet given back finds nothing (the subscriber
    /// then asks for a key frame), as it would after the ring wrapped.
    /// </summary>
    public void Trim(long oldestKeptTicks)
    {
        if (!_started)
            return;
        var capacity = _mask + 1;
        if ((ushort)(_newest - _oldest) >= capacity)
            _oldest = (ushort)(_newest - capacity + 1); // slots before that were reused for newer packets
        while (true)
        {
            var index = _oldest & _mask;
            var slot = _slots[index];
            if (slot is not null)
            {
                // The slot holds the packet numbered _oldest, or an older one whose successor in this slot
                // was never sent (a skipped duplicate), or nothing (a reservation the packet never used).
                var held = _lengths[index] != 0;
                var newer = held && (short)(_sequenceNumbers[index] - _oldest) > 0;
                if (held && !newer && _storedAtTicks[index] >= oldestKeptTicks)
                    return; // still answerable, and everything after it is younger
                if (!newer)
                {
                    _pool.Return(slot);
                    _slots[index] = null;
                    _lengths[index] = 0;
                }
            }
            if (_oldest == _newest)
            {
                _started = false; // everything is given back; the next packet starts afresh
                return;
            }
            _oldest++;
        }
    }

    /// <summary>True when a packet with <paramref name="sequenceNumber"/> is held.</summary>
    public bool Contains(ushort sequenceNumber) => TryGet(sequenceNumber, out _, out _);

    /// <summary>The stored packet with <paramref name="sequenceNumber"/>, if still held.</summary>
    public bool TryGet(ushort sequenceNumber, out ReadOnlySpan<byte> packet, out int payloadOffset)
    {
        var index = sequenceNumber & _mask;
        var slot = _slots[index];
        if (slot is null || _lengths[index] == 0 || _sequenceNumbers[index] != sequenceNumber)
        {
            packet = default;
            payloadOffset = 0;
            return false;
        }
        packet = slot.AsSpan(0, _lengths[index]);
        payloadOffset = _payloadOffsets[index];
        return true;
    }

    public void Dispose()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] is { } slot)
            {
                _pool.Return(slot);
                _slots[i] = null;
            }
        }
    }
}

/// <summary>
/// The retransmission buffers of one room (router): it counts those held by its subscribers' histories
/// (tests prove none leak) and keeps the ones <see cref="RetransmissionBuffer.Trim"/> gave back as spares
/// for the next packets. Without the spares every trimmed buffer would go back to the shared pool, whose
/// per-core stacks hold only a few, and steady forwarding would allocate again. All calls but
/// <see cref="Held"/> are made under the router's lock.
/// </summary>
internal sealed class RetransmissionSlotPool
{
    private readonly Stack<byte[]> _spare = new();
    private long _held;
    private int _rentedSinceSettle;

    /// <summary>Buffers held by subscriber histories now.</summary>
    public long Held => Volatile.Read(ref _held);

    /// <summary>Buffers kept for the next packets.</summary>
    public int Spare => _spare.Count;

    public byte[] Rent()
    {
        _rentedSinceSettle++;
        Interlocked.Increment(ref _held);
        return _spare.TryPop(out var buffer) ? buffer : ArrayPool<byte>.Shared.Rent(RetransmissionBuffer.SlotSize);
    }

    public void Return(byte[] buffer)
    {
        Interlocked.Decrement(ref _held);
        _spare.Push(buffer);
    }

    /// <summary>
    /// After a trim pass: keeps as many spares as were rented since the last pass (what the next one will
    /// need at the same rate) and gives the rest to the shared pool, so a room whose video stopped or shrank
    /// lets its memory go within one pass.
    /// </summary>
    public void Settle()
    {
        while (_spare.Count > _rentedSinceSettle)
            ArrayPool<byte>.Shared.Return(_spare.Pop());
        _rentedSinceSettle = 0;
    }

    /// <summary>The room ended: every spare goes back to the shared pool.</summary>
    public void ReleaseSpares()
    {
        while (_spare.TryPop(out var buffer))
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
