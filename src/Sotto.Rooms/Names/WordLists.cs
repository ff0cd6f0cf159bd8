using System.Collections.Frozen;
using System.Reflection;

namespace Sotto.Rooms.Names;

/// <summary>Word lists embedded in this assembly.</summary>
internal static class WordLists
{
    /// <summary>
    /// The BIP-39 English list (2048 = 2^11 words, MIT licence via @scure/bip39 2.4.0): common, short, and
    /// distinct in their first four letters, which makes generated names easy to read aloud and type.
    /// </summary>
    public static readonly string[] Generator = Load("Sotto.Rooms.Names.english-words.txt");

    /// <summary>Every word the strength estimate treats as a dictionary word.</summary>
    public static readonly FrozenSet<string> Dictionary =
        Generator.Concat(Load("Sotto.Rooms.Names.common-words.txt")).ToFrozenSet(StringComparer.Ordinal);

    public static readonly int LongestDictionaryWord = Dictionary.Max(w => w.Length);

    private static string[] Load(string resource)
    {
        using var stream = typeof(WordLists).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException("Missing embedded word list " + resource);
        using var reader = new StreamReader(stream);
        var words = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && line[0] != '#')
                words.Add(line);
        }
        return [.. words.Distinct(StringComparer.Ordinal)];
    }
}
