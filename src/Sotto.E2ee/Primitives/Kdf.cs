using System.Security.Cryptography;

namespace Sotto.E2ee.Primitives;

/// <summary>
/// §S1 HKDF(ikm, info, L): RFC 5869 HKDF-SHA-256 with an EMPTY salt. RFC 5869 §2.2 replaces an
/// absent salt by 32 zero bytes, and HMAC zero-pads a short key to the block size, so an empty
/// salt and a zero salt give the same PRK (and the same bytes as WebCrypto with a 0-byte salt).
/// </summary>
internal static class Kdf
{
    public static void Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> info, Span<byte> output) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, output, salt: [], info);

    public static byte[] Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> info, int length)
    {
        var output = new byte[length];
        Hkdf(ikm, info, output);
        return output;
    }

    /// <summary>HKDF with an ASCII label followed by optional context bytes as info.</summary>
    public static byte[] Hkdf(ReadOnlySpan<byte> ikm, string label, ReadOnlySpan<byte> context, int length)
    {
        var info = new List<byte>(label.Length + context.Length);
        Notation.AppendAscii(info, label);
        info.AddRange(context);
        return Hkdf(ikm, info.ToArray(), length);
    }
}
