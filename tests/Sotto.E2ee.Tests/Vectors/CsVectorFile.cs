using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sotto.E2ee.Codes;
using Sotto.E2ee.Files;
using Sotto.E2ee.Frames;
using Sotto.E2ee.Links;
using Sotto.E2ee.Messages;
using Sotto.E2ee.Noise;
using Sotto.E2ee.Pairwise;
using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Tests.Vectors;

/// <summary>
/// The reverse direction of §S16's cross-implementation vectors: C# computes
/// TestData/sotto-e2ee-vectors-cs.json from fixed inputs (other than the JS file's, so the two files
/// together cover more), in the same schema as web/e2ee/testdata/sotto-e2ee-vectors.json, for the
/// JavaScript side to check. docs/e2ee-vectors.md describes the format. The test fails when the
/// committed file differs from what the code computes; regenerate with
/// <c>SOTTO_WRITE_VECTORS=1 dotnet test tests/Sotto.E2ee.Tests -c Release --filter CsVectorFile</c>.
/// </summary>
public sealed class CsVectorFile
{
    public const string FileName = "sotto-e2ee-vectors-cs.json";

    private static byte[] Sequence(int length, int start) => [.. Enumerable.Range(start, length).Select(i => (byte)i)];

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static readonly byte[] Secret = Sequence(32, 0x11);
    private const string RoomNfc = "Ёжик-йога";
    private const string IdC = "Ivan-7"; // bytewise smaller: commits, Noise responder
    private const string IdI = "Zoe_3";
    private const string NameC = "Иван 🦊";
    private const string NameI = "Zoë \"&\" <i>";
    private static readonly byte[] StaticC = Sequence(32, 0x31);
    private static readonly byte[] StaticI = Sequence(32, 0x51);
    private static readonly byte[] EphemeralC = Sequence(32, 0x71);
    private static readonly byte[] EphemeralI = Sequence(32, 0x91);
    private static readonly byte[] RoomRC = Sequence(32, 0xb1);
    private static readonly byte[] RoomRI = Sequence(32, 0xd1);
    private static readonly byte[] MediaBaseKey = Sequence(16, 0xf1);
    private static readonly byte[] FileKey = Sequence(32, 0x05);
    private static readonly byte[] FileId = Sequence(16, 0x25);

