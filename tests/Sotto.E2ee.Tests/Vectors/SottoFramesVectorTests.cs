using System.Text.Json;
using Sotto.E2ee.Links;

namespace Sotto.E2ee.Tests.Vectors;

/// <summary>TestData/web/sotto-frames.json (linked from web/e2ee/testdata): link → ROOM, PSK, frames.</summary>
public sealed partial class SottoFramesVectorTests
{
    private static readonly JsonElement Root = Load();

    private static JsonElement Load()
    {
        using JsonDocument doc = TestData.Load("web/sotto-frames.json");
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Links_give_the_room_and_psk()
    {
        Assert.Equal(2, Root.GetProperty("links").GetArrayLength());
        foreach (JsonElement href in Root.GetProperty("links").EnumerateArray())
        {
            Assert.True(MeetingLink.TryParse(href.GetString()!, out MeetingLink? link, out _));
            Assert.Equal(Root.GetProperty("secret").GetString(), TestData.ToHex(link!.Secret));
            Assert.Equal(Root.GetProperty("room").GetString(), TestData.ToHex(link.Room));
            Assert.Equal(Root.GetProperty("psk").GetString(), TestData.ToHex(LinkKeys.Psk(link.Secret, link.Room)));
        }
    }
}
