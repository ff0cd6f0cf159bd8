using System.Globalization;
using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>Lexical helpers shared by the line and attribute parsers (RFC 8866 §9 grammar terms).</summary>
internal static class SdpText
{
    public const string CrLf = "\r\n";

    /// <summary>token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E (RFC 8866 §9).</summary>
    public static bool IsTokenChar(char c) =>
        c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D || c == 0x2E
        || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);

    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }
        foreach (var c in s)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A non-empty run of visible ASCII or UTF-8 text with no space or control character.</summary>
    public static bool IsNonWsString(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }
        foreach (var c in s)
        {
            if (c <= ' ' || c == 0x7F)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.1).</summary>
    public static bool IsIceChars(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '/')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Digits only: no sign, no space, no hex (NumberStyles.None), no overflow.</summary>
    public static bool TryParseUInt32(ReadOnlySpan<char> s, out uint value) =>
        uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryParseUInt64(ReadOnlySpan<char> s, out ulong value) =>
        ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryParseInt(ReadOnlySpan<char> s, int min, int max, out int value)
    {
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>Splits on runs of spaces; SDP fields are separated by exactly one, but doubled spaces are harmless.</summary>
    public static string[] SplitFields(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Quotes input for an error message: at most 40 characters, control characters shown as '?', so
    /// hostile text can neither flood nor forge lines in a log that records the error.
    /// </summary>
    public static string Quote(ReadOnlySpan<char> s)
    {
        const int MaxShown = 40;
        var shown = s.Length <= MaxShown ? s : s[..MaxShown];
        var builder = new StringBuilder(shown.Length + 5).Append('\'');
        foreach (var c in shown)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }
        return builder.Append(s.Length <= MaxShown ? "'" : "...'").ToString();
    }

    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(uint value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
