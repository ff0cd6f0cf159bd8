using System.Security.Cryptography;
using Sotto.Rtc.Crypto;

namespace Sotto.Rtc.Tests.Crypto;

/// <summary>
/// <see cref="AesNiGcm"/> against System.Security.Cryptography's <see cref="AesGcm"/> (OpenSSL here) on
/// random keys, nonces, associated data and plaintexts, with every plaintext length 0–130 (all the
/// block-boundary and 8-block-chunk edges) and random lengths up to 2,000. Seeds are fixed so a failure
/// replays.
/// </summary>
public sealed class AesGcmCipherDifferentialTests
{
    /// <summary>Key length, and whether GHASH may use 512-bit VPCLMULQDQ (false covers the 128-bit path).</summary>
    public static TheoryData<int, bool> KeyLengths => new() { { 16, true }, { 32, true }, { 16, false }, { 32, false } };

    [Theory]
    [MemberData(nameof(KeyLengths))]
    public void Every_length_0_to_130_matches_AesGcm_both_ways(int keyLength, bool wideGhash)
    {
        var random = new Random(7_714 + keyLength);
        for (var length = 0; length <= 130; length++)
        {
            for (var repeat = 0; repeat < 8; repeat++)
            {
                AssertMatchesReference(random, keyLength, wideGhash, length, random.Next(0, 65));
            }
        }
    }

    [Theory]
    [MemberData(nameof(KeyLengths))]
    public void Random_lengths_up_to_2000_match_AesGcm_both_ways(int keyLength, bool wideGhash)
    {
        var random = new Random(3_711 + keyLength);
        for (var i = 0; i < 2_000; i++)
        {
            AssertMatchesReference(random, keyLength, wideGhash, random.Next(0, 2_001), random.Next(0, 65));
        }
    }

    // Authentication-only SRTCP (RFC 7714 §9.3) feeds the whole packet as associated data, so long AAD
    // must take the aggregated GHASH path too.
    [Theory]
    [MemberData(nameof(KeyLengths))]
    public void Long_associated_data_matches_AesGcm(int keyLength, bool wideGhash)
    {
        var random = new Random(9_605 + keyLength);
        for (var i = 0; i < 500; i++)
        {
            AssertMatchesReference(random, keyLength, wideGhash, random.Next(0, 40), random.Next(0, 2_001));
        }
    }

    private static void AssertMatchesReference(Random random, int keyLength, bool wideGhash, int dataLength, int aadLength)
    {
        var key = RandomBytes(random, keyLength);
        var nonce = RandomBytes(random, AesGcmCipher.NonceLength);
        var aad = RandomBytes(random, aadLength);
        var plain = RandomBytes(random, dataLength);
        var context = $"key {keyLength * 8} bits, wide GHASH {wideGhash}, data {dataLength}, aad {aadLength}";

        var expectedCipher = new byte[dataLength];
        var expectedTag = new byte[AesGcmCipher.TagLength];
        using (var reference = new AesGcm(key, AesGcmCipher.TagLength))
        {
            reference.Encrypt(nonce, plain, expectedCipher, expectedTag, aad);
        }

        using var gcm = new AesNiGcm(key, wideGhash);
        Assert.Equal(wideGhash && Ghash.IsWideSupported, gcm.UsesWideGhash);
        var data = (byte[])plain.Clone();
        var tag = new byte[AesGcmCipher.TagLength];
        gcm.Encrypt(nonce, data, tag, aad);
        Assert.True(expectedCipher.AsSpan().SequenceEqual(data), $"ciphertext differs: {context}");
        Assert.True(expectedTag.AsSpan().SequenceEqual(tag), $"tag differs: {context}");

        // Decrypt the reference's output, not our own, so a symmetric bug cannot cancel out.
        var received = (byte[])expectedCipher.Clone();
        Assert.True(gcm.TryDecrypt(nonce, received, expectedTag, aad), $"authentic packet rejected: {context}");
        Assert.True(plain.AsSpan().SequenceEqual(received), $"plaintext differs: {context}");
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void The_differential_tests_ran_on_the_hardware_path()
    {
        // On x64 CI these tests must exercise AES-NI; on ARM AesNiGcm cannot be constructed and the
        // fallback is covered by the vector and SRTP tests instead.
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.True(AesNiGcm.IsSupported);
        }
    }
}
