using Sotto.Rtc.Crypto;

namespace Sotto.Rtc.Tests.Crypto;

/// <summary>
/// A modified tag, ciphertext octet, associated-data octet or nonce makes <see cref="AesGcmCipher.TryDecrypt"/>
/// return false, without throwing, on both implementations; the unmodified packet (positive control) is
/// accepted by the same instance in the same test. The hardware path also leaves rejected data untouched.
/// </summary>
public sealed class AesGcmCipherTamperTests
{
    public enum Tamper { None, Tag, Ciphertext, AssociatedData, Nonce, TruncatedCiphertext }

    public static TheoryData<Tamper, int, bool> Cases()
    {
        var data = new TheoryData<Tamper, int, bool>();
        foreach (var intrinsics in new[] { true, false })
        {
            foreach (var tamper in Enum.GetValues<Tamper>())
            {
                foreach (var length in new[] { 1, 15, 16, 17, 128, 129, 1188 })
                {
                    data.Add(tamper, length, intrinsics);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_modified_packet_is_rejected_and_the_original_accepted(Tamper tamper, int length, bool intrinsics)
    {
        var random = new Random(length * 31 + (int)tamper);
        var key = new byte[16];
        var nonce = new byte[AesGcmCipher.NonceLength];
        var aad = new byte[12];
        var plain = new byte[length];
        random.NextBytes(key);
        random.NextBytes(nonce);
        random.NextBytes(aad);
        random.NextBytes(plain);
        using var gcm = AesGcmCipher.Create(key, intrinsics);
        var ciphertext = (byte[])plain.Clone();
        var tag = new byte[AesGcmCipher.TagLength];
        gcm.Encrypt(nonce, ciphertext, tag, aad);

        // Each bit position is equally able to break the tag: flip a random one.
        var bit = (byte)(1 << random.Next(8));
        var data = (byte[])ciphertext.Clone();
        var usedTag = (byte[])tag.Clone();
        var usedAad = (byte[])aad.Clone();
        var usedNonce = (byte[])nonce.Clone();
        switch (tamper)
        {
            case Tamper.Tag: usedTag[random.Next(usedTag.Length)] ^= bit; break;
            case Tamper.Ciphertext: data[random.Next(data.Length)] ^= bit; break;
            case Tamper.AssociatedData: usedAad[random.Next(usedAad.Length)] ^= bit; break;
            case Tamper.Nonce: usedNonce[random.Next(usedNonce.Length)] ^= bit; break;
            case Tamper.TruncatedCiphertext: data = data[..^1]; break;
        }
        var before = (byte[])data.Clone();

        var accepted = gcm.TryDecrypt(usedNonce, data, usedTag, usedAad);

        if (tamper == Tamper.None)
        {
            Assert.True(accepted);
            Assert.Equal(plain, data);
        }
        else
        {
            Assert.False(accepted);
            if (gcm.IsHardwareAccelerated)
            {
                Assert.Equal(before, data);
            }
            if (data.Length == plain.Length)
            {
                Assert.NotEqual(plain, data); // no unauthenticated plaintext is released
            }
            // Positive control: the same instance still accepts the genuine packet.
            var genuine = (byte[])ciphertext.Clone();
            Assert.True(gcm.TryDecrypt(nonce, genuine, tag, aad));
            Assert.Equal(plain, genuine);
        }
    }

    [Fact]
    public void Wrong_nonce_or_tag_lengths_throw_as_programming_errors()
    {
        using var gcm = AesGcmCipher.Create(new byte[16]);
        Assert.Throws<ArgumentException>(() => gcm.Encrypt(new byte[8], new byte[4], new byte[16], []));
        Assert.Throws<ArgumentException>(() => gcm.Encrypt(new byte[12], new byte[4], new byte[12], []));
        Assert.Throws<ArgumentException>(() => AesGcmCipher.Create(new byte[24]));
    }

    [Fact]
    public void A_disposed_cipher_refuses_to_run()
    {
        var gcm = AesGcmCipher.Create(new byte[16]);
        gcm.Dispose();
        Assert.Throws<ObjectDisposedException>(() => gcm.Encrypt(new byte[12], new byte[4], new byte[16], []));
    }
}