    public static JsonObject Compute()
    {
        string fragment = "#k=" + Base64Url.Encode(Secret);
        string nfd = RoomNfc.Normalize(NormalizationForm.FormD);
        var forms = new JsonObject
        {
            ["nfc_raw"] = $"https://sotto.example/{RoomNfc}{fragment}",
            ["nfd_raw"] = $"https://sotto.example/{nfd}{fragment}",
            ["nfc_percent"] = $"https://sotto.example/{Uri.EscapeDataString(RoomNfc)}{fragment}",
            ["nfd_percent"] = $"https://sotto.example/{Uri.EscapeDataString(nfd)}{fragment}",
        };
        if (!MeetingLink.TryParse((string)forms["nfd_percent"]!, out MeetingLink? link, out _))
            throw new InvalidOperationException("link");
        byte[] room = link!.Room;
        byte[] psk = LinkKeys.Psk(Secret, room);

        var sC = X25519KeyPair.FromPrivateKey(StaticC);
        var sI = X25519KeyPair.FromPrivateKey(StaticI);
        var eC = X25519KeyPair.FromPrivateKey(EphemeralC);
        var eI = X25519KeyPair.FromPrivateKey(EphemeralI);
        if (PairCrypto.RoleFor(IdC, IdI) != PairRole.Committer)
            throw new InvalidOperationException("IdC must be the bytewise-smaller id");
        byte[] c = PairCrypto.Commitment(room, IdC, IdI, eC.PublicKey, sC.PublicKey);
        byte[] sid = PairCrypto.SidOf(c);
        byte[] prologue = PairCrypto.Prologue(room, IdC, IdI, c);
        using var initiator = new HandshakeState(HandshakePattern.IXpsk2, true, prologue, sI, eI, psk);
        using var responder = new HandshakeState(HandshakePattern.IXpsk2, false, prologue, sC, eC, psk);
        Check(initiator.TryWriteMessage([], out byte[] msg1, out _) && responder.TryReadMessage(msg1, out _, out _));
        Check(responder.TryWriteMessage([], out byte[] msg2, out _) && initiator.TryReadMessage(msg2, out _, out _));
        byte[] h = initiator.HandshakeHash.ToArray();
        var (iToC, _) = initiator.Split();
        var (_, cToI) = responder.Split();
        byte[] sas = PairCrypto.SasBytes(h);

        byte[] helloI = AppMessage.Hello(new HelloMessage(NameI, 0));
        byte[] helloC = AppMessage.Hello(new HelloMessage(NameC, 0));
        byte[] keyIC0 = iToC.KeyForVectors.ToArray();
        byte[] transportI = PairCrypto.SealTransport(iToC, sid, helloI);
        byte[] keyIC1 = iToC.KeyForVectors.ToArray();
        byte[] transportC = PairCrypto.SealTransport(cToI, sid, helloC);
        // A second I→C message exercises the rekeyed key and a 2-block padding.
        byte[] chat = AppMessage.Chat(new ChatMessage(Sequence(16, 0x40), new string('я', 200)));
        byte[] transportI2 = PairCrypto.SealTransport(iToC, sid, chat);

        RoomMember[] view = [new(IdC, sC.PublicKey), new(IdI, sI.PublicKey)];
        byte[] rid = RoomCode.ViewId(room, view);
        var reveals = new Dictionary<string, byte[]> { [IdC] = RoomRC, [IdI] = RoomRI };
        byte[] code = RoomCode.CodeBytes(rid, reveals);

        var kids = new JsonArray();
        foreach ((ushort slot, MediaStream stream, uint epoch, ulong ctr) in new (ushort, MediaStream, uint, ulong)[]
            { (1, MediaStream.Camera, 0, 5), (1, MediaStream.Camera, 0, 300), (0xfffe, MediaStream.ScreenAudio, 511, 0x1_0000_0000), (7, MediaStream.Mic, 255, 7) })
        {
            ulong kid = Kid.Make(slot, stream, epoch);
            var header = new byte[SFrameHeader.MaxLength];
            SFrameHeader.TryWrite(kid, ctr, header, out int n);
            kids.Add(new JsonObject { ["slot"] = slot, ["stream"] = (int)stream, ["epoch"] = epoch, ["ctr"] = ctr, ["kid"] = kid.ToString("x"), ["header"] = Hex(header.AsSpan(0, n)) });
        }

        const ushort frameSlot = 0x0203;
        const uint frameEpoch = 258;
        using var ring = new FrameKeyring();
        ring.SetOwnSlot(frameSlot);
        ring.SetSendingKey(frameEpoch, MediaBaseKey);
        var frames = new JsonArray();
        foreach ((string what, MediaStream stream, FrameCodec codec, string plain) in new[]
        {
            ("camera VP8 key frame", MediaStream.Camera, FrameCodec.Vp8, "b0a5009d012a8002e001" + "5555555555555555"),
            ("camera VP8 delta frame", MediaStream.Camera, FrameCodec.Vp8, "91340066666666"),
            ("screen VP8 delta frame", MediaStream.ScreenVideo, FrameCodec.Vp8, "d1ff0077"),
            ("mic Opus frame", MediaStream.Mic, FrameCodec.Opus, "f8fffe"),
            ("screen audio Opus frame", MediaStream.ScreenAudio, FrameCodec.Opus, "78"),
            ("camera VP8 delta frame", MediaStream.Camera, FrameCodec.Vp8, "9134008888"),
        })
        {
            byte[] bytes = Convert.FromHexString(plain);
            var wire = new byte[SenderFrameKey.MaxSealedLength(bytes.Length)];
            Check(ring.TryEncrypt(codec, stream, bytes, wire, out int written, out _));
            frames.Add(new JsonObject
            {
                ["what"] = what, ["stream"] = (int)stream, ["codec"] = codec == FrameCodec.Opus ? "audio/opus" : "video/VP8",
                ["plain"] = plain, ["wire"] = Hex(wire.AsSpan(0, written)),
            });
        }

        const int fileSize = FileChunk.ChunkLength + 4;
        byte[] file = [.. Enumerable.Range(0, fileSize).Select(i => (byte)((i * 31 + 7) & 0xff))];
        byte[] firstChunk = FileChunk.Seal(FileKey, FileId, 0, false, fileSize, file.AsSpan(0, FileChunk.ChunkLength));
        byte[] lastChunk = FileChunk.Seal(FileKey, FileId, 1, true, fileSize, file.AsSpan(FileChunk.ChunkLength));
        byte[] smallChunk = FileChunk.Seal(FileKey, FileId, 0, true, 5, [1, 2, 3, 4, 5]);

        SasEmoji[] sasEmoji = SasEmojiTable.Emoji(sas);
        return new JsonObject
        {
            ["description"] = "Sotto cross-implementation vectors computed by the C# implementation (src/Sotto.E2ee), in the schema of web/e2ee/testdata/sotto-e2ee-vectors.json, for the JavaScript side to check. Generated by tests/Sotto.E2ee.Tests/Vectors/CsVectorFile.cs; format in docs/e2ee-vectors.md. Private keys are X25519 scalars as given to the DH function (RFC 7748 clamps them).",
            ["generator"] = "SOTTO_WRITE_VECTORS=1 dotnet test tests/Sotto.E2ee.Tests -c Release --filter CsVectorFile",
            ["inputs"] = new JsonObject
            {
                ["secret"] = Hex(Secret), ["room_nfc"] = RoomNfc, ["id_c"] = IdC, ["id_i"] = IdI,
                ["static_c_private"] = Hex(StaticC), ["static_i_private"] = Hex(StaticI),
                ["ephemeral_c_private"] = Hex(EphemeralC), ["ephemeral_i_private"] = Hex(EphemeralI),
                ["name_c"] = NameC, ["name_i"] = NameI,
                ["room_r"] = new JsonObject { [IdC] = Hex(RoomRC), [IdI] = Hex(RoomRI) },
                ["media_base_key"] = Hex(MediaBaseKey), ["file_key"] = Hex(FileKey), ["file_id"] = Hex(FileId),
            },
            ["link"] = new JsonObject
            {
                ["forms"] = forms, ["room"] = Hex(room), ["psk"] = Hex(psk), ["psk_without_secret"] = Hex(LinkKeys.Psk(null, room)),
            },
            ["handshake"] = new JsonObject
            {
                ["static_c_public"] = Hex(sC.PublicKey), ["static_i_public"] = Hex(sI.PublicKey),
                ["ephemeral_c_public"] = Hex(eC.PublicKey), ["ephemeral_i_public"] = Hex(eI.PublicKey),
                ["c"] = Hex(c), ["sid"] = Hex(sid), ["prologue"] = Hex(prologue),
                ["commit_blob"] = Hex(Blob.Encode(BlobType.Commit, c)),
                ["hs1_blob"] = Hex(Blob.Encode(BlobType.Hs1, sid, msg1)),
                ["hs2_blob"] = Hex(Blob.Encode(BlobType.Hs2, sid, msg2)),
                ["resync_blob"] = Hex(Blob.Encode(BlobType.Resync, sid)),
                ["h"] = Hex(h),
            },
            ["sas"] = new JsonObject
            {
                ["bytes"] = Hex(sas),
                ["indices"] = new JsonArray([.. SasEmojiTable.Indices(sas).Select(i => (JsonNode)i)]),
                ["en"] = new JsonArray([.. sasEmoji.Select(e => (JsonNode)e.English)]),
                ["ru"] = new JsonArray([.. sasEmoji.Select(e => (JsonNode)e.Russian)]),
            },
            ["transport"] = new JsonObject
            {
                ["key_i_to_c"] = Hex(keyIC0),
                ["key_i_to_c_after_one_message"] = Hex(keyIC1),
                ["first_i_to_c"] = new JsonObject { ["json"] = Encoding.UTF8.GetString(helloI), ["blob"] = Hex(transportI) },
                ["first_c_to_i"] = new JsonObject { ["json"] = Encoding.UTF8.GetString(helloC), ["blob"] = Hex(transportC) },
                ["second_i_to_c"] = new JsonObject { ["json"] = Encoding.UTF8.GetString(chat), ["blob"] = Hex(transportI2) },
            },
            ["room_code"] = new JsonObject
            {
                ["rid"] = Hex(rid),
                ["commits"] = new JsonObject { [IdC] = Hex(RoomCode.Commit(rid, IdC, RoomRC)), [IdI] = Hex(RoomCode.Commit(rid, IdI, RoomRI)) },
                ["code"] = Hex(code),
                ["indices"] = new JsonArray([.. SasEmojiTable.Indices(code).Select(i => (JsonNode)i)]),
            },
            ["kid"] = kids,
            ["frames"] = new JsonObject { ["slot"] = frameSlot, ["epoch"] = frameEpoch, ["base_key"] = Hex(MediaBaseKey), ["in_order"] = frames },
            ["file"] = new JsonObject
            {
                ["size"] = fileSize, ["content_rule"] = "byte i = (i * 31 + 7) mod 256",
                ["sha256"] = Hex(SHA256.HashData(file)), ["sha256_check"] = Hex(SHA256.HashData(file)),
                ["first_chunk_blob_sha256"] = Hex(SHA256.HashData(firstChunk)),
                ["last_chunk_blob"] = Hex(lastChunk),
                ["five_byte_file_01to05_chunk_blob"] = Hex(smallChunk),
            },
        };
    }

    private static void Check(bool ok)
    {
        if (!ok)
            throw new InvalidOperationException("vector computation failed");
    }

    public static string Serialize(JsonObject vectors) =>
        vectors.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    [Fact]
    public void CsVectorFile_is_up_to_date()
    {
        string computed = Serialize(Compute());
        if (Environment.GetEnvironmentVariable("SOTTO_WRITE_VECTORS") == "1")
            File.WriteAllText(Path.Combine(ProjectDirectory(), "TestData", FileName), computed);
        Assert.Equal(computed, File.ReadAllText(TestData.PathOf(FileName)));
    }

    private static string ProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sotto.E2ee.Tests.csproj")))
                return dir.FullName;
        throw new InvalidOperationException("project directory not found");
    }
}
