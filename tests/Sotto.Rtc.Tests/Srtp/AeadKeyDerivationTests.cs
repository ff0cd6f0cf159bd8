using Sotto.Rtc.Srtp;
using static Sotto.Rtc.Tests.Srtp.SrtpTestData;

namespace Sotto.Rtc.Tests.Srtp;

/// <summary>
/// Key derivation for the AEAD profiles (RFC 7714 §11): the RFC 3711 AES-CM PRF with the 96-bit master
/// salt right-padded with zeros to 112 bits (libsrtp's and pion's convention, hence Chromium's). No RFC
/// publishes these values; the expected ones were computed independently with
/// <c>openssl enc -aes-128-ecb / -aes-256-ecb -nopad</c> over the counter blocks
/// (salt || 00 00 with the label XORed into octet 7), using libsrtp's GCM test master key
/// 000102...0f (or ...1f) and salt a0a1...ab.
/// </summary>
public sealed class AeadKeyDerivationTests
{
    private const string MasterSalt = "a0a1a2a3a4a5a6a7a8a9aaab";

    [Theory]
    [InlineData("000102030405060708090a0b0c0d0e0f", SrtpKeyDerivation.RtpEncryptionLabel, "077c6143cb221bc355ff23d5f984a16e")]
    [InlineData("000102030405060708090a0b0c0d0e0f", SrtpKeyDerivation.RtpSaltLabel, "9af3e95364ebac9c99c5a7c4")]
    [InlineData("000102030405060708090a0b0c0d0e0f", SrtpKeyDerivation.RtcpEncryptionLabel, "615dcd9042600666f6fd4d9e4fe4519f")]
    [InlineData("000102030405060708090a0b0c0d0e0f", SrtpKeyDerivation.RtcpSaltLabel, "fcca937b9112a500dac72269")]
    [InlineData("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", SrtpKeyDerivation.RtpEncryptionLabel,
        "b7a435ce454463b760dc82c838468a115c699625af4b93a0f8220a2a6119c5d0")]
    public void Ninety_six_bit_master_salt_is_right_padded(string masterKey, byte label, string expected)
    {
        var output = new byte[Hex(expected).Length];
        SrtpKeyDerivation.Derive(Hex(masterKey), Hex(MasterSalt), label, output);
        Assert.Equal(Hex(expected), output);
    }

    [Fact]
    public void Contexts_from_the_same_master_key_interoperate_and_other_keys_do_not()
    {
        // Positive control for Create(): the derived keys are used consistently on both sides, and a
        // different master salt (one octet) yields contexts that cannot read each other.
        var key = Hex("000102030405060708090a0b0c0d0e0f");
        var salt = Hex(MasterSalt);
        using var sender = SrtpContext.Create(SrtpProtectionProfile.AeadAes128Gcm, key, salt);
        using var receiver = SrtpContext.Create(SrtpProtectionProfile.AeadAes128Gcm, key, salt);
        salt[11] ^= 1;
        using var stranger = SrtpContext.Create(SrtpProtectionProfile.AeadAes128Gcm, key, salt);

        var packet = ProtectRtp(sender, BuildRtp(1, 0x1234, 100));

        Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtp(stranger, packet).Result);
        Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, packet).Result);
    }
}
