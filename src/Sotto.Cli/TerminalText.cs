using System.Text;

namespace Sotto.Cli;

/// <summary>
/// Text from peers (names, chat, file names) is the peer's to choose: printed raw, an escape
/// sequence could rewrite the terminal (a fake pair code, a hidden line) and a bidi override could
/// reverse what a name reads as. Controls and bidi format characters are shown as U+FFFD.
/// </summary>
internal static class TerminalText
{
    public static string Clean(string text)
    {
        StringBuilder? clean = null;
        int i = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            bool unsafeRune = Rune.IsControl(rune)
                || rune.Value is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);
            if (unsafeRune && clean is null)
                clean = new StringBuilder(text, 0, i, text.Length);
            if (clean is not null)
                clean.Append(!unsafeRune ? rune.ToString() : rune.Value is '\n' or '\t' ? " " : "\uFFFD");
            i += rune.Utf16SequenceLength;
        }
        return clean?.ToString() ?? text;
    }
}
