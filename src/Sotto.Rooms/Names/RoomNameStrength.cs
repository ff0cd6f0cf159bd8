using System.Text;

namespace Sotto.Rooms.Names;

/// <summary>The strength estimate of a room name: weak or not, why, and the estimated bits.</summary>
/// <param name="Reasons">Stable codes: too-short, dictionary-word, keyboard-pattern, sequence, repeated, date, low-entropy.</param>
public sealed record RoomNameAssessment(bool IsWeak, double Bits, IReadOnlyList<string> Reasons);

/// <summary>
/// Estimates how many guesses a room name costs an attacker who enumerates names, in the manner of
/// zxcvbn: the name is covered by the cheapest sequence of patterns (dictionary words, keyboard runs,
/// alphabet or digit sequences, repeats, dates, and otherwise single characters at log2(alphabet) bits),
/// and the cheapest cover is the estimate. One implementation, used by the server and (over HTTP) by the
/// web client. A name is weak below <see cref="StrongBits"/>, the entropy the generator guarantees.
/// </summary>
public static class RoomNameStrength
{
    public const double StrongBits = 64;

    /// <summary>Names shorter than this (in characters) are called out as short whatever their content.</summary>
    public const int ShortLength = 10;

    public const string TooShort = "too-short";
    public const string DictionaryWord = "dictionary-word";
    public const string KeyboardPattern = "keyboard-pattern";
    public const string Sequence = "sequence";
    public const string Repeated = "repeated";
    public const string Date = "date";
    public const string LowEntropy = "low-entropy";

    private const int MinPatternLength = 3;
    private const string Separators = " -_.+~";

    // Rows of the common Latin and Russian (ЙЦУКЕН) keyboards: a run along one of them is a keyboard pattern.
    private static readonly string[] KeyboardRows =
    [
        "`1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./",
        "ё1234567890", "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю",
    ];

    private static readonly string[] AlphabetSequences =
    [
        "abcdefghijklmnopqrstuvwxyz", "0123456789", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ];

    public static RoomNameAssessment Evaluate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Normalize(NormalizationForm.FormC);
        var lower = text.ToLowerInvariant();
        var n = lower.Length;
        if (n == 0)
            return new RoomNameAssessment(true, 0, [TooShort, LowEntropy]);

        var charBits = Math.Log2(AlphabetSize(text));
        var wordBits = Math.Log2(WordLists.Dictionary.Count);

        // best[j] = cheapest cover of lower[..j]; kind[j], from[j] remember the last pattern for the reasons.
        var best = new double[n + 1];
        var from = new int[n + 1];
        var kind = new string?[n + 1];
        Array.Fill(best, double.PositiveInfinity);
        best[0] = 0;

        for (var i = 0; i < n; i++)
        {
            if (double.IsPositiveInfinity(best[i]))
                continue;
            void Relax(int end, double cost, string? k)
            {
                if (best[i] + cost < best[end])
                {
                    best[end] = best[i] + cost;
                    from[end] = i;
                    kind[end] = k;
                }
            }

            // One character: a separator is nearly free to guess, anything else costs the alphabet.
            Relax(i + 1, Separators.Contains(lower[i], StringComparison.Ordinal) ? 1 : charBits, null);

            for (var len = MinPatternLength; len <= Math.Min(WordLists.LongestDictionaryWord, n - i); len++)
            {
                if (WordLists.Dictionary.Contains(lower.Substring(i, len)))
                    Relax(i + len, wordBits, DictionaryWord);
            }

            foreach (var (end, isKeyboard) in Runs(lower, i))
                Relax(end, Math.Log2(2 * (KeyboardRows.Length + AlphabetSequences.Length)) + Math.Log2(end - i), isKeyboard ? KeyboardPattern : Sequence);

            var repeatEnd = i + 1;
            while (repeatEnd < n && lower[repeatEnd] == lower[i])
                repeatEnd++;
            for (var end = i + MinPatternLength; end <= repeatEnd; end++)
                Relax(end, charBits + Math.Log2(end - i), Repeated);

            foreach (var (end, bits) in Dates(lower, i))
                Relax(end, bits, Date);
        }

