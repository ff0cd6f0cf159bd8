using Sotto.Rtc.Crypto;
using static Sotto.Rtc.Tests.Srtp.SrtpTestData;

namespace Sotto.Rtc.Tests.Crypto;

/// <summary>
/// The test cases of McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", revised 2005,
/// appendix B, that use a 96-bit IV: cases 1–4 (AES-128) and 13–16 (AES-256). Cases 5–6 and 17–18 use
/// 64- and 480-bit IVs, which SRTP never uses and <see cref="AesGcmCipher"/> does not accept; cases 7–12
/// are AES-192. Both implementations run every case.
/// </summary>
public sealed class AesGcmCipherVectorTests
{
    private const string Key1 = "00000000000000000000000000000000";
    private const string Key2 = "feffe9928665731c6d6a8f9467308308";
    private const string ZeroIv = "000000000000000000000000";
    private const string Iv = "cafebabefacedbaddecaf888";
    private const string Aad = "feedfacedeadbeeffeedfacedeadbeef abaddad2";
    private const string Plain64 = """
        d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72
        1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b391aafd255
        """;
    private const string Plain60 = """
        d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72
        1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b39
        """;

    public static TheoryData<string, string, string, string, string, string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, string, string, string, string, string, bool>();
        foreach (var intrinsics in new[] { true, false })
        {
            data.Add("1", Key1, ZeroIv, "", "", "", "58e2fccefa7e3061367f1d57a4e7455a", intrinsics);
            data.Add("2", Key1, ZeroIv, "", "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf", intrinsics);
            data.Add("3", Key2, Iv, "", Plain64, """
                42831ec2217774244b7221b784d0d49c e3aa212f2c02a4e035c17e2329aca12e
                21d514b25466931c7d8f6a5aac84aa05 1ba30b396a0aac973d58e091473f5985
                """, "4d5c2af327cd64a62cf35abd2ba6fab4", intrinsics);
            data.Add("4", Key2, Iv, Aad, Plain60, """
                42831ec2217774244b7221b784d0d49c e3aa212f2c02a4e035c17e2329aca12e
                21d514b25466931c7d8f6a5aac84aa05 1ba30b396a0aac973d58e091
                """, "5bc94fbc3221a5db94fae95ae7121a47", intrinsics);
            data.Add("13", Key1 + Key1, ZeroIv, "", "", "", "530f8afbc74536b9a963b4f1c4cb738b", intrinsics);
            data.Add("14", Key1 + Key1, ZeroIv, "", "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919", intrinsics);
            data.Add("15", Key2 + Key2, Iv, "", Plain64, """
                522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa
                8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662898015ad
                """, "b094dac5d93471bdec1a502270e3cc6c", intrinsics);
            data.Add("16", Key2 + Key2, Iv, Aad, Plain60, """
                522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa
                8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662
                """, "76fc6ece0f4e1768cddf8853bb2d551b", intrinsics);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encrypt_matches_the_published_ciphertext_and_tag(string testCase, string key, string iv, string aad, string plain, string cipher, string tag, bool intrinsics)
    {
        using var gcm = AesGcmCipher.Create(Hex(key), intrinsics);
        Assert.Equal(intrinsics && AesNiGcm.IsSupported, gcm.IsHardwareAccelerated);
        var data = Hex(plain);
        var computedTag = new byte[AesGcmCipher.TagLength];
        gcm.Encrypt(Hex(iv), data, computedTag, Hex(aad));
        Assert.True(Hex(cipher).AsSpan().SequenceEqual(data), $"test case {testCase}: ciphertext");
        Assert.True(Hex(tag).AsSpan().SequenceEqual(computedTag), $"test case {testCase}: tag");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryDecrypt_accepts_the_published_packet_and_rejects_a_flipped_tag_bit(string testCase, string key, string iv, string aad, string plain, string cipher, string tag, bool intrinsics)
    {
        using var gcm = AesGcmCipher.Create(Hex(key), intrinsics);
        var data = Hex(cipher);
        Assert.True(gcm.TryDecrypt(Hex(iv), data, Hex(tag), Hex(aad)), $"test case {testCase}");
        Assert.True(Hex(plain).AsSpan().SequenceEqual(data), $"test case {testCase}: plaintext");

        var forged = Hex(tag);
        forged[^1] ^= 0x01;
        var again = Hex(cipher);
        Assert.False(gcm.TryDecrypt(Hex(iv), again, forged, Hex(aad)), $"test case {testCase}: forged tag");
    }
}
