using System.Text;
using Sotto.E2ee.Links;

namespace Sotto.E2ee.Tests.Links;

/// <summary>§S2 link parsing: one ROOM for every spelling of a name, and no silent fallback on a damaged fragment.</summary>
public sealed class MeetingLinkTests
{
    private const string Secret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    [Theory]
    [InlineData("https://h/room#k=" + Secret, true)]
    [InlineData("https://h/room", false)]
    [InlineData("https://h/room/extra?x=1", false)]
    public void Good_links_parse(string href, bool hasSecret)
    {
        Assert.True(MeetingLink.TryParse(href, out MeetingLink? link, out LinkProblem problem));
        Assert.Equal(LinkProblem.None, problem);
        Assert.Equal("room"u8.ToArray(), link!.Room);
        Assert.Equal(hasSecret, link.Secret is not null);
    }

    [Theory]
    [InlineData("https://h/room#")]                                  // cut short
    [InlineData("https://h/room#k=")]
    [InlineData("https://h/room#k=" + Secret + "A")]                 // too long
    [InlineData("https://h/room#k=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh")] // too short
    [InlineData("https://h/room#k=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9")] // non-canonical last character
    [InlineData("https://h/room#k=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH+8")] // not base64url
    [InlineData("https://h/room#s=" + Secret)]
    [InlineData("https://h/room#K=" + Secret)]
    public void Malformed_fragments_are_refused_never_treated_as_no_secret(string href)
    {
        Assert.False(MeetingLink.TryParse(href, out MeetingLink? link, out LinkProblem problem));
        Assert.Null(link);
        Assert.Equal(LinkProblem.MalformedFragment, problem);
    }

    [Theory]
    [InlineData("https://h/")]
    [InlineData("https://h/%")]
    [InlineData("https://h/%zz")]
    [InlineData("https://h/%C3%28")] // invalid UTF-8
    [InlineData("https://h")]
    public void Bad_rooms_are_refused(string href)
    {
        Assert.False(MeetingLink.TryParse(href, out _, out LinkProblem problem));
        Assert.Equal(LinkProblem.BadRoom, problem);
    }

    [Fact]
    public void Room_length_limit_is_256_bytes()
    {
        Assert.True(MeetingLink.TryRoomFromPath("/" + new string('a', 256), out _));
        Assert.False(MeetingLink.TryRoomFromPath("/" + new string('a', 257), out _));
        // 128 Cyrillic letters are 256 bytes; 129 are too many.
        Assert.True(MeetingLink.TryRoomFromPath("/" + new string('ж', 128), out byte[] room) && room.Length == 256);
        Assert.False(MeetingLink.TryRoomFromPath("/" + new string('ж', 129), out _));
    }

    [Fact]
    public void Nfd_and_nfc_spellings_give_one_room()
    {
        string nfc = "й";
        string nfd = nfc.Normalize(NormalizationForm.FormD);
        Assert.NotEqual(nfc, nfd); // control: the spellings really differ
        Assert.True(MeetingLink.TryRoomFromPath("/" + nfd, out byte[] a));
        Assert.True(MeetingLink.TryRoomFromPath("/" + Uri.EscapeDataString(nfd), out byte[] b));
        Assert.True(MeetingLink.TryRoomFromPath("/" + nfc, out byte[] c));
        Assert.Equal(Encoding.UTF8.GetBytes(nfc), a);
        Assert.Equal(a, b);
        Assert.Equal(a, c);
    }
}

/// <summary>
/// Edge cases of "first path segment" where a hand-made parser and the browser's URL parser could
/// disagree; the expected ROOM bytes were produced by web/e2ee/link.js parseLink in node 20.
/// </summary>
public sealed class MeetingLinkUrlEdgeCaseTests
{
    [Theory]
    [InlineData("https://h/./room", "726f6f6d")]
    [InlineData("https://h/a/../room", "726f6f6d")]
    [InlineData("https://h\\room", "726f6f6d")]
    [InlineData("https://h/room%2Fx", "726f6f6d2f78")]
    [InlineData("https://h/a b", "612062")]
    [InlineData("https://h/%41bc", "416263")]
    [InlineData("https://h/ro+om", "726f2b6f6d")]
    [InlineData("https://h:8443/room?x#k=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", "726f6f6d")]
    [InlineData("https://user@h/room", "726f6f6d")]
    [InlineData("https://h/%2e/room", "726f6f6d")]
    [InlineData("https://h/room;x", "726f6f6d3b78")]
    [InlineData("HTTPS://h/Room", "526f6f6d")]
    public void The_room_is_what_the_browser_reads(string href, string roomHex)
    {
        Assert.True(MeetingLink.TryParse(href, out MeetingLink? link, out LinkProblem problem), problem.ToString());
        Assert.Equal(roomHex, Convert.ToHexStringLower(link!.Room));
    }

    [Fact]
    public void An_empty_first_segment_is_a_bad_room_as_in_the_browser()
    {
        Assert.False(MeetingLink.TryParse("https://h//room", out _, out LinkProblem problem));
        Assert.Equal(LinkProblem.BadRoom, problem);
    }
}
