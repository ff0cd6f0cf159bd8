using System.Security.Cryptography;
using System.Text.Json;
using Sotto.E2ee.Codes;
using Sotto.E2ee.Files;
using Sotto.E2ee.Pairwise;
using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Tests.Vectors;

/// <summary>The room-code and file-chunk sections of the JS vectors (TestData/web/sotto-e2ee-vectors.json).</summary>
public sealed class SottoE2eeCodeAndFileVectorTests
{
    private static readonly JsonElement Root = Load();
    private static readonly JsonElement Inputs = Root.GetProperty("inputs");

    private static JsonElement Load()
    {
        using JsonDocument doc = TestData.Load("web/sotto-e2ee-vectors.json");
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Room_view_id_commits_and_code_match()
    {
        byte[] room = Root.GetProperty("link").GetProperty("room").Hex();
        string idC = Inputs.GetProperty("id_c").GetString()!, idI = Inputs.GetProperty("id_i").GetString()!;
        // Listed in the wrong order on purpose: the view is sorted bytewise by id.
        RoomMember[] view =
        [
            new(idI, Root.GetProperty("handshake").GetProperty("static_i_public").Hex()),
            new(idC, Root.GetProperty("handshake").GetProperty("static_c_public").Hex()),
        ];
        JsonElement expected = Root.GetProperty("room_code");
        byte[] rid = RoomCode.ViewId(room, view);
        Assert.Equal(expected.GetProperty("rid").GetString(), TestData.ToHex(rid));
        var reveals = new Dictionary<string, byte[]>();
        foreach (JsonProperty r in Inputs.GetProperty("room_r").EnumerateObject())
        {
            reveals[r.Name] = r.Value.Hex();
            byte[] commit = RoomCode.Commit(rid, r.Name, reveals[r.Name]);
            Assert.Equal(expected.GetProperty("commits").GetProperty(r.Name).GetString(), TestData.ToHex(commit));
            Assert.True(RoomCode.RevealMatches(rid, r.Name, reveals[r.Name], commit));
            byte[] wrong = (byte[])reveals[r.Name].Clone();
            wrong[0] ^= 1;
            Assert.False(RoomCode.RevealMatches(rid, r.Name, wrong, commit)); // → TAMPER alarm
        }
        byte[] code = RoomCode.CodeBytes(rid, reveals);
        Assert.Equal(expected.GetProperty("code").GetString(), TestData.ToHex(code));
        Assert.Equal([.. expected.GetProperty("indices").EnumerateArray().Select(e => e.GetInt32())], SasEmojiTable.Indices(code));

        // Any change of the view changes rid (and so the code); equal views give equal rids.
        Assert.Equal(rid, RoomCode.ViewId(room, [.. view.Reverse()]));
        byte[] otherKey = (byte[])view[0].StaticPublic.Clone();
        otherKey[31] ^= 1;
        Assert.NotEqual(rid, RoomCode.ViewId(room, [view[1], view[0] with { StaticPublic = otherKey }]));
        Assert.NotEqual(rid, RoomCode.ViewId(room, [view[1]]));
    }

    [Fact]
    public void File_chunks_match_and_splices_fail()
    {
        JsonElement file = Root.GetProperty("file");
        byte[] key = Inputs.GetProperty("file_key").Hex();
        byte[] fid = Inputs.GetProperty("file_id").Hex();
        int size = file.GetProperty("size").GetInt32();
        byte[] content = [.. Enumerable.Range(0, size).Select(i => (byte)((i * 31 + 7) & 0xff))];
        Assert.Equal(file.GetProperty("sha256").GetString(), TestData.ToHex(SHA256.HashData(content)));

        byte[] first = FileChunk.Seal(key, fid, 0, false, (ulong)size, content.AsSpan(0, FileChunk.ChunkLength));
        Assert.Equal(file.GetProperty("first_chunk_blob_sha256").GetString(), TestData.ToHex(SHA256.HashData(first)));
        byte[] last = FileChunk.Seal(key, fid, 1, true, (ulong)size, content.AsSpan(FileChunk.ChunkLength));
        Assert.Equal(file.GetProperty("last_chunk_blob").GetString(), TestData.ToHex(last));
        byte[] small = FileChunk.Seal(key, fid, 0, true, 5, [1, 2, 3, 4, 5]);
        Assert.Equal(file.GetProperty("five_byte_file_01to05_chunk_blob").GetString(), TestData.ToHex(small));

        Assert.True(Blob.TryParse(last, out Blob blob, out _));
        Assert.Equal(BlobType.FileChunk, blob.Type);
        Assert.True(FileChunk.TryParse(blob.Body, out FileChunk chunk));
        Assert.True(chunk.TryOpen(key, (ulong)size, out byte[] plain)); // positive control
        Assert.Equal(content.AsSpan(FileChunk.ChunkLength).ToArray(), plain);
        Assert.False(chunk.TryOpen(key, (ulong)size + 1, out _)); // spliced into a transfer of another size

        byte[] reindexed = (byte[])last.Clone();
        reindexed[Blob.BodyOffset + FileChunk.FileIdLength + 3] = 0; // index 1 → 0
        Assert.True(FileChunk.TryParse(reindexed.AsSpan(Blob.BodyOffset), out FileChunk moved));
        Assert.False(moved.TryOpen(key, (ulong)size, out _));
        byte[] notLast = (byte[])last.Clone();
        notLast[Blob.BodyOffset + FileChunk.FileIdLength + 4] = 0;
        Assert.True(FileChunk.TryParse(notLast.AsSpan(Blob.BodyOffset), out FileChunk truncated));
        Assert.False(truncated.TryOpen(key, (ulong)size, out _));
    }

    [Fact]
    public void All_64_emoji_names_are_distinct_in_both_languages_with_the_overrides()
    {
        Assert.Equal(64, SasEmojiTable.All.Count);
        Assert.Equal(64, SasEmojiTable.All.Select(e => e.English).Distinct().Count());
        Assert.Equal(64, SasEmojiTable.All.Select(e => e.Russian).Distinct().Count());
        Assert.Equal("Гаечный ключ", SasEmojiTable.All[34].Russian);
        Assert.Equal("Будильник", SasEmojiTable.All[39].Russian);

        // The rest equals the Matrix table (TestData/web/sas-emoji.json), which has the «Ключ» collision.
        using JsonDocument doc = TestData.Load("web/sas-emoji.json");
        var source = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(source[34].GetProperty("ru").GetString(), source[47].GetProperty("ru").GetString()); // control: the collision is real
        for (int i = 0; i < 64; i++)
        {
            Assert.Equal(source[i].GetProperty("emoji").GetString(), SasEmojiTable.All[i].Emoji);
            Assert.Equal(source[i].GetProperty("en").GetString(), SasEmojiTable.All[i].English);
            if (i is not 34 and not 39)
                Assert.Equal(source[i].GetProperty("ru").GetString(), SasEmojiTable.All[i].Russian);
        }
        // §S4.6 example: bytes 0123456789ab → [0, 18, 13, 5, 25, 56, 38].
        Assert.Equal([0, 18, 13, 5, 25, 56, 38], SasEmojiTable.Indices(Convert.FromHexString("0123456789ab")));
    }

    [Fact]
    public void Strict_base64url_rejects_padding_bad_characters_and_non_canonical_text()
    {
        byte[] bytes = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        string text = Base64Url.Encode(bytes);
        Assert.Equal("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", text);
        Assert.True(Base64Url.TryDecode(text, out byte[] back, 32));
        Assert.Equal(bytes, back);
        Assert.False(Base64Url.TryDecode(text + "=", out _));
        Assert.False(Base64Url.TryDecode(text.Replace('A', '+'), out _));
        Assert.False(Base64Url.TryDecode(text[..^1] + "9", out _)); // non-zero unused bits
        Assert.False(Base64Url.TryDecode(text.AsSpan(0, text.Length - 1), out _, 32));
        Assert.False(Base64Url.TryDecode("A", out _));
    }
}
