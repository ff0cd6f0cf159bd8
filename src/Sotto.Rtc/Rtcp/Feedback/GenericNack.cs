namespace Sotto.Rtc.Rtcp;

/// <summary>
/// Generic NACK (RFC 4585 §6.2.1): RTPFB FMT 1, a list of lost RTP packets of one media source. The SFU
/// answers these from its retransmission cache, as RTX (DESIGN.md §3, §9).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=1   |  PT=RTPFB=205 |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            PID                |             BLP               |  one or more
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct GenericNack : IRtcpSerializable
{
    /// <summary>Builds a NACK to write (see <see cref="NackItem.TryCreate"/> to pack lost sequence numbers).</summary>
    public GenericNack(uint senderSsrc, uint mediaSsrc, ReadOnlySpan<NackItem> items)
        : this(senderSsrc, mediaSsrc, new RtcpItemList<NackItem>(items))
    {
    }

    private GenericNack(uint senderSsrc, uint mediaSsrc, RtcpItemList<NackItem> items)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        Items = items;
    }

    /// <summary>SSRC of the packet sender.</summary>
    public uint SenderSsrc { get; }

    /// <summary>SSRC of the media source whose packets were lost.</summary>
    public uint MediaSsrc { get; }

    /// <summary>The PID/BLP entries.</summary>
    public RtcpItemList<NackItem> Items { get; }

    /// <inheritdoc/>
    public RtcpPacketType PacketType => RtcpPacketType.TransportLayerFeedback;

    /// <summary>Parses exactly one Generic NACK; false unless it has at least one whole entry.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out GenericNack nack)
    {
        nack = default;
        if (!RtcpFeedback.TryParse(packet, RtcpPacketType.TransportLayerFeedback, RtcpFeedbackFormat.GenericNack, out var sender, out var media, out var fci)
            || fci.IsEmpty
            || fci.Length % NackItem.Size != 0)
        {
            return false;
        }
        nack = new GenericNack(sender, media, RtcpItemList<NackItem>.FromWire(fci));
        return true;
    }

    /// <summary>Total lost packets reported (duplicates across entries counted twice).</summary>
    public int CountLostPackets()
    {
        var count = 0;
        foreach (var item in Items)
        {
            count += item.LostCount;
        }
        return count;
    }

    /// <summary>Enumerates every lost sequence number, entry by entry, without allocating.</summary>
    public LostSequenceNumberEnumerator EnumerateLostSequenceNumbers() => new(Items);

    /// <inheritdoc/>
    public int GetSerializedLength() => RtcpFeedback.CommonLength + Items.WireLength;

    /// <summary>Writes the NACK; false if out of room or without entries (RFC 4585 requires one or more).</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = GetSerializedLength();
        if (Items.Count == 0 || length > RtcpHeader.MaxPacketLength || destination.Length < length)
        {
            return false;
        }
        var fci = RtcpFeedback.WriteCommon(destination, RtcpPacketType.TransportLayerFeedback, RtcpFeedbackFormat.GenericNack, length, SenderSsrc, MediaSsrc);
        Items.WriteTo(fci);
        written = length;
        return true;
    }

    /// <summary>Yields each lost sequence number: PID, then PID+i+1 for every set BLP bit i.</summary>
    public ref struct LostSequenceNumberEnumerator
    {
        private readonly RtcpItemList<NackItem> _items;
        private int _itemIndex;
        private int _bit;
        private NackItem _item;

        internal LostSequenceNumberEnumerator(RtcpItemList<NackItem> items)
        {
            _items = items;
            _itemIndex = -1;
            _bit = 16;
            _item = default;
            Current = 0;
        }

        /// <summary>The current lost sequence number.</summary>
        public ushort Current { get; private set; }

        /// <summary>Returns this enumerator, so it works in <c>foreach</c>.</summary>
        public readonly LostSequenceNumberEnumerator GetEnumerator() => this;

        /// <summary>Advances; false after the last one.</summary>
        public bool MoveNext()
        {
            while (_bit < 16)
            {
                var bit = _bit++;
                if ((_item.LostBitmask & (1 << bit)) != 0)
                {
                    Current = (ushort)(_item.PacketId + bit + 1);
                    return true;
                }
            }
            if (++_itemIndex >= _items.Count)
            {
                return false;
            }
            _item = _items[_itemIndex];
            _bit = 0;
            Current = _item.PacketId;
            return true;
        }
    }
}
