namespace Sotto.Rtc.Rtcp;

/// <summary>
/// Collects the transport-wide sequence numbers and arrival times of received RTP packets and turns
/// them into transport-cc feedback packets: what the SFU sends to each publisher (DESIGN.md §9: a
/// sender that negotiated transport-cc and gets no feedback falls to 30 kbps).
/// </summary>
/// <remarks>
/// Packets may arrive out of order and across the 16-bit wrap: sequence numbers are unwrapped against
/// the highest seen, and pending packets are sorted before writing. Duplicates keep their first
/// arrival. A feedback packet reports as many pending packets as fit the destination and the format
/// (see <see cref="TransportWideCcFeedback.TryWrite(Span{byte}, uint, uint, byte, ReadOnlySpan{TransportCcArrival}, out int, out int)"/>);
/// call <see cref="TryWriteFeedback"/> until <see cref="PendingCount"/> is 0. Not thread-safe: one
/// builder per receive loop. Buffers grow to the largest backlog seen and are then reused, so steady
/// state allocates nothing.
/// </remarks>
public sealed class TransportCcFeedbackBuilder
{
    /// <summary>Most packets held between feedbacks; beyond it new arrivals are not reported (see <see cref="DroppedCount"/>).</summary>
    public const int MaxPending = 1 << 16;

    // Allocated by this: pending packets as parallel arrays (unwrapped sequence number, arrival µs), so
    // Array.Sort(keys, items) can order them without the comparer delegate Span.Sort would allocate.
    private long[] _sequenceNumbers;
    private long[] _arrivalTimes;
    private TransportCcArrival[] _ordered;
    private int _count;
    private long _highestUnwrapped;
    private bool _hasHighest;

    /// <summary>Creates a builder for feedback sent with <paramref name="senderSsrc"/>.</summary>
    public TransportCcFeedbackBuilder(uint senderSsrc, uint mediaSsrc = 0, int initialCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        _sequenceNumbers = new long[initialCapacity];
        _arrivalTimes = new long[initialCapacity];
        _ordered = new TransportCcArrival[initialCapacity];
    }

    /// <summary>SSRC written as the packet sender.</summary>
    public uint SenderSsrc { get; }

    /// <summary>SSRC written as the media source (libwebrtc writes one of the streams it reports on).</summary>
    public uint MediaSsrc { get; set; }

    /// <summary>The feedback packet count the next feedback carries; wraps at 256.</summary>
    public byte NextFeedbackPacketCount { get; private set; }

    /// <summary>Received packets not yet reported.</summary>
    public int PendingCount => _count;

    /// <summary>Arrivals not recorded because <see cref="MaxPending"/> were already waiting.</summary>
    public long DroppedCount { get; private set; }

    /// <summary>Records a received packet's transport-wide sequence number and arrival time (µs, monotonic clock).</summary>
    public void OnPacketReceived(ushort sequenceNumber, long arrivalTimeMicros)
    {
        var unwrapped = Unwrap(sequenceNumber);
        if (_count == MaxPending)
        {
            DroppedCount++;
            return;
        }
        if (_count == _sequenceNumbers.Length)
        {
            var capacity = Math.Min(_sequenceNumbers.Length * 2, MaxPending);
            Array.Resize(ref _sequenceNumbers, capacity);
            Array.Resize(ref _arrivalTimes, capacity);
            Array.Resize(ref _ordered, capacity);
        }
        _sequenceNumbers[_count] = unwrapped;
        _arrivalTimes[_count] = arrivalTimeMicros;
        _count++;
    }

    /// <summary>
    /// Writes one feedback packet with the oldest pending packets (by sequence number) that fit, removes
    /// them from the pending set and advances the feedback packet count. False (nothing written) when
    /// nothing is pending or <paramref name="destination"/> cannot hold even one packet's report.
    /// </summary>
    public bool TryWriteFeedback(Span<byte> destination, out int written)
    {
        written = 0;
        if (_count == 0)
        {
            return false;
        }
        Array.Sort(_sequenceNumbers, _arrivalTimes, 0, _count);
        var distinct = RemoveDuplicates();
        _count = distinct;
        var ordered = _ordered.AsSpan(0, distinct);
        for (var i = 0; i < distinct; i++)
        {
            ordered[i] = new TransportCcArrival((ushort)_sequenceNumbers[i], _arrivalTimes[i]);
        }
        if (!TransportWideCcFeedback.TryWrite(destination, SenderSsrc, MediaSsrc, NextFeedbackPacketCount, ordered, out written, out var consumed))
        {
            return false;
        }
        _sequenceNumbers.AsSpan(consumed, distinct - consumed).CopyTo(_sequenceNumbers);
        _arrivalTimes.AsSpan(consumed, distinct - consumed).CopyTo(_arrivalTimes);
        _count = distinct - consumed;
        NextFeedbackPacketCount++;
        return true;
    }

    private long Unwrap(ushort sequenceNumber)
    {
        if (!_hasHighest)
        {
            _hasHighest = true;
            _highestUnwrapped = sequenceNumber;
            return sequenceNumber;
        }
        // The shortest way round the 16-bit circle from the highest seen: ahead by up to 32767, or behind.
        var unwrapped = _highestUnwrapped + (short)(sequenceNumber - (ushort)_highestUnwrapped);
        if (unwrapped > _highestUnwrapped)
        {
            _highestUnwrapped = unwrapped;
        }
        return unwrapped;
    }

    /// <summary>Collapses equal sequence numbers of the sorted arrays into one, keeping the earliest arrival.</summary>
    private int RemoveDuplicates()
    {
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            if (kept > 0 && _sequenceNumbers[kept - 1] == _sequenceNumbers[i])
            {
                _arrivalTimes[kept - 1] = Math.Min(_arrivalTimes[kept - 1], _arrivalTimes[i]);
                continue;
            }
            _sequenceNumbers[kept] = _sequenceNumbers[i];
            _arrivalTimes[kept] = _arrivalTimes[i];
            kept++;
        }
        return kept;
    }
}
