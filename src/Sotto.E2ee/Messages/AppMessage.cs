using System.Text.Json;
using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Messages;

/// <summary>The message types inside TRANSPORT (§S5), by their <c>t</c> field.</summary>
internal static class MessageType
{
    public const string Hello = "hello";
    public const string Key = "key";
    public const string KeyAck = "key_ack";
    public const string Bye = "bye";
    public const string Chat = "chat";
    public const string RoomCodeCommit = "rc_commit";
    public const string RoomCodeReveal = "rc_reveal";
    public const string Sas = "sas";
    public const string Rotate = "rotate";
}

/// <summary>rotate {gen, s b64u(32)} (§S11).</summary>
internal sealed record RotateMessage(uint Gen, byte[] Secret);

/// <summary>rc_commit {rid, c} and rc_reveal {rid, r} (§S8): Value is c or r.</summary>
internal sealed record RoomCodeMessage(byte[] Rid, byte[] Value);

/// <summary>hello {name ≤ 64 chars, gen} — the first message each way (§S5).</summary>
internal sealed record HelloMessage(string Name, uint Gen);

/// <summary>key {epoch u32, slot u16, k b64u(16)} (§S5, §S6).</summary>
internal sealed record KeyMessage(uint Epoch, ushort Slot, byte[] Key);

/// <summary>chat {mid b64u(16), text ≤ 4000} (§S5, §S9).</summary>
internal sealed record ChatMessage(byte[] MessageId, string Text);

/// <summary>
/// JSON for the §S5 messages: byte strings are strict b64u, counters JSON integers. Parsing is
/// tolerant of unknown fields and types (ignored) and strict about known ones (a malformed
/// known message is dropped: the Try methods return false, never throw).
/// </summary>
internal static class AppMessage
{
    public const int MaxNameLength = 64;
    public const int MaxChatLength = 4000;
    public const int MessageIdLength = 16;
    public const int MediaKeyLength = 16;
    private const long MaxSafeInteger = (1L << 53) - 1;

    public static byte[] Hello(HelloMessage hello) =>
        new JsonText().String("t", MessageType.Hello).String("name", hello.Name).Number("gen", hello.Gen).ToUtf8();

    public static byte[] Key(KeyMessage key) =>
        new JsonText().String("t", MessageType.Key).Number("epoch", key.Epoch).Number("slot", key.Slot).String("k", Base64Url.Encode(key.Key)).ToUtf8();

    public static byte[] KeyAck(uint epoch) => new JsonText().String("t", MessageType.KeyAck).Number("epoch", epoch).ToUtf8();

    public static byte[] Bye() => new JsonText().String("t", MessageType.Bye).ToUtf8();

    public static byte[] Chat(ChatMessage chat) =>
        new JsonText().String("t", MessageType.Chat).String("mid", Base64Url.Encode(chat.MessageId)).String("text", chat.Text).ToUtf8();

    public static byte[] Rotate(RotateMessage rotate) =>
        new JsonText().String("t", MessageType.Rotate).Number("gen", rotate.Gen).String("s", Base64Url.Encode(rotate.Secret)).ToUtf8();

    public static byte[] RoomCodeCommit(RoomCodeMessage commit) =>
        new JsonText().String("t", MessageType.RoomCodeCommit).String("rid", Base64Url.Encode(commit.Rid)).String("c", Base64Url.Encode(commit.Value)).ToUtf8();

    public static byte[] RoomCodeReveal(RoomCodeMessage reveal) =>
        new JsonText().String("t", MessageType.RoomCodeReveal).String("rid", Base64Url.Encode(reveal.Rid)).String("r", Base64Url.Encode(reveal.Value)).ToUtf8();

    public static byte[] Sas(bool match) => new JsonText().String("t", MessageType.Sas).Boolean("match", match).ToUtf8();

    public static bool TryParseRotate(ReadOnlySpan<byte> json, out RotateMessage? rotate)
    {
        rotate = null;
        if (!TryParse(json, MessageType.Rotate, out JsonElement root) || !TryUInt(root, "gen", uint.MaxValue, out ulong gen)
            || !TryBytes(root, "s", Links.MeetingLink.SecretLength, out byte[] secret))
            return false;
        rotate = new RotateMessage((uint)gen, secret);
        return true;
    }

