namespace Sotto.Rtc.Rtcp;

/// <summary>Packet status symbols of transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.1).</summary>
public enum TransportCcStatusSymbol : byte
{
    /// <summary>00: packet not received; no receive delta.</summary>
    NotReceived = 0,

    /// <summary>01: received, one-octet unsigned receive delta (0 to 63.75 ms).</summary>
    ReceivedSmallDelta = 1,

    /// <summary>10: received, two-octet signed receive delta (large or negative).</summary>
    ReceivedLargeDelta = 2,

    /// <summary>11: reserved; a packet using it is rejected, as libwebrtc does.</summary>
    Reserved = 3,
}

/// <summary>
/// One 16-bit packet chunk of transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
/// §3.1.3 and §3.1.4): either a run of one status symbol or a vector of 14 one-bit or 7 two-bit symbols.
/// </summary>
/// <remarks>
/// <code>
/// Run length chunk                  Status vector chunk
///  0                   1             0                   1
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |T| S |       Run Length        | |T|S|       symbol list         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  T=0, S = the symbol, 13-bit run   T=1, S=0: 14 x 1 bit (0 = not received, 1 = small delta)
///                                    T=1, S=1:  7 x 2 bits (a TransportCcStatusSymbol each)
/// </code>
/// Symbols are listed first-packet-first from the most significant bit. A vector chunk may describe
/// more symbols than the packet status count; the surplus is ignored.
/// </remarks>
public readonly record struct TransportCcPacketChunk(ushort Value)
{
    /// <summary>Octets of a chunk.</summary>
    public const int Size = 2;

    /// <summary>Longest run a run length chunk can describe (13 bits).</summary>
    public const int MaxRunLength = 0x1FFF;

    /// <summary>Symbols in a one-bit status vector chunk.</summary>
    public const int OneBitCapacity = 14;

    /// <summary>Symbols in a two-bit status vector chunk.</summary>
    public const int TwoBitCapacity = 7;

    private const ushort VectorBit = 0x8000;
    private const ushort TwoBitSymbolsBit = 0x4000;
    private const int RunSymbolShift = 13;

    /// <summary>T=0: a run length chunk.</summary>
    public bool IsRunLength => (Value & VectorBit) == 0;

    /// <summary>Symbols described: the run length, or 14 or 7 for a vector.</summary>
    public int SymbolCount => IsRunLength
        ? Value & MaxRunLength
        : (Value & TwoBitSymbolsBit) == 0 ? OneBitCapacity : TwoBitCapacity;

    /// <summary>The symbol at <paramref name="index"/> (0 ≤ index &lt; <see cref="SymbolCount"/>).</summary>
    public TransportCcStatusSymbol GetSymbol(int index)
    {
        if (IsRunLength)
        {
            return (TransportCcStatusSymbol)((Value >> RunSymbolShift) & 0x3);
        }
        if ((Value & TwoBitSymbolsBit) == 0)
        {
            return (TransportCcStatusSymbol)((Value >> (OneBitCapacity - 1 - index)) & 0x1);
        }
        return (TransportCcStatusSymbol)((Value >> (2 * (TwoBitCapacity - 1 - index))) & 0x3);
    }

    /// <summary>A run of <paramref name="length"/> (≤ 8191) copies of <paramref name="symbol"/>.</summary>
    public static TransportCcPacketChunk RunLength(TransportCcStatusSymbol symbol, int length) =>
        new((ushort)(((int)symbol << RunSymbolShift) | (length & MaxRunLength)));

    /// <summary>A one-bit vector of up to 14 symbols, each NotReceived or ReceivedSmallDelta; missing slots read as not received.</summary>
    public static TransportCcPacketChunk OneBitVector(ReadOnlySpan<TransportCcStatusSymbol> symbols)
    {
        var value = VectorBit;
        for (var i = 0; i < symbols.Length && i < OneBitCapacity; i++)
        {
            value |= (ushort)(((int)symbols[i] & 0x1) << (OneBitCapacity - 1 - i));
        }
        return new TransportCcPacketChunk(value);
    }

    /// <summary>A two-bit vector of up to 7 symbols; missing slots read as not received.</summary>
    public static TransportCcPacketChunk TwoBitVector(ReadOnlySpan<TransportCcStatusSymbol> symbols)
    {
        var value = (ushort)(VectorBit | TwoBitSymbolsBit);
        for (var i = 0; i < symbols.Length && i < TwoBitCapacity; i++)
        {
            value |= (ushort)(((int)symbols[i] & 0x3) << (2 * (TwoBitCapacity - 1 - i)));
        }
        return new TransportCcPacketChunk(value);
    }

    /// <summary>
    /// Picks the chunk for the symbols starting at <paramref name="symbols"/>[0] and returns how many of
    /// them it covers. Greedy, and never worse than one chunk per 7 symbols: a run of 14 or more takes
    /// a run length chunk; 14 symbols without a large delta take a one-bit vector; otherwise a run of 7
    /// or more takes a run length chunk, and anything else a two-bit vector.
    /// </summary>
    internal static TransportCcPacketChunk Encode(ReadOnlySpan<TransportCcStatusSymbol> symbols, out int covered)
    {
        var first = symbols[0];
        var run = 1;
        while (run < symbols.Length && run < MaxRunLength && symbols[run] == first)
        {
            run++;
        }
        if (run >= OneBitCapacity || run == symbols.Length)
        {
            covered = run;
            return RunLength(first, run);
        }
        var oneBitSpan = Math.Min(OneBitCapacity, symbols.Length);
        if (!symbols[..oneBitSpan].Contains(TransportCcStatusSymbol.ReceivedLargeDelta))
        {
            covered = oneBitSpan;
            return OneBitVector(symbols[..oneBitSpan]);
        }
        if (run >= TwoBitCapacity)
        {
            covered = run;
            return RunLength(first, run);
        }
        covered = Math.Min(TwoBitCapacity, symbols.Length);
        return TwoBitVector(symbols[..covered]);
    }
}
