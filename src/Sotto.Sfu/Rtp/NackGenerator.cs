using Sotto.Rtc.Rtcp;

namespace Sotto.Sfu.Rtp;

/// <summary>
/// Finds upstream gaps in one publisher stream and says which sequence numbers to NACK
/// (RFC 4585 §6.2.1), again every retry interval until the packet (or its RTX) arrives or the
/// retries run out. A fixed table: nothing is allocated per packet.
/// </summary>
internal sealed class NackGenerator
{
    /// <summary>Most packets tracked as missing; a larger gap is a burst that only a key frame repairs.</summary>
    public const int Capacity = 256;

    private readonly ushort[] _sequenceNumbers = new ushort[Capacity];
    private readonly long[] _lastSentTicks = new long[Capacity];
    private readonly int[] _tries = new int[Capacity];
    private int _count;
    private bool _started;
    private ushort _highest;

    public int MissingCount => _count;

    /// <summary>
    /// Records an arriving packet. Returns how many packets this arrival showed missing (0 in
    /// order); -1 when the gap was too large to track (the caller asks for a key frame).
    /// </summary>
    public int OnPacket(ushort sequenceNumber)
    {
        if (!_started)
        {
            _started = true;
            _highest = sequenceNumber;
            return 0;
        }
        var ahead = (short)(sequenceNumber - _highest);
        if (ahead <= 0)
        {
            Remove(sequenceNumber); // late or retransmitted: no longer missing
            return 0;
        }
        var gap = ahead - 1;
        _highest = sequenceNumber;
        if (gap == 0)
            return 0;
        if (gap > Capacity)
        {
            _count = 0;
            return -1;
        }
        for (var i = 1; i <= gap; i++)
            Add((ushort)(sequenceNumber - i));
        return gap;
    }

    /// <summary>Writes the sequence numbers due for a (re)NACK into <paramref name="due"/>; drops those out of retries.</summary>
    public int CollectDue(long nowTicks, long retryTicks, int maxTries, Span<ushort> due)
    {
        var written = 0;
        for (var i = 0; i < _count;)
        {
            if (_tries[i] >= maxTries)
            {
                RemoveAt(i);
                continue;
            }
            if (nowTicks - _lastSentTicks[i] >= retryTicks && written < due.Length)
            {
                due[written++] = _sequenceNumbers[i];
                _tries[i]++;
                _lastSentTicks[i] = nowTicks;
            }
            i++;
        }
        due[..written].Sort();
        return written;
    }

    private void Add(ushort sequenceNumber)
    {
        if (_count == Capacity)
            RemoveAt(0);
        _sequenceNumbers[_count] = sequenceNumber;
        _lastSentTicks[_count] = long.MinValue / 2;
        _tries[_count] = 0;
        _count++;
    }

    private void Remove(ushort sequenceNumber)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_sequenceNumbers[i] == sequenceNumber)
            {
                RemoveAt(i);
                return;
            }
        }
    }

    private void RemoveAt(int index)
    {
        _count--;
        _sequenceNumbers[index] = _sequenceNumbers[_count];
        _lastSentTicks[index] = _lastSentTicks[_count];
        _tries[index] = _tries[_count];
    }

    /// <summary>Packs sorted sequence numbers into NACK items (RFC 4585 §6.2.1 PID + BLP).</summary>
    public static int Pack(ReadOnlySpan<ushort> sorted, Span<NackItem> items) =>
        NackItem.TryCreate(sorted, items, out var count) ? count : 0;
}
