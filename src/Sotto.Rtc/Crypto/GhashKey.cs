using System.Runtime.Intrinsics;

namespace Sotto.Rtc.Crypto;

/// <summary>The GHASH key H and its powers, computed once per AES key and wiped on <see cref="Clear"/>.</summary>
internal sealed class GhashKey
{
    /// <param name="hashKey">H = E(K, 0^128), in wire order.</param>
    /// <param name="allowWide">False keeps GHASH on 128-bit PCLMULQDQ even where AVX-512 VPCLMULQDQ exists,
    /// so tests cover that path on this hardware too.</param>
    public GhashKey(Vector128<byte> hashKey, bool allowWide = true)
    {
        Wide = allowWide && Ghash.IsWideSupported;
        Powers = Ghash.ComputeKeyPowers(Ghash.Reflect(hashKey));
        Wide8To5 = Vector512.Create(Vector256.Create(Powers[7], Powers[6]), Vector256.Create(Powers[5], Powers[4])).AsUInt64();
        Wide4To1 = Vector512.Create(Vector256.Create(Powers[3], Powers[2]), Vector256.Create(Powers[1], Powers[0])).AsUInt64();
    }

    /// <summary>Whether chunks go through 512-bit VPCLMULQDQ.</summary>
    public bool Wide { get; }

    /// <summary>H^1..H^8, reflected; index 0 holds H.</summary>
    public Vector128<byte>[] Powers { get; }

    /// <summary>(H^8, H^7, H^6, H^5) in the lanes of one 512-bit vector.</summary>
    public Vector512<ulong> Wide8To5 { get; private set; }

    /// <summary>(H^4, H^3, H^2, H^1).</summary>
    public Vector512<ulong> Wide4To1 { get; private set; }

    public void Clear()
    {
        Array.Clear(Powers);
        Wide8To5 = default;
        Wide4To1 = default;
    }
}
