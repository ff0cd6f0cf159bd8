namespace Sotto.Sfu.Adaptation;

/// <summary>
/// The offset that maps a source counter (an RTP sequence number, a VP8 picture id) onto a consumer's
/// outgoing one, as it changed over time. Dropping a packet or a frame that is not forwarded (a
/// temporal layer above the subscriber's) moves the offset back by one from that point, so the
/// outgoing numbers have no gaps the receiver would NACK or wait for; a packet that arrives late
/// (reordered, or repaired by RTX upstream) still gets the offset that was in force at its
/// position. Fixed capacity, no allocation: older positions than the oldest change kept are refused.
/// </summary>
internal struct OffsetHistory
{
    private const int Capacity = 32;

    private readonly int _modulus;
    private readonly int[] _from;
    private readonly int[] _offset;
    private int _count;
    private int _newest;

    public OffsetHistory(int bits)
    {
        _modulus = 1 << bits;
        _from = new int[Capacity];
        _offset = new int[Capacity];
        _count = 0;
        _newest = -1;
    }

    public readonly bool IsEmpty => _count == 0;

    /// <summary>The offset in force for the newest positions.</summary>
    public readonly int Current => _count == 0 ? 0 : _offset[_newest];

    /// <summary>Forgets everything: from <paramref name="from"/> on the offset is <paramref name="offset"/> (a new source).</summary>
    public void Reset(int from, int offset)
    {
        _count = 0;
        _newest = -1;
        Add(from, offset);
    }

    /// <summary>From <paramref name="from"/> (newer than every earlier change) the offset is <paramref name="offset"/>.</summary>
    public void Add(int from, int offset)
    {
        offset &= _modulus - 1;
        if (_count > 0 && _from[_newest] == from)
        {
            _offset[_newest] = offset;
            return;
        }
        _newest = (_newest + 1) % Capacity;
        _from[_newest] = from & (_modulus - 1);
        _offset[_newest] = offset;
        if (_count < Capacity)
            _count++;
    }

    /// <summary>Position <paramref name="position"/> (the newest) is dropped: from the next one on, one less.</summary>
    public void DropAt(int position)
    {
        var next = (position + 1) & (_modulus - 1);
        if (_count > 0 && _from[_newest] == (position & (_modulus - 1)))
        {
            // The previous drop was the position just before: move that change instead of adding one.
            _from[_newest] = next;
            _offset[_newest] = (_offset[_newest] - 1) & (_modulus - 1);
            return;
        }
        Add(next, Current - 1);
    }

    /// <summary>The offset for source position <paramref name="position"/>; false if it is older than every change kept.</summary>
    public readonly bool TryGet(int position, out int offset)
    {
        for (var i = 0; i < _count; i++)
        {
            var index = (_newest - i + Capacity) % Capacity;
            if (Distance(_from[index], position) >= 0)
            {
                offset = _offset[index];
                return true;
            }
        }
        offset = 0;
        return false;
    }

    /// <summary>Signed distance from <paramref name="a"/> to <paramref name="b"/> on the counter's circle (RFC 3550 A.1 style wrap).</summary>
    public readonly int Distance(int a, int b)
    {
        var d = (b - a) & (_modulus - 1);
        return d >= _modulus / 2 ? d - _modulus : d;
    }
}
