using System.Buffers.Binary;

namespace Sotto.Rtc.Rtcp;

/// <summary>
/// One chunk of a parsed SDES packet (RFC 3550 §6.5): an SSRC/CSRC and its items, as a view.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                          SSRC/CSRC_1                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           SDES items                          |
/// |                              ...                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// "The list of items in each chunk MUST be terminated by one or more null octets, the first of which
/// is interpreted as an item type of zero to denote the end of the list. [...] additional null octets
/// MUST be included if needed to pad until the next 32-bit boundary." (§6.5)
/// </remarks>
public readonly ref struct SdesChunk
{
    /// <summary>Octets of the SSRC/CSRC.</summary>
    public const int SsrcLength = 4;

    private readonly ReadOnlySpan<byte> _items;

    internal SdesChunk(uint ssrc, ReadOnlySpan<byte> items)
    {
        Ssrc = ssrc;
        _items = items;
    }

    /// <summary>The SSRC or CSRC described.</summary>
    public uint Ssrc { get; }

    /// <summary>Enumerates the items (END excluded) without allocating.</summary>
    public ItemEnumerator GetEnumerator() => new(_items);

    /// <summary>Finds the first item of <paramref name="type"/>.</summary>
    public bool TryGetItem(SdesItemType type, out ReadOnlySpan<byte> text)
    {
        foreach (var item in this)
        {
            if (item.Type == type)
            {
                text = item.Text;
                return true;
            }
        }
        text = default;
        return false;
    }

    /// <summary>
    /// Measures the chunk starting at <paramref name="source"/>[0]: SSRC, items, END and padding to the
    /// next 32-bit boundary (<paramref name="source"/> starts on one). False if any of it is missing.
    /// </summary>
    internal static bool TryMeasure(ReadOnlySpan<byte> source, out int chunkLength, out int itemsLength)
    {
        chunkLength = 0;
        itemsLength = 0;
        var offset = SsrcLength;
        while (true)
        {
            if (offset >= source.Length)
            {
                return false;
            }
            if (source[offset] == (byte)SdesItemType.End)
            {
                break;
            }
            if (source.Length - offset < SdesItem.HeaderLength)
            {
                return false;
            }
            var next = offset + SdesItem.HeaderLength + source[offset + 1];
            if (next > source.Length)
            {
                return false;
            }
            offset = next;
        }
        itemsLength = offset - SsrcLength;
        var afterEnd = offset + 1;
        chunkLength = afterEnd + RtcpHeader.PadToWord(afterEnd);
        return chunkLength <= source.Length;
    }

    /// <summary>Reads a chunk <see cref="TryMeasure"/> accepted.</summary>
    internal static SdesChunk Read(ReadOnlySpan<byte> source, int itemsLength) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(source), source.Slice(SsrcLength, itemsLength));

    /// <summary>Allocation-free item enumerator.</summary>
    public ref struct ItemEnumerator
    {
        private readonly ReadOnlySpan<byte> _items;
        private int _offset;

        internal ItemEnumerator(ReadOnlySpan<byte> items)
        {
            _items = items;
            _offset = 0;
            Current = default;
        }

        /// <summary>The current item.</summary>
        public SdesItem Current { get; private set; }

        /// <summary>Advances; false after the last item.</summary>
        public bool MoveNext()
        {
            // The items were measured when the packet was parsed: every length fits.
            if (_offset >= _items.Length)
            {
                return false;
            }
            var type = (SdesItemType)_items[_offset];
            int length = _items[_offset + 1];
            Current = new SdesItem(type, _items.Slice(_offset + SdesItem.HeaderLength, length));
            _offset += SdesItem.HeaderLength + length;
            return true;
        }
    }
}
