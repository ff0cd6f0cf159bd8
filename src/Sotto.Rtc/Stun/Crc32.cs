namespace Sotto.Rtc.Stun;

/// <summary>
/// CRC-32 as used by ISO-HDLC / Ethernet / zlib (reflected polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF), which RFC 8489 §14.7 names for FINGERPRINT. A table-driven implementation:
/// System.IO.Hashing is not referenced for one 1 KiB table, and the x86 CRC32 instruction computes
/// CRC-32C (Castagnoli), a different polynomial.
/// </summary>
internal static class Crc32
{
    private const uint ReflectedPolynomial = 0xEDB88320;

    private static readonly uint[] Table = CreateTable();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC-32 <paramref name="crc"/> (0 for none yet) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var table = Table;
        var c = ~crc;
        foreach (var b in data)
        {
            c = table[(byte)(c ^ b)] ^ (c >> 8);
        }
        return ~c;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? ReflectedPolynomial ^ (c >> 1) : c >> 1;
            }
            table[i] = c;
        }
        return table;
    }
}
