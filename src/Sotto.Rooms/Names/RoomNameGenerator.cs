using System.Security.Cryptography;

namespace Sotto.Rooms.Names;

/// <summary>
/// Human-friendly room names: six words from a 2048-word list, chosen uniformly with a CSPRNG and joined
/// with '-': 6 × 11 = 66 bits of entropy (DESIGN.md §1.6 asks for at least 64).
/// </summary>
public static class RoomNameGenerator
{
    public const int WordCount = 6;

    public static int ListSize => WordLists.Generator.Length;

    /// <summary>log2(list size) × words.</summary>
    public static double EntropyBits => WordCount * Math.Log2(ListSize);

    public static string Generate()
    {
        var words = new string[WordCount];
        for (var i = 0; i < WordCount; i++)
            words[i] = WordLists.Generator[RandomNumberGenerator.GetInt32(WordLists.Generator.Length)];
        return string.Join('-', words);
    }
}
