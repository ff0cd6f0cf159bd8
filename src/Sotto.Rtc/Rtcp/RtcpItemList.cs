namespace Sotto.Rtc.Rtcp;

/// <summary>
/// The entries of an RTCP packet: either a view over the wire octets of a parsed packet (read lazily,
/// nothing allocated) or the caller's values of a packet being built. Both read and write the same way,
/// which is what lets a parsed packet be written back unchanged.
/// </summary>
public readonly ref struct RtcpItemList<T>
    where T : struct, IRtcpListItem<T>
{
    private readonly ReadOnlySpan<byte> _wire;
    private readonly ReadOnlySpan<T> _values;
    private readonly bool _isWire;

    /// <summary>A list over values to be written.</summary>
    public RtcpItemList(ReadOnlySpan<T> values)
    {
        _values = values;
        _wire = default;
        _isWire = false;
    }

    private RtcpItemList(ReadOnlySpan<byte> wire)
    {
        _wire = wire;
        _values = default;
        _isWire = true;
    }

    /// <summary>A list over wire octets whose length the caller checked is a multiple of the entry size.</summary>
    internal static RtcpItemList<T> FromWire(ReadOnlySpan<byte> wire) => new(wire);

    /// <summary>Number of entries.</summary>
    public int Count => _isWire ? _wire.Length / T.WireSize : _values.Length;

    /// <summary>Octets the entries take on the wire.</summary>
    public int WireLength => Count * T.WireSize;

    /// <summary>The entry at <paramref name="index"/>.</summary>
    public T this[int index]
    {
        get
        {
            if (!_isWire)
            {
                return _values[index];
            }
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return T.Read(_wire.Slice(index * T.WireSize, T.WireSize));
        }
    }

    /// <summary>Writes every entry; <paramref name="destination"/> holds at least <see cref="WireLength"/> octets.</summary>
    internal void WriteTo(Span<byte> destination)
    {
        if (_isWire)
        {
            _wire.CopyTo(destination);
            return;
        }
        for (var i = 0; i < _values.Length; i++)
        {
            _values[i].Write(destination.Slice(i * T.WireSize, T.WireSize));
        }
    }

    /// <summary>Enumerates the entries without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Allocation-free enumerator.</summary>
    public ref struct Enumerator
    {
        private readonly RtcpItemList<T> _list;
        private int _index;

        internal Enumerator(RtcpItemList<T> list)
        {
            _list = list;
            _index = -1;
        }

        /// <summary>The current entry.</summary>
        public readonly T Current => _list[_index];

        /// <summary>Advances; false past the last entry.</summary>
        public bool MoveNext() => ++_index < _list.Count;
    }
}