        var reasons = new List<string>();
        for (var j = n; j > 0; j = from[j])
        {
            if (kind[j] is { } k && !reasons.Contains(k))
                reasons.Add(k);
        }
        reasons.Reverse();
        var total = Math.Round(best[n], 1);
        var weak = total < StrongBits;
        if (text.Length < ShortLength)
            reasons.Insert(0, TooShort);
        if (weak && reasons.Count == 0)
            reasons.Add(LowEntropy);
        return new RoomNameAssessment(weak, total, weak ? reasons : []);
    }

    /// <summary>Alphabet an attacker must try per character, from the character classes the name uses.</summary>
    private static int AlphabetSize(string text)
    {
        bool lower = false, upper = false, digit = false, symbol = false, cyrLower = false, cyrUpper = false, other = false;
        foreach (var c in text)
        {
            if (char.IsAsciiLetterLower(c)) lower = true;
            else if (char.IsAsciiLetterUpper(c)) upper = true;
            else if (char.IsAsciiDigit(c)) digit = true;
            else if (c is >= '\u0400' and <= '\u04FF') { if (char.IsUpper(c)) cyrUpper = true; else cyrLower = true; }
            else if (c < 0x80) symbol = true;
            else other = true;
        }
        return (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0)
            + (cyrLower ? 33 : 0) + (cyrUpper ? 33 : 0) + (other ? 100 : 0);
    }

    /// <summary>Ends of runs starting at <paramref name="start"/> that step along a keyboard row or an alphabet, either way.</summary>
    private static IEnumerable<(int End, bool IsKeyboard)> Runs(string s, int start)
    {
        foreach (var (rows, isKeyboard) in new[] { (KeyboardRows, true), (AlphabetSequences, false) })
        {
            foreach (var row in rows)
            {
                var p = row.IndexOf(s[start], StringComparison.Ordinal);
                if (p < 0)
                    continue;
                foreach (var step in new[] { 1, -1 })
                {
                    var end = start + 1;
                    var q = p;
                    while (end < s.Length && q + step >= 0 && q + step < row.Length && row[q + step] == s[end])
                    {
                        q += step;
                        end++;
                    }
                    for (var e = start + MinPatternLength; e <= end; e++)
                        yield return (e, isKeyboard);
                }
            }
        }
    }

    /// <summary>
    /// Dates starting at <paramref name="start"/>: a year 1900–2099 (~7.6 bits), or day, month and year in
    /// either order with or without separators (~15 bits: 366 days × 100 years).
    /// </summary>
    private static IEnumerable<(int End, double Bits)> Dates(string s, int start)
    {
        var fullDateBits = Math.Log2(366 * 100);
        if (TryNumber(s, start, 4, out var year) && year is >= 1900 and <= 2099)
            yield return (start + 4, Math.Log2(200));

        // Digits-only forms: ddmmyy, ddmmyyyy, yyyymmdd, yymmdd.
        foreach (var len in new[] { 6, 8 })
        {
            if (!TryNumber(s, start, len, out _))
                continue;
            var d = s.Substring(start, len);
            if (len == 8 && (IsDayMonth(d[..2], d[2..4]) && IsYear(d[4..]) || IsYear(d[..4]) && IsDayMonth(d[6..], d[4..6])))
                yield return (start + len, fullDateBits);
            if (len == 6 && (IsDayMonth(d[..2], d[2..4]) || IsDayMonth(d[4..], d[2..4])))
                yield return (start + len, fullDateBits);
        }

        // Separated forms: d.m.y, y-m-d, with 1–2 digit parts and 2 or 4 digit years.
        var parts = new List<(int Start, int Length)>();
        var i = start;
        while (parts.Count < 3 && i < s.Length && char.IsAsciiDigit(s[i]))
        {
            var partStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]) && i - partStart < 4)
                i++;
            parts.Add((partStart, i - partStart));
            if (parts.Count < 3)
            {
                if (i < s.Length && s[i] is '.' or '-' or '/' or ' ' or '_')
                    i++;
                else
                    break;
            }
        }
        if (parts.Count == 3)
        {
            var p = parts.Select(x => s.Substring(x.Start, x.Length)).ToArray();
            if ((p[2].Length is 2 or 4 && IsDayMonth(p[0], p[1])) || (p[0].Length == 4 && IsYear(p[0]) && IsDayMonth(p[2], p[1])))
                yield return (parts[2].Start + parts[2].Length, fullDateBits);
        }
    }

    private static bool IsYear(string y) => y.Length == 4 && int.TryParse(y, out var v) && v is >= 1900 and <= 2099;

    private static bool IsDayMonth(string a, string b) =>
        int.TryParse(a, out var x) && int.TryParse(b, out var y) && a.Length <= 2 && b.Length <= 2
        && ((x is >= 1 and <= 31 && y is >= 1 and <= 12) || (y is >= 1 and <= 31 && x is >= 1 and <= 12));

    private static bool TryNumber(string s, int start, int length, out int value)
    {
        value = 0;
        if (start + length > s.Length)
            return false;
        for (var k = start; k < start + length; k++)
        {
            if (!char.IsAsciiDigit(s[k]))
                return false;
            value = (value * 10) + (s[k] - '0');
        }
        return true;
    }
}
