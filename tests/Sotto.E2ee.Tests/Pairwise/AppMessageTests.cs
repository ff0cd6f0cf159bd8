using System.Text;
using Sotto.E2ee.Messages;

namespace Sotto.E2ee.Tests.Pairwise;

/// <summary>§S5: known messages round-trip; malformed known messages are dropped; unknown types and fields are ignored.</summary>
public sealed class AppMessageTests
{
    [Fact]
    public void Hello_is_written_as_json_stringify_writes_it()
    {
        Assert.Equal("{\"t\":\"hello\",\"name\":\"Bob <b>\",\"gen\":0}", Encoding.UTF8.GetString(AppMessage.Hello(new HelloMessage("Bob <b>", 0))));
        Assert.Equal("{\"t\":\"hello\",\"name\":\"Алиса\",\"gen\":3}", Encoding.UTF8.GetString(AppMessage.Hello(new HelloMessage("Алиса", 3))));
        // As JSON.stringify: emoji raw, quotes/backslashes/controls escaped, lone surrogates as \uXXXX.
        Assert.Equal("{\"t\":\"hello\",\"name\":\"🦊 \\\" \\\\ \\n\\u0001 \\ud800\",\"gen\":0}",
            Encoding.UTF8.GetString(AppMessage.Hello(new HelloMessage("🦊 \" \\ \n\u0001 \ud800", 0))));
    }

    [Fact]
    public void Known_messages_round_trip_and_unknown_fields_are_ignored()
    {
        byte[] k = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        Assert.True(AppMessage.TryParseKey(AppMessage.Key(new KeyMessage(7, 3, k)), out KeyMessage? key));
        Assert.Equal((7u, (ushort)3), (key!.Epoch, key.Slot));
        Assert.Equal(k, key.Key);
        Assert.True(AppMessage.TryParseHello("{\"t\":\"hello\",\"name\":\"x\",\"gen\":1,\"future\":[1]}"u8, out HelloMessage? hello));
        Assert.Equal("x", hello!.Name);
        Assert.Equal("future_type", AppMessage.TypeOf("{\"t\":\"future_type\"}"u8));
    }

    [Theory]
    [InlineData("{\"t\":\"key\",\"epoch\":1,\"slot\":0,\"k\":\"AAECAwQFBgcICQoLDA0ODw\"}")]        // slot 0
    [InlineData("{\"t\":\"key\",\"epoch\":1,\"slot\":70000,\"k\":\"AAECAwQFBgcICQoLDA0ODw\"}")]    // not u16
    [InlineData("{\"t\":\"key\",\"epoch\":-1,\"slot\":1,\"k\":\"AAECAwQFBgcICQoLDA0ODw\"}")]
    [InlineData("{\"t\":\"key\",\"epoch\":1.5,\"slot\":1,\"k\":\"AAECAwQFBgcICQoLDA0ODw\"}")]
    [InlineData("{\"t\":\"key\",\"epoch\":\"1\",\"slot\":1,\"k\":\"AAECAwQFBgcICQoLDA0ODw\"}")]
    [InlineData("{\"t\":\"key\",\"epoch\":1,\"slot\":1,\"k\":\"AAECAwQFBgcICQoLDA0ODw==\"}")]    // padding
    [InlineData("{\"t\":\"key\",\"epoch\":1,\"slot\":1,\"k\":\"AAECAwQFBgcICQoLDA0O\"}")]        // 15 bytes
    [InlineData("{\"t\":\"key\",\"epoch\":1,\"slot\":1}")]
    [InlineData("[1,2]")]
    [InlineData("{\"t\":\"key\"")]
    public void Malformed_key_messages_are_dropped(string json)
    {
        Assert.True(AppMessage.TryParseKey("{\"t\":\"key\",\"epoch\":1,\"slot\":1,\"k\":\"AAECAwQFBgcICQoLDA0ODw\"}"u8, out _)); // control
        Assert.False(AppMessage.TryParseKey(Encoding.UTF8.GetBytes(json), out _));
    }

    [Fact]
    public void Names_and_chat_text_have_length_limits()
    {
        Assert.True(AppMessage.TryParseHello(AppMessage.Hello(new HelloMessage(new string('n', 64), 0)), out _));
        Assert.False(AppMessage.TryParseHello(AppMessage.Hello(new HelloMessage(new string('n', 65), 0)), out _));
        // Code points, not UTF-16 units (docs/e2ee.md C15): 64 emoji are 128 units but a valid name.
        Assert.True(AppMessage.TryParseHello(AppMessage.Hello(new HelloMessage(string.Concat(Enumerable.Repeat("🦊", 64)), 0)), out _));
        Assert.False(AppMessage.TryParseHello(AppMessage.Hello(new HelloMessage(string.Concat(Enumerable.Repeat("🦊", 65)), 0)), out _));
        byte[] mid = new byte[16];
        Assert.True(AppMessage.TryParseChat(AppMessage.Chat(new ChatMessage(mid, new string('c', 4000))), out _));
        Assert.False(AppMessage.TryParseChat(AppMessage.Chat(new ChatMessage(mid, new string('c', 4001))), out _));
    }
}

public sealed class FileMessageTests
{
    [Fact]
    public void File_offer_round_trips_and_bad_offers_drop()
    {
        byte[] fid = new byte[16], sha = new byte[32], k = new byte[32];
        fid[0] = 1;
        var offer = new FileOfferMessage(fid, "отчёт.pdf", 65540, "application/pdf", sha, k);
        byte[] json = AppMessage.FileOffer(offer);
        Assert.True(AppMessage.TryParseFileOffer(json, out FileOfferMessage? parsed));
        Assert.Equal(("отчёт.pdf", 65540UL, "application/pdf"), (parsed!.Name, parsed.Size, parsed.Type));
        Assert.Equal(fid, parsed.FileId);
        string text = Encoding.UTF8.GetString(json);
        Assert.False(AppMessage.TryParseFileOffer(Encoding.UTF8.GetBytes(text.Replace("\"chunk\":65536", "\"chunk\":1", StringComparison.Ordinal)), out _));
        Assert.False(AppMessage.TryParseFileOffer(Encoding.UTF8.GetBytes(text.Replace("\"size\":65540", "\"size\":-1", StringComparison.Ordinal)), out _));
        Assert.False(AppMessage.TryParseFileOffer(AppMessage.FileOffer(offer with { Name = new string('x', 256) }), out _));
        Assert.True(AppMessage.TryParseFileAnswer(AppMessage.FileAnswer(MessageType.FileAccept, fid), MessageType.FileAccept, out byte[] accepted));
        Assert.Equal(fid, accepted);
        Assert.False(AppMessage.TryParseFileAnswer(AppMessage.FileAnswer(MessageType.FileDecline, fid), MessageType.FileAccept, out _));
    }
}
