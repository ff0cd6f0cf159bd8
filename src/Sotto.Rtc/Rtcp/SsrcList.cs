using System.Buffers.Binary;

namespace Sotto.Rtc.Rtcp;

/// <summary>
/// A list of 32-bit SSRCs inside a packet (BYE sources, REMB feedback SSRCs): a view over wire octets
/// when parsed, the caller's values when built.
/// </summary>
public readonly ref struct SsrcList
{
    /// <summary>Octets of one SSRC.</summary>
    public const int WireSize = 4;

    private readonly ReadOnlySpan<byte> _wire;
    private readonly ReadOnlySpan<uint> _values;
    private readonly bool _isWire;

    /// <summary>A list over values to be written.</summary>
    public SsrcList(ReadOnlySpan<uint> values)
    {
        _values = values;
        _wire = default;
        _isWire = false;
    }

    private SsrcList(ReadOnlySpan<byte> wire)
    {
        _wire = wire;
        _values = default;
        _isWire = true;
    }

    /// <summary>A list over wire octets whose length the caller checked is a multiple of four.</summary>
    internal static SsrcList FromWire(ReadOnlySpan<byte> wire) => new(wire);

    /// <summary>Number of SSRCs.</summary>
    public int Count => _isWire ? _wire.Length / WireSize : _values.Length;

    /// <summary>Octets the list takes on the wire.</summary>
    public int WireLength => Count * WireSize;

    /// <summary>The SSRC at <paramref name="index"/>.</summary>
    public uint this[int index]
    {
        get
        {
            if (!_isWire)
            {
                return _values[index];
            }
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return BinaryPrimitives.ReadUInt32BigEndian(_wire[(index * WireSize)..]);
        }
    }

    /// <summary>True if <paramref name="ssrc"/> is in the list.</summary>
    public bool Contains(uint ssrc)
    {
        foreach (var s in this)
        {
            if (s == ssrc)
            {
                return true;
            }
        }
        return false;
    }

    internal void WriteTo(Span<byte> destination)
    {
        if (_isWire)
        {
            _wire.CopyTo(destination);
            return;
        }
        for (var i = 0; i < _values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(i * WireSize)..], _values[i]);
        }
    }

    /// <summary>Enumerates the SSRCs without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Allocation-free enumerator.</summary>
    public ref struct Enumerator
    {
        private readonly SsrcList _list;
        private int _index;

        internal Enumerator(SsrcList list)
        {
            _list = list;
            _index = -1;
        }

        /// <summary>The current SSRC.</summary>
        public readonly uint Current => _list[_index];

        /// <summary>Advances; false past the last SSRC.</summary>
        public bool MoveNext() => ++_index < _list.Count;
    }
}
