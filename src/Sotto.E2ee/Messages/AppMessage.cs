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
    public const string FileOffer = "file_offer";
    public const string FileAccept = "file_accept";
    public const string FileDecline = "file_decline";
    public const string FileCancel = "file_cancel";
    public const string State = "state";
}

/// <summary>
/// file_offer {fid b64u(16), name ≤ 255, size, type ≤ 100, sha256 b64u(32), chunk 65536, k b64u(32)}
/// (§S5, §S10): one per receiver, with a fresh per-receiver key k.
/// </summary>
internal sealed record FileOfferMessage(byte[] FileId, string Name, ulong Size, string Type, byte[] Sha256, byte[] Key);

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

    /// <summary>state with only the fields set, in participant.js's key order (mic, cam, hand).</summary>
    public static byte[] State(CallState state)
    {
        var text = new JsonText().String("t", MessageType.State);
        if (state.Mic is { } mic)
            text.Boolean("mic", mic);
        if (state.Cam is { } cam)
            text.Boolean("cam", cam);
        if (state.Hand is { } hand)
            text.Boolean("hand", hand);
        return text.ToUtf8();
    }

    /// <summary>A state message: its JSON boolean fields; a field of another type is ignored (C14), as participant.js does.</summary>
    public static bool TryParseState(ReadOnlySpan<byte> json, out CallState state)
    {
        state = CallState.Empty;
        if (!TryParse(json, MessageType.State, out JsonElement root))
            return false;
        state = new CallState(OptionalBoolean(root, "mic"), OptionalBoolean(root, "cam"), OptionalBoolean(root, "hand"));
        return true;
    }

    private static bool? OptionalBoolean(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

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

    public const int MaxFileNameLength = 255;
    public const int MaxFileTypeLength = 100;

    public static byte[] FileOffer(FileOfferMessage offer) =>
        new JsonText().String("t", MessageType.FileOffer).String("fid", Base64Url.Encode(offer.FileId)).String("name", offer.Name)
            .Number("size", offer.Size).String("type", offer.Type).String("sha256", Base64Url.Encode(offer.Sha256))
            .Number("chunk", Files.FileChunk.ChunkLength).String("k", Base64Url.Encode(offer.Key)).ToUtf8();

    /// <summary>file_accept, file_decline or file_cancel {fid}.</summary>
    public static byte[] FileAnswer(string type, ReadOnlySpan<byte> fileId) =>
        new JsonText().String("t", type).String("fid", Base64Url.Encode(fileId)).ToUtf8();

    public static bool TryParseFileOffer(ReadOnlySpan<byte> json, out FileOfferMessage? offer)
    {
        offer = null;
        if (!TryParse(json, MessageType.FileOffer, out JsonElement root)
            || !TryBytes(root, "fid", Files.FileChunk.FileIdLength, out byte[] fid) || !TryBytes(root, "k", Files.FileChunk.KeyLength, out byte[] k)
            || !TryBytes(root, "sha256", 32, out byte[] sha256)
            || !TryString(root, "name", MaxFileNameLength, out string? name) || !TryString(root, "type", MaxFileTypeLength, out string? type)
            || !TryUInt(root, "size", (ulong)MaxSafeInteger, out ulong size) || !TryUInt(root, "chunk", (ulong)MaxSafeInteger, out ulong chunk)
            || chunk != Files.FileChunk.ChunkLength)
            return false;
        offer = new FileOfferMessage(fid, name!, size, type!, sha256, k);
        return true;
    }

    /// <summary>The fid of a file_accept / file_decline / file_cancel of the given type.</summary>
    public static bool TryParseFileAnswer(ReadOnlySpan<byte> json, string type, out byte[] fileId)
    {
        fileId = [];
        return TryParse(json, type, out JsonElement root) && TryBytes(root, "fid", Files.FileChunk.FileIdLength, out fileId);
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
