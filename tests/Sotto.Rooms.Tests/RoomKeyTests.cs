using System.Text;

namespace Sotto.Rooms.Tests;

public sealed class RoomKeyTests
{
    [Fact]
    public void Normalization_is_available_in_this_test_host()
    {
        Assert.True(RoomKey.IsNormalizationAvailable());
    }

    [Theory]
    [InlineData("plain-name", "plain-name")]
    [InlineData("with%20space", "with space")]
    [InlineData("%D0%B2%D1%81%D1%82%D1%80%D0%B5%D1%87%D0%B0", "встреча")]
    [InlineData("встреча", "встреча")]
    [InlineData("%d0%b2", "в")] // lower-case hex escapes
    [InlineData("a%2Fb", "a/b")]
    [InlineData("100%25", "100%")]
    public void Percent_decoding_yields_the_name(string segment, string expected)
    {
        Assert.True(RoomKey.TryParse(segment, out var key));
        Assert.Equal(expected, key.Name);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), key.Utf8.ToArray());
    }

    [Fact]
    public void Composed_and_decomposed_spellings_give_the_same_key_bytes()
    {
        // "й" = U+0439 (precomposed) vs U+0438 U+0306 (и + combining breve), E2EE-SPEC §S2.
        Assert.True(RoomKey.TryParse("\u0439", out var composed));
        Assert.True(RoomKey.TryParse("\u0438\u0306", out var decomposed));
        Assert.True(RoomKey.TryParse("%D0%B8%CC%86", out var escaped));
        Assert.Equal(composed, decomposed);
        Assert.Equal(composed, escaped);
        Assert.Equal(new byte[] { 0xD0, 0xB9 }, decomposed.Utf8.ToArray());
        // Positive control: without normalization the two spellings differ.
        Assert.NotEqual(Encoding.UTF8.GetBytes("\u0439"), Encoding.UTF8.GetBytes("\u0438\u0306"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("%")]
    [InlineData("%4")]
    [InlineData("%zz")]
    [InlineData("%FF")] // not UTF-8
    [InlineData("%C3")] // truncated UTF-8
    [InlineData("%ED%A0%80")] // encoded surrogate
    [InlineData("a%00b")]
    [InlineData("tab\there")]
    public void Malformed_segments_are_refused(string? segment)
    {
        Assert.False(RoomKey.TryParse(segment, out _));
    }

    [Fact]
    public void A_lone_surrogate_is_refused()
    {
        // Not in InlineData: the test runner would replace it with U+FFFD before the test sees it.
        Assert.False(RoomKey.TryParse("ab\uD800", out _));
        Assert.False(RoomKey.TryParse("\uDC00", out _));
    }

    [Fact]
    public void The_key_is_1_to_256_bytes()
    {
        Assert.True(RoomKey.TryParse(new string('a', 256), out _));
        Assert.False(RoomKey.TryParse(new string('a', 257), out _));
        Assert.True(RoomKey.TryParse(new string('ж', 128), out _)); // 2 bytes each
        Assert.False(RoomKey.TryParse(new string('ж', 129), out _));
    }

    [Fact]
    public void ToString_never_reveals_the_name()
    {
        Assert.True(RoomKey.TryParse("secret-room", out var key));
        Assert.DoesNotContain("secret", key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_log_hash_is_stable_per_process_key_and_differs_between_keys()
    {
        Assert.True(RoomKey.TryParse("room-one", out var one));
        Assert.True(RoomKey.TryParse("room-two", out var two));
        var hasher = new RoomNameHasher();
        Assert.Equal(hasher.Hash(one), hasher.Hash(one));
        Assert.NotEqual(hasher.Hash(one), hasher.Hash(two));
        Assert.NotEqual(hasher.Hash(one), new RoomNameHasher().Hash(one)); // per-process random key
        Assert.Matches("^[0-9a-f]{16}$", hasher.Hash(one));
    }
}
