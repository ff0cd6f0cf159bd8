using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Sotto.Rtc.Rtcp;

/// <summary>
/// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1):
/// RTPFB FMT 15, the arrival status and time of each packet by transport-wide sequence number. Parsed as
/// a validated view (<see cref="TryParse"/>, then <c>foreach</c> over the packets, nothing allocated);
/// written from arrivals with <see cref="TryWrite(Span{byte}, uint, uint, byte, ReadOnlySpan{TransportCcArrival}, out int, out int)"/>
/// or, for a stream of received packets, with <see cref="TransportCcFeedbackBuilder"/>.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=15 |    PT=205     |           length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     SSRC of packet sender                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      SSRC of media source                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      base sequence number     |      packet status count      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 reference time                | fb pkt. count |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          packet chunk         |         packet chunk          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// .                                                               .
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         packet chunk          |  recv delta   |  recv delta   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// .                                                               .
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           recv delta          |  recv delta   | zero padding  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Reference time: signed 24 bits in 64 ms units. Receive deltas: 250 µs units, one octet unsigned
/// (small) or two octets signed (large), one per received packet, in sequence order; the first is
/// relative to the reference time, each next to the previous received packet.
/// <para>
/// Padding: the draft zero-pads the FCI to a 32-bit boundary; libwebrtc instead sets P and puts the
/// padding count in the last octet. Both parse (the header strips P padding; up to three octets after
/// the deltas are ignored). This writer zero-pads without P, so its packets may sit anywhere in a
/// compound packet without breaking RFC 3550's "padding only on the last packet".
/// </para>
/// </remarks>
public readonly ref struct TransportWideCcFeedback : IRtcpSerializable
{
    /// <summary>Receive delta unit in microseconds.</summary>
    public const int DeltaTickMicros = 250;

    /// <summary>Reference time unit in microseconds (64 ms = 256 delta ticks).</summary>
    public const int ReferenceTimeUnitMicros = 64_000;

    /// <summary>Octets of a feedback with no chunk: header, SSRCs and the 8-octet feedback header.</summary>
    public const int HeaderLength = RtcpFeedback.CommonLength + ChunksOffset;

    private const int TicksPerReferenceUnit = ReferenceTimeUnitMicros / DeltaTickMicros;
    private const int ReferenceTimeMask = 0xFF_FFFF;
    private const int BaseSequenceNumberOffset = 0;
    private const int PacketStatusCountOffset = 2;
    private const int ReferenceTimeOffset = 4;
    private const int FeedbackPacketCountOffset = 7;
    private const int ChunksOffset = 8;
    private const int MaxTrailingZeroPadding = 3;
    private const int MaxStackSymbols = 1024;

    private readonly ReadOnlySpan<byte> _chunks;
    private readonly ReadOnlySpan<byte> _deltas;

    private TransportWideCcFeedback(
        uint senderSsrc,
        uint mediaSsrc,
        ushort baseSequenceNumber,
        ushort packetStatusCount,
        int referenceTime,
        byte feedbackPacketCount,
        ReadOnlySpan<byte> chunks,
        ReadOnlySpan<byte> deltas)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        BaseSequenceNumber = baseSequenceNumber;
        PacketStatusCount = packetStatusCount;
        ReferenceTime = referenceTime;
        FeedbackPacketCount = feedbackPacketCount;
        _chunks = chunks;
        _deltas = deltas;
    }

    /// <summary>SSRC of the packet sender.</summary>
    public uint SenderSsrc { get; }

    /// <summary>SSRC of the media source (libwebrtc puts one of the reported streams here; transport-wide feedback does not depend on it).</summary>
    public uint MediaSsrc { get; }

    /// <summary>Transport-wide sequence number of the first reported packet.</summary>
    public ushort BaseSequenceNumber { get; }

    /// <summary>Number of packets reported, received or not.</summary>
    public ushort PacketStatusCount { get; }

    /// <summary>Reference time, sign-extended 24-bit, in 64 ms units.</summary>
    public int ReferenceTime { get; }

    /// <summary>Reference time in microseconds.</summary>
    public long ReferenceTimeMicros => ReferenceTime * (long)ReferenceTimeUnitMicros;

    /// <summary>Feedback packet count: increments per feedback sent, so the sender can detect lost feedback.</summary>
    public byte FeedbackPacketCount { get; }

    /// <summary>Number of packet chunks.</summary>
    public int ChunkCount => _chunks.Length / TransportCcPacketChunk.Size;

    /// <inheritdoc/>
    public RtcpPacketType PacketType => RtcpPacketType.TransportLayerFeedback;

    /// <summary>
    /// Parses and fully validates one transport-cc feedback packet: the chunks cover the status count,
    /// no reserved symbol is used, every received packet has its delta, and at most three octets of zero
    /// padding follow. A zero status count is accepted (libwebrtc refuses to write or read one; this
    /// parser reports it as empty).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out TransportWideCcFeedback feedback)
    {
        feedback = default;
        if (!RtcpFeedback.TryParse(packet, RtcpPacketType.TransportLayerFeedback, RtcpFeedbackFormat.TransportWideCc, out var sender, out var media, out var fci)
            || fci.Length < ChunksOffset)
        {
            return false;
        }
        var statusCount = BinaryPrimitives.ReadUInt16BigEndian(fci[PacketStatusCountOffset..]);
        var offset = ChunksOffset;
        var described = 0;
        var deltaLength = 0;
        while (described < statusCount)
        {
            if (fci.Length - offset < TransportCcPacketChunk.Size)
            {
                return false;
            }
            var chunk = new TransportCcPacketChunk(BinaryPrimitives.ReadUInt16BigEndian(fci[offset..]));
            offset += TransportCcPacketChunk.Size;
            var used = Math.Min(chunk.SymbolCount, statusCount - described);
            if (chunk.IsRunLength)
            {
                var symbol = chunk.GetSymbol(0);
                if (used > 0 && symbol == TransportCcStatusSymbol.Reserved)
                {
                    return false;
                }
                deltaLength += used * DeltaLength(symbol);
            }
            else
            {
                for (var i = 0; i < used; i++)
                {
                    var symbol = chunk.GetSymbol(i);
                    if (symbol == TransportCcStatusSymbol.Reserved)
                    {
                        return false;
                    }
                    deltaLength += DeltaLength(symbol);
                }
            }
            described += used;
        }
        var trailing = fci.Length - offset - deltaLength;
        if (trailing < 0 || trailing > MaxTrailingZeroPadding)
        {
            return false;
        }
        // The 24-bit reference time and the count share a word: an arithmetic shift drops the count
        // and sign-extends the reference time.
        var referenceTime = (int)BinaryPrimitives.ReadUInt32BigEndian(fci[ReferenceTimeOffset..]) >> 8;
        feedback = new TransportWideCcFeedback(
            sender,
            media,
            BinaryPrimitives.ReadUInt16BigEndian(fci[BaseSequenceNumberOffset..]),
            statusCount,
            referenceTime,
            fci[FeedbackPacketCountOffset],
            fci[ChunksOffset..offset],
            fci.Slice(offset, deltaLength));
        return true;
    }

    /// <summary>The chunk at <paramref name="index"/>.</summary>
    public TransportCcPacketChunk GetChunk(int index) =>
        new(BinaryPrimitives.ReadUInt16BigEndian(_chunks.Slice(index * TransportCcPacketChunk.Size, TransportCcPacketChunk.Size)));

    /// <summary>Enumerates every reported packet in sequence order, without allocating.</summary>
    public PacketStatusEnumerator GetEnumerator() => new(this);

    /// <summary>Number of packets reported as received.</summary>
    public int CountReceived()
    {
        var received = 0;
        foreach (var status in this)
        {
            if (status.IsReceived)
            {
                received++;
            }
        }
        return received;
    }

    /// <inheritdoc/>
    public int GetSerializedLength()
    {
        var unpadded = HeaderLength + _chunks.Length + _deltas.Length;
        return unpadded + RtcpHeader.PadToWord(unpadded);
    }

    /// <summary>Writes this feedback back out (zero-padded, no P bit).</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = GetSerializedLength();
        if (length > RtcpHeader.MaxPacketLength || destination.Length < length)
        {
            return false;
        }
        var fci = RtcpFeedback.WriteCommon(destination, RtcpPacketType.TransportLayerFeedback, RtcpFeedbackFormat.TransportWideCc, length, SenderSsrc, MediaSsrc);
        WriteFeedbackHeader(fci, BaseSequenceNumber, PacketStatusCount, ReferenceTime, FeedbackPacketCount);
        _chunks.CopyTo(fci[ChunksOffset..]);
        _deltas.CopyTo(fci[(ChunksOffset + _chunks.Length)..]);
        fci[(ChunksOffset + _chunks.Length + _deltas.Length)..].Clear();
        written = length;
        return true;
    }

    /// <summary>
    /// Writes one feedback packet reporting a prefix of <paramref name="arrivals"/>, which must be in
    /// ascending transport-wide sequence order (wrapping through 65535 → 0 is fine; gaps are reported as
    /// not received). The prefix ends before the first arrival that is not newer than the one before it,
    /// that lies 32768 or more sequence numbers ahead, whose delta does not fit 16 signed bits of 250 µs
    /// (±8.19 s), that would exceed 65535 statuses, or that would not fit <paramref name="destination"/>;
    /// <paramref name="consumed"/> says how many were reported so the caller can write the rest into the
    /// next packet. False if not even the first arrival fits.
    /// </summary>
    /// <remarks>
    /// Arrival times are rounded to 250 µs ticks and each delta is the difference of rounded ticks, so
    /// rounding errors do not accumulate across the packet (libwebrtc does the same). The reference time
    /// is the first arrival floored to 64 ms, so the first delta is always small.
    /// </remarks>
    public static bool TryWrite(
        Span<byte> destination,
        uint senderSsrc,
        uint mediaSsrc,
        byte feedbackPacketCount,
        ReadOnlySpan<TransportCcArrival> arrivals,
        out int written,
        out int consumed)
    {
        written = 0;
        consumed = 0;
        if (arrivals.IsEmpty || destination.Length < HeaderLength + TransportCcPacketChunk.Size + 2)
        {
            return false;
        }
        var referenceTicks = FloorDiv(ToTicks(arrivals[0].ArrivalTimeMicros), TicksPerReferenceUnit) * TicksPerReferenceUnit;
        var usable = CountEncodable(arrivals, referenceTicks, out var statusCount);

        byte[]? rented = null;
        var symbols = statusCount <= MaxStackSymbols
            ? stackalloc TransportCcStatusSymbol[statusCount]
            : MemoryMarshal.Cast<byte, TransportCcStatusSymbol>((rented = ArrayPool<byte>.Shared.Rent(statusCount)).AsSpan());
        try
        {
            symbols = symbols[..statusCount];
            FillSymbols(arrivals[..usable], referenceTicks, symbols);

            var maxLength = Math.Min(destination.Length, RtcpHeader.MaxPacketLength);
            var reported = usable;
            var length = MeasurePacket(symbols, reported, out var reportedStatuses);
            if (length > maxLength)
            {
                // Too big for the buffer: binary search the longest prefix that fits.
                int low = 0, high = usable - 1;
                while (low < high)
                {
                    var mid = (low + high + 1) / 2;
                    if (MeasurePacket(symbols, mid, out _) <= maxLength)
                    {
                        low = mid;
                    }
                    else
                    {
                        high = mid - 1;
                    }
                }
                reported = low;
                if (reported == 0)
                {
                    return false;
                }
                length = MeasurePacket(symbols, reported, out reportedStatuses);
            }

            var fci = RtcpFeedback.WriteCommon(destination, RtcpPacketType.TransportLayerFeedback, RtcpFeedbackFormat.TransportWideCc, length, senderSsrc, mediaSsrc);
            WriteFeedbackHeader(fci, arrivals[0].SequenceNumber, (ushort)reportedStatuses, (int)(referenceTicks / TicksPerReferenceUnit), feedbackPacketCount);
            var offset = ChunksOffset + WriteChunks(symbols[..reportedStatuses], fci[ChunksOffset..]);
            offset += WriteDeltas(arrivals[..reported], referenceTicks, fci[offset..]);
            fci[offset..].Clear();
            written = length;
            consumed = reported;
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void WriteFeedbackHeader(Span<byte> fci, ushort baseSequenceNumber, ushort statusCount, int referenceTime, byte feedbackPacketCount)
    {
        BinaryPrimitives.WriteUInt16BigEndian(fci[BaseSequenceNumberOffset..], baseSequenceNumber);
        BinaryPrimitives.WriteUInt16BigEndian(fci[PacketStatusCountOffset..], statusCount);
        var reference = referenceTime & ReferenceTimeMask;
        fci[ReferenceTimeOffset] = (byte)(reference >> 16);
        fci[ReferenceTimeOffset + 1] = (byte)(reference >> 8);
        fci[ReferenceTimeOffset + 2] = (byte)reference;
        fci[FeedbackPacketCountOffset] = feedbackPacketCount;
    }

    /// <summary>How many leading arrivals one packet can carry, ignoring size; <paramref name="statusCount"/> is the statuses they span.</summary>
    private static int CountEncodable(ReadOnlySpan<TransportCcArrival> arrivals, long referenceTicks, out int statusCount)
    {
        var previousTicks = referenceTicks;
        var offset = 0;
        var count = 0;
        for (var i = 0; i < arrivals.Length; i++)
        {
            var nextOffset = offset;
            if (i > 0)
            {
                var step = (ushort)(arrivals[i].SequenceNumber - arrivals[i - 1].SequenceNumber);
                if (step == 0 || step >= 0x8000 || offset + step >= ushort.MaxValue)
                {
                    break;
                }
                nextOffset += step;
            }
            var ticks = ToTicks(arrivals[i].ArrivalTimeMicros);
            var delta = ticks - previousTicks;
            if (delta < short.MinValue || delta > short.MaxValue)
            {
                // Only possible for i > 0: the first delta is below 256 by construction.
                break;
            }
            offset = nextOffset;
            previousTicks = ticks;
            count = i + 1;
        }
        statusCount = offset + 1;
        return count;
    }

    private static void FillSymbols(ReadOnlySpan<TransportCcArrival> arrivals, long referenceTicks, Span<TransportCcStatusSymbol> symbols)
    {
        symbols.Clear();
        var previousTicks = referenceTicks;
        var baseSequence = arrivals[0].SequenceNumber;
        foreach (var arrival in arrivals)
        {
            var ticks = ToTicks(arrival.ArrivalTimeMicros);
            symbols[(ushort)(arrival.SequenceNumber - baseSequence)] = SymbolFor(ticks - previousTicks);
            previousTicks = ticks;
        }
    }

    /// <summary>Packet length for the first <paramref name="reported"/> arrivals, whose statuses are the first <paramref name="statusCount"/> symbols.</summary>
    private static int MeasurePacket(ReadOnlySpan<TransportCcStatusSymbol> symbols, int reported, out int statusCount)
    {
        var deltaLength = 0;
        var received = 0;
        statusCount = 0;
        while (received < reported)
        {
            var symbol = symbols[statusCount++];
            if (symbol != TransportCcStatusSymbol.NotReceived)
            {
                received++;
                deltaLength += DeltaLength(symbol);
            }
        }
        var unpadded = HeaderLength + (CountChunks(symbols[..statusCount]) * TransportCcPacketChunk.Size) + deltaLength;
        return unpadded + RtcpHeader.PadToWord(unpadded);
    }

    private static int CountChunks(ReadOnlySpan<TransportCcStatusSymbol> symbols)
    {
        var chunks = 0;
        while (!symbols.IsEmpty)
        {
            TransportCcPacketChunk.Encode(symbols, out var covered);
            symbols = symbols[covered..];
            chunks++;
        }
        return chunks;
    }

    private static int WriteChunks(ReadOnlySpan<TransportCcStatusSymbol> symbols, Span<byte> destination)
    {
        var offset = 0;
        while (!symbols.IsEmpty)
        {
            var chunk = TransportCcPacketChunk.Encode(symbols, out var covered);
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], chunk.Value);
            offset += TransportCcPacketChunk.Size;
            symbols = symbols[covered..];
        }
        return offset;
    }

    private static int WriteDeltas(ReadOnlySpan<TransportCcArrival> arrivals, long referenceTicks, Span<byte> destination)
    {
        var offset = 0;
        var previousTicks = referenceTicks;
        foreach (var arrival in arrivals)
        {
            var ticks = ToTicks(arrival.ArrivalTimeMicros);
            var delta = ticks - previousTicks;
            previousTicks = ticks;
            if (SymbolFor(delta) == TransportCcStatusSymbol.ReceivedSmallDelta)
            {
                destination[offset++] = (byte)delta;
            }
            else
            {
                BinaryPrimitives.WriteInt16BigEndian(destination[offset..], (short)delta);
                offset += 2;
            }
        }
        return offset;
    }

    private static TransportCcStatusSymbol SymbolFor(long deltaTicks) => deltaTicks is >= 0 and <= byte.MaxValue
        ? TransportCcStatusSymbol.ReceivedSmallDelta
        : TransportCcStatusSymbol.ReceivedLargeDelta;

    private static int DeltaLength(TransportCcStatusSymbol symbol) => symbol switch
    {
        TransportCcStatusSymbol.ReceivedSmallDelta => 1,
        TransportCcStatusSymbol.ReceivedLargeDelta => 2,
        _ => 0,
    };

    /// <summary>Microseconds to 250 µs ticks, rounded to nearest.</summary>
    internal static long ToTicks(long micros) => FloorDiv(micros + (DeltaTickMicros / 2), DeltaTickMicros);

    private static long FloorDiv(long value, long divisor)
    {
        var quotient = Math.DivRem(value, divisor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    /// <summary>Yields each reported packet: sequence number, status, delta and arrival time.</summary>
    public ref struct PacketStatusEnumerator
    {
        private readonly ReadOnlySpan<byte> _chunks;
        private readonly ReadOnlySpan<byte> _deltas;
        private readonly int _statusCount;
        private int _reported;
        private int _chunkOffset;
        private int _symbolIndex;
        private TransportCcPacketChunk _chunk;
        private int _deltaOffset;
        private ushort _sequenceNumber;
        private long _arrivalMicros;

        internal PacketStatusEnumerator(TransportWideCcFeedback feedback)
        {
            _chunks = feedback._chunks;
            _deltas = feedback._deltas;
            _statusCount = feedback.PacketStatusCount;
            _reported = 0;
            _chunkOffset = 0;
            _symbolIndex = 0;
            _chunk = default; // SymbolCount 0: the first MoveNext loads chunk 0.
            _deltaOffset = 0;
            _sequenceNumber = feedback.BaseSequenceNumber;
            _arrivalMicros = feedback.ReferenceTimeMicros;
            Current = default;
        }

        /// <summary>The current packet.</summary>
        public TransportCcPacketStatus Current { get; private set; }

        /// <summary>Advances; false after the last reported packet.</summary>
        public bool MoveNext()
        {
            if (_reported >= _statusCount)
            {
                return false;
            }
            // TryParse proved the chunks cover the status count and the deltas are all present.
            while (_symbolIndex >= _chunk.SymbolCount)
            {
                _chunk = new TransportCcPacketChunk(BinaryPrimitives.ReadUInt16BigEndian(_chunks[_chunkOffset..]));
                _chunkOffset += TransportCcPacketChunk.Size;
                _symbolIndex = 0;
            }
            var symbol = _chunk.GetSymbol(_symbolIndex++);
            var deltaTicks = 0;
            var arrival = 0L;
            if (symbol == TransportCcStatusSymbol.ReceivedSmallDelta)
            {
                deltaTicks = _deltas[_deltaOffset++];
            }
            else if (symbol == TransportCcStatusSymbol.ReceivedLargeDelta)
            {
                deltaTicks = BinaryPrimitives.ReadInt16BigEndian(_deltas[_deltaOffset..]);
                _deltaOffset += 2;
            }
            if (symbol != TransportCcStatusSymbol.NotReceived)
            {
                _arrivalMicros += deltaTicks * (long)DeltaTickMicros;
                arrival = _arrivalMicros;
            }
            Current = new TransportCcPacketStatus(_sequenceNumber, symbol, deltaTicks, arrival);
            _sequenceNumber++;
            _reported++;
            return true;
        }
    }
}
