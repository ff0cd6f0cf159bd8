using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sotto.Rtc.Crypto;

/// <summary>
/// GHASH (NIST SP 800-38D §6.4) with PCLMULQDQ. Field elements are kept byte-reversed ("reflected"), the
/// form in which a carry-less multiply of two elements gives their GF(2^128) product shifted right by one
/// bit; <see cref="Reduce"/> shifts it back and reduces modulo x^128 + x^7 + x^2 + x + 1, the
/// shift-then-reduce method of Gueron and Kounavis, "Intel Carry-Less Multiplication Instruction and its
/// Usage for Computing the GCM Mode" (Intel white paper). Eight blocks share one reduction,
/// Y' = (Y ^ X1)·H^8 ^ X2·H^7 ^ ... ^ X8·H, because the shift and the reduction are linear.
/// </summary>
internal static class Ghash
{
    public const int BlockSize = 16;
    public const int AggregatedBlocks = 8;
    private const int ChunkSize = BlockSize * AggregatedBlocks;

    public static bool IsSupported => Pclmulqdq.IsSupported && Ssse3.IsSupported;

    /// <summary>Converts between the wire order of a 16-octet block and the reflected form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Reflect(Vector128<byte> block) =>
        Ssse3.Shuffle(block, Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));

    /// <summary>
    /// Four blocks per instruction with 512-bit VPCLMULQDQ (AVX-512). .NET 10 has it; with it eight blocks
    /// take 8 carry-less multiplies instead of 32.
    /// </summary>
    public static bool IsWideSupported => Pclmulqdq.V512.IsSupported && Avx512BW.IsSupported;

    /// <summary>H^1 .. H^8 (index 0 holds H), reflected, from the reflected hash key H = E(K, 0^128).</summary>
    public static Vector128<byte>[] ComputeKeyPowers(Vector128<byte> reflectedHashKey)
    {
        var powers = new Vector128<byte>[AggregatedBlocks];
        powers[0] = reflectedHashKey;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = Multiply(powers[i - 1], reflectedHashKey);
        }
        return powers;
    }

    /// <summary>
    /// Absorbs exactly one 128-octet chunk at <paramref name="chunk"/>; the caller has bounds-checked it
    /// (a <c>Slice(offset, 128)</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> AbsorbChunk(Vector128<byte> state, ref byte chunk, GhashKey key)
    {
        if (IsWideSupported && key.Wide)
        {
            // Lanes of the first vector: (Y ^ X1, X2, X3, X4) times (H^8, H^7, H^6, H^5); second: X5..X8 times H^4..H^1.
            var first = Reflect(Vector512.LoadUnsafe(ref chunk, 0)) ^ state.ToVector256().ToVector512();
            var second = Reflect(Vector512.LoadUnsafe(ref chunk, 64));
            var x = first.AsUInt64();
            var y = second.AsUInt64();
            var high8 = key.Wide8To5;
            var low4 = key.Wide4To1;
            var low = Pclmulqdq.V512.CarrylessMultiply(x, high8, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(y, low4, 0x00);
            var high = Pclmulqdq.V512.CarrylessMultiply(x, high8, 0x11) ^ Pclmulqdq.V512.CarrylessMultiply(y, low4, 0x11);
            var middle = Pclmulqdq.V512.CarrylessMultiply(x, high8, 0x01) ^ Pclmulqdq.V512.CarrylessMultiply(x, high8, 0x10)
                ^ Pclmulqdq.V512.CarrylessMultiply(y, low4, 0x01) ^ Pclmulqdq.V512.CarrylessMultiply(y, low4, 0x10);
            return Reduce(FoldLanes(low), FoldLanes(middle), FoldLanes(high));
        }

        var powers = key.Powers;
        var l = Vector128<ulong>.Zero;
        var m = Vector128<ulong>.Zero;
        var h = Vector128<ulong>.Zero;
        MultiplyAccumulate(state ^ Reflect(Vector128.LoadUnsafe(ref chunk, 0)), powers[7], ref l, ref m, ref h);
        MultiplyAccumulate(Reflect(Vector128.LoadUnsafe(ref chunk, 16)), powers[6], ref l, ref m, ref h);
        MultiplyAccumulate(Reflect(Vector128.LoadUnsafe(ref chunk, 32)), powers[5], ref l, ref m, ref h);
        MultiplyAccumulate(Reflect(Vector128.LoadUnsafe(ref chunk, 48)), powers[4], ref l, ref m, ref h);
        MultiplyAccumulate(Reflect(Vector128.LoadUnsafe(ref chunk, 64)), powers[3], ref l, ref m, ref h);
        MultiplyAccumulate(Reflect(Vector128.LoadUnsafe(ref chunk, 80)), powers[2], ref l, ref m, ref h);
        MultiplyAccumulate(Reflect(Vector128.LoadUnsafe(ref chunk, 96)), powers[1], ref l, ref m, ref h);
        MultiplyAccumulate(Reflect(Vector128.LoadUnsafe(ref chunk, 112)), powers[0], ref l, ref m, ref h);
        return Reduce(l, m, h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Reflect(Vector512<byte> blocks) =>
        Avx512BW.Shuffle(blocks, Vector512.Create(Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> FoldLanes(Vector512<ulong> lanes)
    {
        var half = lanes.GetLower() ^ lanes.GetUpper();
        return half.GetLower() ^ half.GetUpper();
    }

    /// <summary>a·b in GF(2^128), both reflected.</summary>
    public static Vector128<byte> Multiply(Vector128<byte> a, Vector128<byte> b)
    {
        var low = Vector128<ulong>.Zero;
        var middle = Vector128<ulong>.Zero;
        var high = Vector128<ulong>.Zero;
        MultiplyAccumulate(a, b, ref low, ref middle, ref high);
        return Reduce(low, middle, high);
    }

    /// <summary>
    /// Absorbs <paramref name="input"/>, zero-padded to whole blocks (SP 800-38D §7.1 pads A and C each
    /// on its own), into the reflected state <paramref name="state"/>.
    /// </summary>
    public static Vector128<byte> Update(Vector128<byte> state, ReadOnlySpan<byte> input, GhashKey key)
    {
        var offset = 0;
        while (input.Length - offset >= ChunkSize)
        {
            // The slice checks the bounds once; the loads in AbsorbChunk stay inside it.
            state = AbsorbChunk(state, ref MemoryMarshal.GetReference(input.Slice(offset, ChunkSize)), key);
            offset += ChunkSize;
        }

        var remaining = input.Length - offset;
        if (remaining == 0)
        {
            return state;
        }

        // 1..127 octets left: up to seven whole blocks and a partial one, all under one reduction,
        // block j of n multiplied by H^(n-j).
        var keyPowers = key.Powers;
        var blocks = (remaining + BlockSize - 1) / BlockSize;
        var fullBlocks = remaining / BlockSize;
        var tailLow = Vector128<ulong>.Zero;
        var tailMiddle = Vector128<ulong>.Zero;
        var tailHigh = Vector128<ulong>.Zero;
        var first = state;
        for (var j = 0; j < fullBlocks; j++)
        {
            var block = Reflect(Vector128.Create(input.Slice(offset + (j * BlockSize), BlockSize))) ^ first;
            MultiplyAccumulate(block, keyPowers[blocks - 1 - j], ref tailLow, ref tailMiddle, ref tailHigh);
            first = Vector128<byte>.Zero;
        }
        if (fullBlocks < blocks)
        {
            Span<byte> padded = stackalloc byte[BlockSize];
            padded.Clear();
            input[(offset + (fullBlocks * BlockSize))..].CopyTo(padded);
            var block = Reflect(Vector128.Create((ReadOnlySpan<byte>)padded)) ^ first;
            MultiplyAccumulate(block, keyPowers[0], ref tailLow, ref tailMiddle, ref tailHigh);
        }
        return Reduce(tailLow, tailMiddle, tailHigh);
    }

    /// <summary>
    /// Absorbs the final block len(A) || len(C), both 64-bit big-endian bit counts (SP 800-38D §7.1 step 5).
    /// Reflected, the whole block reads as the little-endian pair (len(C), len(A)).
    /// </summary>
    public static Vector128<byte> Finish(Vector128<byte> state, int associatedDataLength, int dataLength, Vector128<byte> reflectedHashKey)
    {
        var lengths = Vector128.Create((ulong)dataLength * 8, (ulong)associatedDataLength * 8).AsByte();
        return Multiply(state ^ lengths, reflectedHashKey);
    }

    // Schoolbook 128x128 -> 256-bit carry-less product, accumulated unreduced: low and high halves, and the
    // two cross terms whose sum straddles them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAccumulate(Vector128<byte> a, Vector128<byte> b, ref Vector128<ulong> low, ref Vector128<ulong> middle, ref Vector128<ulong> high)
    {
        var x = a.AsUInt64();
        var y = b.AsUInt64();
        low ^= Pclmulqdq.CarrylessMultiply(x, y, 0x00);
        high ^= Pclmulqdq.CarrylessMultiply(x, y, 0x11);
        middle ^= Pclmulqdq.CarrylessMultiply(x, y, 0x01) ^ Pclmulqdq.CarrylessMultiply(x, y, 0x10);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Reduce(Vector128<ulong> low, Vector128<ulong> middle, Vector128<ulong> high)
    {
        var lo = (low ^ Sse2.ShiftLeftLogical128BitLane(middle, 8)).AsUInt32();
        var hi = (high ^ Sse2.ShiftRightLogical128BitLane(middle, 8)).AsUInt32();

        // Shift the 256-bit product hi:lo left by one bit (the reflected product is one bit short).
        var loCarries = Sse2.ShiftRightLogical(lo, 31);
        var hiCarries = Sse2.ShiftRightLogical(hi, 31);
        lo = Sse2.ShiftLeftLogical(lo, 1) | Sse2.ShiftLeftLogical128BitLane(loCarries, 4);
        hi = Sse2.ShiftLeftLogical(hi, 1) | Sse2.ShiftLeftLogical128BitLane(hiCarries, 4) | Sse2.ShiftRightLogical128BitLane(loCarries, 12);

        // Fold the low half into the high one modulo x^128 + x^7 + x^2 + x + 1, in two phases.
        var fold = Sse2.ShiftLeftLogical(lo, 31) ^ Sse2.ShiftLeftLogical(lo, 30) ^ Sse2.ShiftLeftLogical(lo, 25);
        var foldCarry = Sse2.ShiftRightLogical128BitLane(fold, 4);
        lo ^= Sse2.ShiftLeftLogical128BitLane(fold, 12);
        var second = Sse2.ShiftRightLogical(lo, 1) ^ Sse2.ShiftRightLogical(lo, 2) ^ Sse2.ShiftRightLogical(lo, 7) ^ foldCarry;
        return (hi ^ lo ^ second).AsByte();
    }
}
