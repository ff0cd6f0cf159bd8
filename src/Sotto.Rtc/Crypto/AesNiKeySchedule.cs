using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace Sotto.Rtc.Crypto;

/// <summary>
/// The AES key expansion (FIPS 197 §5.2) with AESKEYGENASSIST, for 128-bit (11 round keys) and 256-bit
/// (15 round keys) keys. Runs once per key, never per packet.
/// </summary>
internal static class AesNiKeySchedule
{
    public static bool IsSupported => X86Aes.IsSupported && Sse2.IsSupported;

    /// <summary>The round keys for <paramref name="key"/> (16 or 32 octets), as AESENC consumes them.</summary>
    public static Vector128<byte>[] Expand(ReadOnlySpan<byte> key) => key.Length switch
    {
        16 => Expand128(Vector128.Create(key)),
        32 => Expand256(Vector128.Create(key), Vector128.Create(key[16..])),
        _ => throw new ArgumentException("AES keys here are 128 or 256 bits.", nameof(key)),
    };

    // The round constants are immediates of AESKEYGENASSIST, hence the unrolled calls.
    private static Vector128<byte>[] Expand128(Vector128<byte> key)
    {
        var k = new Vector128<byte>[11];
        k[0] = key;
        k[1] = NextWord128(k[0], X86Aes.KeygenAssist(k[0], 0x01));
        k[2] = NextWord128(k[1], X86Aes.KeygenAssist(k[1], 0x02));
        k[3] = NextWord128(k[2], X86Aes.KeygenAssist(k[2], 0x04));
        k[4] = NextWord128(k[3], X86Aes.KeygenAssist(k[3], 0x08));
        k[5] = NextWord128(k[4], X86Aes.KeygenAssist(k[4], 0x10));
        k[6] = NextWord128(k[5], X86Aes.KeygenAssist(k[5], 0x20));
        k[7] = NextWord128(k[6], X86Aes.KeygenAssist(k[6], 0x40));
        k[8] = NextWord128(k[7], X86Aes.KeygenAssist(k[7], 0x80));
        k[9] = NextWord128(k[8], X86Aes.KeygenAssist(k[8], 0x1B));
        k[10] = NextWord128(k[9], X86Aes.KeygenAssist(k[9], 0x36));
        return k;
    }

    // AES-256 alternates two steps (FIPS 197 §5.2, Nk = 8): even round keys use RotWord+SubWord+Rcon of the
    // previous odd key (lane 3 of AESKEYGENASSIST), odd ones SubWord alone of the previous even key (lane 2).
    private static Vector128<byte>[] Expand256(Vector128<byte> low, Vector128<byte> high)
    {
        var k = new Vector128<byte>[15];
        k[0] = low;
        k[1] = high;
        k[2] = NextWord128(k[0], X86Aes.KeygenAssist(k[1], 0x01));
        k[3] = NextOddWord256(k[1], k[2]);
        k[4] = NextWord128(k[2], X86Aes.KeygenAssist(k[3], 0x02));
        k[5] = NextOddWord256(k[3], k[4]);
        k[6] = NextWord128(k[4], X86Aes.KeygenAssist(k[5], 0x04));
        k[7] = NextOddWord256(k[5], k[6]);
        k[8] = NextWord128(k[6], X86Aes.KeygenAssist(k[7], 0x08));
        k[9] = NextOddWord256(k[7], k[8]);
        k[10] = NextWord128(k[8], X86Aes.KeygenAssist(k[9], 0x10));
        k[11] = NextOddWord256(k[9], k[10]);
        k[12] = NextWord128(k[10], X86Aes.KeygenAssist(k[11], 0x20));
        k[13] = NextOddWord256(k[11], k[12]);
        k[14] = NextWord128(k[12], X86Aes.KeygenAssist(k[13], 0x40));
        return k;
    }

    // w[i] = w[i-Nk] ^ f(w[i-1]) for the four words of a round key: the prefix XOR of the previous key's
    // words, then the broadcast transformed word from the assist (lane 3: RotWord(SubWord(w)) ^ Rcon).
    private static Vector128<byte> NextWord128(Vector128<byte> previous, Vector128<byte> assist) =>
        PrefixXor(previous) ^ Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();

    private static Vector128<byte> NextOddWord256(Vector128<byte> previousOdd, Vector128<byte> latestEven) =>
        PrefixXor(previousOdd) ^ Sse2.Shuffle(X86Aes.KeygenAssist(latestEven, 0x00).AsUInt32(), 0xAA).AsByte();

    private static Vector128<byte> PrefixXor(Vector128<byte> key)
    {
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        return key ^ Sse2.ShiftLeftLogical128BitLane(key, 4);
    }
}
