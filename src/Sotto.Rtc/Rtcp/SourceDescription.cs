using System.Buffers.Binary;

namespace Sotto.Rtc.Rtcp;

/// <summary>
/// SDES: source description (RFC 3550 §6.5). Parsed as a view (chunks and items are spans, nothing is
/// allocated) or built from <see cref="SdesEntry"/> values.
/// </summary>
/// <remarks>
/// <code>
///         0                   1                   2                   3
///         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header |V=2|P|    SC   |  PT=SDES=202  |             length            |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// chunk  |                          SSRC/CSRC_1                          |
///   1    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                           SDES items                          |
///        |                              ...                              |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// chunk  |                          SSRC/CSRC_2                          |
///   2    :                              ...                              :
/// </code>
/// </remarks>
public readonly ref struct SourceDescription : IRtcpSerializable
{
    private readonly ReadOnlySpan<byte> _wireChunks;
    private readonly ReadOnlySpan<SdesEntry> _entries;
    private readonly bool _isWire;

    /// <summary>Builds an SDES to write; consecutive entries with the same SSRC form one chunk.</summary>
    public SourceDescription(ReadOnlySpan<SdesEntry> entries)
    {
        _entries = entries;
        _wireChunks = default;
        _isWire = false;
        ChunkCount = CountChunks(entries);
    }

    private SourceDescription(int chunkCount, ReadOnlySpan<byte> wireChunks)
    {
        _entries = default;
        _wireChunks = wireChunks;
        _isWire = true;
        ChunkCount = chunkCount;
    }

    /// <summary>Number of chunks (SC).</summary>
    public int ChunkCount { get; }

    /// <inheritdoc/>
    public RtcpPacketType PacketType => RtcpPacketType.SourceDescription;

    /// <summary>Parses exactly one SDES packet, checking every chunk and item length.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out SourceDescription description)
    {
        description = default;
        if (!RtcpHeader.TryParsePacket(packet, out var header, out var body)
            || header.PacketType != RtcpPacketType.SourceDescription)
        {
            return false;
        }
        var offset = 0;
        for (var i = 0; i < header.Count; i++)
        {
            if (!SdesChunk.TryMeasure(body[offset..], out var chunkLength, out _))
            {
                return false;
            }
            offset += chunkLength;
        }
        if (offset != body.Length)
        {
            return false;
        }
        description = new SourceDescription(header.Count, body);
        return true;
    }

    /// <summary>Enumerates the chunks of a parsed packet without allocating (empty for a built one).</summary>
    public ChunkEnumerator GetEnumerator() => new(_isWire ? _wireChunks : default);

    /// <summary>Finds the CNAME of <paramref name="ssrc"/> in a parsed packet.</summary>
    public bool TryGetCname(uint ssrc, out ReadOnlySpan<byte> cname)
    {
        foreach (var chunk in this)
        {
            if (chunk.Ssrc == ssrc && chunk.TryGetItem(SdesItemType.Cname, out cname))
            {
                return true;
            }
        }
        cname = default;
        return false;
    }

    /// <inheritdoc/>
    public int GetSerializedLength()
    {
        if (_isWire)
        {
            return RtcpHeader.Size + _wireChunks.Length;
        }
        var length = RtcpHeader.Size;
        var i = 0;
        while (i < _entries.Length)
        {
            var ssrc = _entries[i].Ssrc;
            var chunk = SdesChunk.SsrcLength;
            for (; i < _entries.Length && _entries[i].Ssrc == ssrc; i++)
            {
                chunk += SdesItem.HeaderLength + _entries[i].Text.Length;
            }
            chunk++; // END
            length += chunk + RtcpHeader.PadToWord(chunk);
        }
        return length;
    }

    /// <summary>Writes the packet; false if out of room, more than 31 chunks, an END-typed entry or a text over 255 octets.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = GetSerializedLength();
        if (ChunkCount > RtcpHeader.MaxCount || length > RtcpHeader.MaxPacketLength || destination.Length < length)
        {
            return false;
        }
        if (_isWire)
        {
            RtcpHeader.WriteUnpadded(destination, RtcpPacketType.SourceDescription, ChunkCount, length);
            _wireChunks.CopyTo(destination[RtcpHeader.Size..]);
            written = length;
            return true;
        }
        foreach (var entry in _entries)
        {
            if (entry.Type == SdesItemType.End || entry.Text.Length > SdesItem.MaxTextLength)
            {
                return false;
            }
        }
        RtcpHeader.WriteUnpadded(destination, RtcpPacketType.SourceDescription, ChunkCount, length);
        var offset = RtcpHeader.Size;
        var i = 0;
        while (i < _entries.Length)
        {
            var ssrc = _entries[i].Ssrc;
            var chunkStart = offset;
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], ssrc);
            offset += SdesChunk.SsrcLength;
            for (; i < _entries.Length && _entries[i].Ssrc == ssrc; i++)
            {
                var text = _entries[i].Text.Span;
                destination[offset] = (byte)_entries[i].Type;
                destination[offset + 1] = (byte)text.Length;
                text.CopyTo(destination[(offset + SdesItem.HeaderLength)..]);
                offset += SdesItem.HeaderLength + text.Length;
            }
            // END plus null octets up to the next 32-bit boundary (§6.5).
            var nulls = 1 + RtcpHeader.PadToWord(offset - chunkStart + 1);
            destination.Slice(offset, nulls).Clear();
            offset += nulls;
        }
        written = length;
        return true;
    }

    private static int CountChunks(ReadOnlySpan<SdesEntry> entries)
    {
        var chunks = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            if (i == 0 || entries[i].Ssrc != entries[i - 1].Ssrc)
            {
                chunks++;
            }
        }
        return chunks;
    }

    /// <summary>Allocation-free chunk enumerator over a validated packet body.</summary>
    public ref struct ChunkEnumerator
    {
        private readonly ReadOnlySpan<byte> _chunks;
        private int _offset;

        internal ChunkEnumerator(ReadOnlySpan<byte> chunks)
        {
            _chunks = chunks;
            _offset = 0;
            Current = default;
        }

        /// <summary>The current chunk.</summary>
        public SdesChunk Current { get; private set; }

        /// <summary>Advances; false after the last chunk.</summary>
        public bool MoveNext()
        {
            if (_offset >= _chunks.Length || !SdesChunk.TryMeasure(_chunks[_offset..], out var chunkLength, out var itemsLength))
            {
                return false;
            }
            Current = SdesChunk.Read(_chunks[_offset..], itemsLength);
            _offset += chunkLength;
            return true;
        }
    }
}
