using System.Buffers;

namespace Sotto.Sfu.Rtp;

/// <summary>
/// The last packets sent on one subscriber video stream, by outgoing sequence number, to answer
/// the subscriber's NACKs (RFC 4588). Slots are pooled buffers rented on first use and returned on
/// <see cref="Dispose"/>: a steady stream reuses them and allocates nothing.
/// </summary>
internal sealed class RetransmissionBuffer : IDisposable
{
    public const int SlotSize = 1500;

    private readonly byte[]?[] _slots;
    private readonly int[] _lengths;
    private readonly int[] _payloadOffsets;
    private readonly ushort[] _sequenceNumbers;
    private readonly int _mask;
    private readonly SfuBufferCounter _bufferCounter;

    public RetransmissionBuffer(int capacity, SfuBufferCounter bufferCounter)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "A power of two is required.");
        _slots = new byte[]?[capacity];
        _lengths = new int[capacity];
        _payloadOffsets = new int[capacity];
        _sequenceNumbers = new ushort[capacity];
        _mask = capacity - 1;
        _bufferCounter = bufferCounter;
    }

    /// <summary>The slot buffer for <paramref name="sequenceNumber"/>, to write the outgoing packet into.</summary>
    public Span<byte> Reserve(ushort sequenceNumber)
    {
        var index = sequenceNumber & _mask;
        var slot = _slots[index];
        if (slot is null)
        {
            slot = ArrayPool<byte>.Shared.Rent(SlotSize);
            _slots[index] = slot;
            _bufferCounter.Rented();
        }
        _lengths[index] = 0;
        return slot.AsSpan(0, SlotSize);
    }

    /// <summary>Marks the slot reserved for <paramref name="sequenceNumber"/> as holding a packet of <paramref name="length"/> bytes.</summary>
    public void Commit(ushort sequenceNumber, int length, int payloadOffset)
    {
        var index = sequenceNumber & _mask;
        _lengths[index] = length;
        _payloadOffsets[index] = payloadOffset;
        _sequenceNumbers[index] = sequenceNumber;
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
                ArrayPool<byte>.Shared.Return(slot);
                _slots[i] = null;
                _bufferCounter.Returned();
            }
        }
    }
}

/// <summary>Counts pooled buffers held by one room, so tests can prove none leak.</summary>
internal sealed class SfuBufferCounter
{
    private long _held;

    public long Held => Volatile.Read(ref _held);

    public void Rented() => Interlocked.Increment(ref _held);

    public void Returned() => Interlocked.Decrement(ref _held);
}
