using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// a=fingerprint:&lt;hash-func&gt; SP &lt;fingerprint&gt; (RFC 8122 §5): the hash of the peer's DTLS
/// certificate, as two-digit hex bytes joined by ':'. Parsed into bytes so DTLS compares bytes, not
/// text; written in uppercase as RFC 8122 asks (and as Chromium writes).
/// </summary>
public sealed record FingerprintAttribute(string HashFunction, EquatableArray<byte> Value) : SdpAttribute
{
    public const string AttributeName = "fingerprint";
    public const string Sha256 = "sha-256";

    /// <summary>SHA-512, the longest hash RFC 8122 lists.</summary>
    public const int MaxBytes = 64;

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var f = SdpText.SplitFields(value);
        if (f.Length != 2 || !SdpText.IsToken(f[0]))
        {
            return Fail(AttributeName, "expected '<hash-func> <XX:XX:...>'", out attribute, out error);
        }
        var hex = f[1];
        // 2UHEX *(":" 2UHEX): n bytes take 3n - 1 characters.
        if ((hex.Length + 1) % 3 != 0 || (hex.Length + 1) / 3 > MaxBytes)
        {
            return Fail(AttributeName, $"fingerprint must be 1-{MaxBytes} hex bytes separated by ':'", out attribute, out error);
        }
        var bytes = new byte[(hex.Length + 1) / 3];
        for (var i = 0; i < bytes.Length; i++)
        {
            var at = i * 3;
            if ((i > 0 && hex[at - 1] != ':') || !char.IsAsciiHexDigit(hex[at]) || !char.IsAsciiHexDigit(hex[at + 1]))
            {
                return Fail(AttributeName, $"byte {i + 1} of the fingerprint is not 'XX' hex after ':'", out attribute, out error);
            }
            bytes[i] = (byte)((HexValue(hex[at]) << 4) | HexValue(hex[at + 1]));
        }
        return Success(new FingerprintAttribute(f[0], new EquatableArray<byte>(bytes)), out attribute, out error);
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    internal override void AppendValue(StringBuilder builder)
    {
        builder.Append(HashFunction).Append(' ');
        var bytes = Value.AsSpan();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(':');
            }
            builder.Append(bytes[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
