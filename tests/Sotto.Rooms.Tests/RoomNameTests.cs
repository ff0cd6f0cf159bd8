using Sotto.Rooms.Names;

namespace Sotto.Rooms.Tests;

public sealed class RoomNameTests
{
    [Fact]
    public void The_generator_uses_2048_distinct_words_so_six_give_66_bits()
    {
        Assert.Equal(2048, RoomNameGenerator.ListSize);
        Assert.Equal(2048, WordLists.Generator.Distinct(StringComparer.Ordinal).Count());
        Assert.All(WordLists.Generator, w => Assert.Matches("^[a-z]{3,8}$", w));
        Assert.Equal(66.0, RoomNameGenerator.EntropyBits, 6);
        Assert.True(RoomNameGenerator.EntropyBits >= 64);
    }

    [Fact]
    public void Generated_names_are_six_list_words_and_do_not_repeat()
    {
        var names = Enumerable.Range(0, 2000).Select(_ => RoomNameGenerator.Generate()).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        var words = WordLists.Generator.ToHashSet(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var parts = name.Split('-');
            Assert.Equal(6, parts.Length);
            Assert.All(parts, p => Assert.Contains(p, words));
        }
        // Every position draws from the whole list: over 2000 names, each position sees many distinct words.
        for (var i = 0; i < 6; i++)
            Assert.True(names.Select(n => n.Split('-')[i]).Distinct().Count() > 1000);
    }

    [Fact]
    public void Generated_names_are_never_called_weak()
    {
        for (var i = 0; i < 500; i++)
        {
            var name = RoomNameGenerator.Generate();
            var assessment = RoomNameStrength.Evaluate(name);
            Assert.False(assessment.IsWeak, $"{name}: {assessment.Bits} bits");
        }
    }

    public static TheoryData<string, string> WeakNames => new()
    {
        { "test", RoomNameStrength.TooShort },
        { "meeting", RoomNameStrength.DictionaryWord },
        { "team-meeting", RoomNameStrength.DictionaryWord },
        { "correct-horse-battery-staple", RoomNameStrength.DictionaryWord },
        { "qwertyuiop", RoomNameStrength.KeyboardPattern },
        { "asdfghjkl123", RoomNameStrength.KeyboardPattern },
        { "йцукенгшщз", RoomNameStrength.KeyboardPattern },
        { "abcdefghijklmnop", RoomNameStrength.Sequence },
        { "1234567890", RoomNameStrength.KeyboardPattern },
        { "aaaaaaaaaaaaaaaaaaaa", RoomNameStrength.Repeated },
        { "meeting-2024-05-17", RoomNameStrength.Date },
        { "17.05.1985", RoomNameStrength.Date },
        { "birthday19850517", RoomNameStrength.Date },
        { "встреча-команда", RoomNameStrength.DictionaryWord },
        { "privet-moskva", RoomNameStrength.DictionaryWord },
        { "x7k2", RoomNameStrength.TooShort },
        { "Password1", RoomNameStrength.DictionaryWord },
    };

    [Theory]
    [MemberData(nameof(WeakNames))]
    public void Weak_names_are_flagged_with_the_reason(string name, string reason)
    {
        var assessment = RoomNameStrength.Evaluate(name);
        Assert.True(assessment.IsWeak, $"{name}: {assessment.Bits} bits");
        Assert.Contains(reason, assessment.Reasons);
        Assert.True(assessment.Bits < RoomNameStrength.StrongBits);
    }

    public static TheoryData<string> StrongNames => new()
    {
        "stage-deny-youth-plunge-book-shift", // generator style, 6 words
        "kx8fq2mzr7wplv4nt9", // 18 random lower-case letters and digits
        "Hq7-zP2x-Lm9w-Rt4k", // mixed case, digits, separators
        "мрак-зубр-ёлка-щит-юла-хвощ-пуд", // Cyrillic words not in the dictionary
        "v9Tq_2mLx8Rk", // 12 characters from ~62-symbol alphabet plus a symbol
    };

    [Theory]
    [MemberData(nameof(StrongNames))]
    public void Strong_names_are_not_flagged(string name)
    {
        var assessment = RoomNameStrength.Evaluate(name);
        Assert.False(assessment.IsWeak, $"{name}: {assessment.Bits} bits, {string.Join(",", assessment.Reasons)}");
        Assert.Empty(assessment.Reasons);
    }

    [Fact]
    public void Adding_words_adds_bits_and_five_list_words_are_not_enough()
    {
        var five = RoomNameStrength.Evaluate("stage-deny-youth-plunge-book");
        var six = RoomNameStrength.Evaluate("stage-deny-youth-plunge-book-shift");
        Assert.True(five.IsWeak); // 5 × 11 bits < 64
        Assert.False(six.IsWeak);
        Assert.True(six.Bits > five.Bits + 10);
    }

    [Fact]
    public void Unicode_case_and_composition_do_not_change_the_estimate()
    {
        Assert.Equal(RoomNameStrength.Evaluate("Встреча").IsWeak, RoomNameStrength.Evaluate("встреча").IsWeak);
        Assert.Equal(RoomNameStrength.Evaluate("\u0439\u0446\u0443\u043a\u0435\u043d").Bits, RoomNameStrength.Evaluate("\u0438\u0306\u0446\u0443\u043a\u0435\u043d").Bits);
    }

    [Fact]
    public void The_estimate_never_throws_on_odd_input()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var chars = new char[random.Next(0, 64)];
            for (var k = 0; k < chars.Length; k++)
                chars[k] = (char)random.Next(0x20, 0x500);
            var assessment = RoomNameStrength.Evaluate(new string(chars));
            Assert.True(assessment.Bits >= 0);
        }
    }
}
