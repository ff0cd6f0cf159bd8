using System.Text.Json;
using Sotto.E2ee.Frames;

namespace Sotto.E2ee.Tests.Frames;

/// <summary>
/// RFC 9605 test vectors (TestData/web/sframe-rfc9605.json, linked from web/e2ee/testdata:
/// sframe-wg/sframe test-vectors/test-vectors.json at 9c0be80a). kid and ctr reach 2^64 − 1 and
/// are read as UInt64.
/// </summary>
public sealed class Rfc9605VectorTests
{
    private static readonly JsonElement Root = Load();

    private static JsonElement Load()
    {
        using JsonDocument doc = TestData.Load("web/sframe-rfc9605.json");
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Every_header_vector_encodes_and_parses()
    {
        int count = 0;
        Span<byte> buffer = stackalloc byte[SFrameHeader.MaxLength];
        foreach (JsonElement v in Root.GetProperty("header").EnumerateArray())
        {
            ulong kid = v.GetProperty("kid").GetUInt64();
            ulong ctr = v.GetProperty("ctr").GetUInt64();
            byte[] encoded = v.GetProperty("encoded").Hex();
            Assert.Equal(encoded.Length, SFrameHeader.GetSerializedLength(kid, ctr));
            Assert.True(SFrameHeader.TryWrite(kid, ctr, buffer, out int written));
            Assert.Equal(encoded, buffer[..written].ToArray());
            Assert.True(SFrameHeader.TryParse(encoded, out SFrameHeader header));
            Assert.Equal((kid, ctr, encoded.Length), (header.Kid, header.Counter, header.Length));
            // Every truncation is refused, never misread.
            for (int cut = 0; cut < encoded.Length; cut++)
                Assert.False(SFrameHeader.TryParse(encoded.AsSpan(0, cut), out _));
            count++;
        }
        Assert.Equal(289, count);
    }

    [Fact]
    public void Suite_4_vector_matches_key_salt_nonce_and_ciphertext()
    {
        JsonElement v = Root.GetProperty("sframe").EnumerateArray().Single(e => e.GetProperty("cipher_suite").GetInt32() == 4);
        ulong kid = v.GetProperty("kid").GetUInt64();
        ulong ctr = v.GetProperty("ctr").GetUInt64();
        using var material = new SFrameKeyMaterial(v.GetProperty("base_key").Hex(), kid);
        Assert.Equal(v.GetProperty("sframe_key").Hex(), material.KeyForVectors);
        Assert.Equal(v.GetProperty("sframe_salt").Hex(), material.SaltForVectors);
        Span<byte> nonce = stackalloc byte[SFrameKeyMaterial.NonceLength];
        material.WriteNonce(ctr, nonce);
        Assert.Equal(v.GetProperty("nonce").Hex(), nonce.ToArray());

        byte[] metadata = v.GetProperty("metadata").Hex();
        byte[] pt = v.GetProperty("pt").Hex();
        byte[] expected = v.GetProperty("ct").Hex();
        var header = new byte[SFrameHeader.GetSerializedLength(kid, ctr)];
        SFrameHeader.TryWrite(kid, ctr, header, out _);
        Assert.Equal(v.GetProperty("aad").Hex(), (byte[])[.. header, .. metadata]);
        var sealedPart = new byte[pt.Length + SFrameKeyMaterial.TagLength];
        material.Seal(ctr, header, metadata, pt, sealedPart);
        Assert.Equal(expected, (byte[])[.. header, .. sealedPart]);

        var opened = new byte[pt.Length];
        Assert.True(material.TryOpen(ctr, header, metadata, sealedPart, opened));
        Assert.Equal(pt, opened);
        metadata[0] ^= 1; // the metadata is authenticated
        Assert.False(material.TryOpen(ctr, header, metadata, sealedPart, opened));
    }
}
