namespace Sotto.E2ee.Primitives;

/// <summary>
/// base64url without padding (RFC 4648 §5), strict as §S1 demands: padding, characters outside
/// the alphabet, a length of 1 mod 4 and non-zero unused bits in the last character are all
/// rejected, so every byte string has exactly one accepted text.
/// </summary>
internal static class Base64Url
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[GetEncodedLength(bytes.Length)];
        int o = 0;
        int i = 0;
        for (; i + 3 <= bytes.Length; i += 3)
        {
            int n = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
            chars[o++] = Alphabet[n >> 18];
            chars[o++] = Alphabet[n >> 12 & 63];
            chars[o++] = Alphabet[n >> 6 & 63];
            chars[o++] = Alphabet[n & 63];
        }
        int rest = bytes.Length - i;
        if (rest > 0)
        {
            int n = bytes[i] << 16 | (rest == 2 ? bytes[i + 1] << 8 : 0);
            chars[o++] = Alphabet[n >> 18];
            chars[o++] = Alphabet[n >> 12 & 63];
            if (rest == 2)
                chars[o++] = Alphabet[n >> 6 & 63];
        }
        return new string(chars);
    }

    public static int GetEncodedLength(int byteCount) => byteCount / 3 * 4 + (byteCount % 3 == 0 ? 0 : byteCount % 3 + 1);

    /// <summary>Decodes strictly; with <paramref name="expectedLength"/> ≥ 0 other sizes are refused.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes, int expectedLength = -1)
    {
        bytes = [];
        int tail = text.Length % 4;
        if (tail == 1)
            return false;
        int length = text.Length / 4 * 3 + (tail == 0 ? 0 : tail - 1);
        if (expectedLength >= 0 && length != expectedLength)
            return false;
        var output = new byte[length];
        int accumulator = 0;
        int bits = 0;
        int o = 0;
        foreach (char ch in text)
        {
            int value = ValueOf(ch);
            if (value < 0)
                return false;
            accumulator = accumulator << 6 | value;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                output[o++] = (byte)(accumulator >> bits);
                accumulator &= (1 << bits) - 1;
            }
        }
        if (accumulator != 0)
            return false; // non-canonical: the unused low bits must be zero (RFC 4648 §3.5)
        bytes = output;
        return true;
    }

    private static int ValueOf(char ch) => ch switch
    {
        >= 'A' and <= 'Z' => ch - 'A',
        >= 'a' and <= 'z' => ch - 'a' + 26,
        >= '0' and <= '9' => ch - '0' + 52,
        '-' => 62,
        '_' => 63,
        _ => -1,
    };
}