    /// <summary>rc_commit (field c) or rc_reveal (field r), both 32 bytes with a 32-byte rid.</summary>
    public static bool TryParseRoomCode(ReadOnlySpan<byte> json, bool reveal, out RoomCodeMessage? message)
    {
        message = null;
        if (!TryParse(json, reveal ? MessageType.RoomCodeReveal : MessageType.RoomCodeCommit, out JsonElement root)
            || !TryBytes(root, "rid", 32, out byte[] rid) || !TryBytes(root, reveal ? "r" : "c", 32, out byte[] value))
            return false;
        message = new RoomCodeMessage(rid, value);
        return true;
    }

    public static bool TryParseSas(ReadOnlySpan<byte> json, out bool match)
    {
        match = false;
        if (!TryParse(json, MessageType.Sas, out JsonElement root) || !root.TryGetProperty("match", out JsonElement value)
            || value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            return false;
        match = value.GetBoolean();
        return true;
    }

    /// <summary>The <c>t</c> field of a JSON object, or null when it is not an object with a string t.</summary>
    public static string? TypeOf(ReadOnlySpan<byte> json)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json.ToArray());
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("t", out JsonElement t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static bool TryParseHello(ReadOnlySpan<byte> json, out HelloMessage? hello)
    {
        hello = null;
        if (!TryParse(json, MessageType.Hello, out JsonElement root))
            return false;
        if (!TryString(root, "name", MaxNameLength, out string? name) || !TryUInt(root, "gen", uint.MaxValue, out ulong gen))
            return false;
        hello = new HelloMessage(name!, (uint)gen);
        return true;
    }

    public static bool TryParseKey(ReadOnlySpan<byte> json, out KeyMessage? key)
    {
        key = null;
        if (!TryParse(json, MessageType.Key, out JsonElement root))
            return false;
        if (!TryUInt(root, "epoch", uint.MaxValue, out ulong epoch) || !TryUInt(root, "slot", ushort.MaxValue, out ulong slot) || slot == 0
            || !TryBytes(root, "k", MediaKeyLength, out byte[] k))
            return false;
        key = new KeyMessage((uint)epoch, (ushort)slot, k);
        return true;
    }

    public static bool TryParseKeyAck(ReadOnlySpan<byte> json, out uint epoch)
    {
        epoch = 0;
        if (!TryParse(json, MessageType.KeyAck, out JsonElement root) || !TryUInt(root, "epoch", uint.MaxValue, out ulong value))
            return false;
        epoch = (uint)value;
        return true;
    }

    public static bool TryParseChat(ReadOnlySpan<byte> json, out ChatMessage? chat)
    {
        chat = null;
        if (!TryParse(json, MessageType.Chat, out JsonElement root))
            return false;
        if (!TryBytes(root, "mid", MessageIdLength, out byte[] mid) || !TryString(root, "text", MaxChatLength, out string? text))
            return false;
        chat = new ChatMessage(mid, text!);
        return true;
    }

    private static bool TryParse(ReadOnlySpan<byte> json, string type, out JsonElement root)
    {
        root = default;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("t", out JsonElement t)
                || t.ValueKind != JsonValueKind.String || t.GetString() != type)
                return false;
            root = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Lengths count Unicode code points (docs/e2ee.md C15), so 64 emoji make a valid name.</summary>
    private static bool TryString(JsonElement root, string name, int maxLength, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out JsonElement element) || element.ValueKind != JsonValueKind.String)
            return false;
        value = element.GetString();
        return value is not null && value.EnumerateRunes().Count() <= maxLength;
    }

    private static bool TryUInt(JsonElement root, string name, ulong max, out ulong value)
    {
        value = 0;
        if (!root.TryGetProperty(name, out JsonElement element) || element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long number))
            return false;
        if (number < 0 || number > MaxSafeInteger || (ulong)number > max)
            return false;
        value = (ulong)number;
        return true;
    }

    private static bool TryBytes(JsonElement root, string name, int length, out byte[] value)
    {
        value = [];
        return root.TryGetProperty(name, out JsonElement element) && element.ValueKind == JsonValueKind.String
            && Base64Url.TryDecode(element.GetString(), out value, length);
    }
}
