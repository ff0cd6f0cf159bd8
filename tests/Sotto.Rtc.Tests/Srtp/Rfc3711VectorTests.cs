using Sotto.Rtc.Srtp;
using static Sotto.Rtc.Tests.Srtp.SrtpTestData;

namespace Sotto.Rtc.Tests.Srtp;

/// <summary>RFC 3711 Appendix B: the AES-CM keystream (B.2) and key derivation (B.3) test vectors.</summary>
public sealed class Rfc3711VectorTests
{
    // B.2: session key 2B7E151628AED2A6ABF7158809CF4F3C, ROC 0, SEQ 0, SSRC 0, session salt
    // F0F1F2F3F4F5F6F7F8F9FAFBFCFD, so the counter starts at F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000.
    private const string B2SessionKey = "2B7E151628AED2A6ABF7158809CF4F3C";
    private const string B2InitialCounter = "F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000";

    [Theory]
    [InlineData(0x0000, "E03EAD0935C95E80E166B16DD92B4EB4")]
    [InlineData(0x0001, "D23513162B02D0F72A43A2FE4A5F97AB")]
    [InlineData(0x0002, "41E95B3BB0A2E8DD477901E4FCA894C0")]
    [InlineData(0xFEFF, "EC8CDF7398607CB0F2D21675EA9EA1E4")]
    [InlineData(0xFF00, "362B7C3C6773516318A077D7FC5073AE")]
    [InlineData(0xFF01, "6A2CC3787889374FBEB4C81B17BA6C44")]
    public void B2_keystream_block_matches(int counter, string expectedBlock)
    {
        using var cipher = new AesCounterMode(Hex(B2SessionKey));
        // Keystream = encryption of zeros; generate up to and including the wanted block.
        var keystream = new byte[(counter + 1) * AesCounterMode.BlockLength];
        cipher.Apply(Hex(B2InitialCounter), keystream);

        Assert.Equal(Hex(expectedBlock), keystream[^AesCounterMode.BlockLength..]);
    }

    [Fact]
    public void B2_counter_block_is_built_from_salt_ssrc_and_index()
    {
        // The SRTP transform must produce the same keystream when handed the B.2 inputs as a packet:
        // SSRC 0, index 0, salt F0..FD. Protect a zero payload: the ciphertext is the keystream.
        using var context = SrtpContext.CreateFromSessionKeys(
            SrtpProtectionProfile.AesCm128HmacSha1_80,
            Hex(B2SessionKey), Hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), new byte[20],
            Hex(B2SessionKey), Hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), new byte[20]);
        var packet = new byte[12 + 48 + 10];
        packet[0] = 0x80; // V=2, SEQ 0, SSRC 0

        Assert.Equal(SrtpResult.Ok, context.ProtectRtp(packet, 60, out _));

        Assert.Equal(
            Hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB 41E95B3BB0A2E8DD477901E4FCA894C0"),
            packet[12..60]);
    }

    // B.3: master key E1F97A0D3E018BE0D64FA32C06DE4139, master salt 0EC675AD498AFEEBB6960B3AABE6, kdr 0, index 0.
    private const string B3MasterKey = "E1F97A0D3E018BE0D64FA32C06DE4139";
    private const string B3MasterSalt = "0EC675AD498AFEEBB6960B3AABE6";

    [Fact]
    public void B3_cipher_key()
    {
        var key = new byte[16];
        SrtpKeyDerivation.Derive(Hex(B3MasterKey), Hex(B3MasterSalt), SrtpKeyDerivation.RtpEncryptionLabel, key);
        Assert.Equal(Hex("C61E7A93744F39EE10734AFE3FF7A087"), key);
    }

    [Fact]
    public void B3_cipher_salt()
    {
        var salt = new byte[14];
        SrtpKeyDerivation.Derive(Hex(B3MasterKey), Hex(B3MasterSalt), SrtpKeyDerivation.RtpSaltLabel, salt);
        Assert.Equal(Hex("30CBBC08863D8C85D49DB34A9AE1"), salt);
    }

    [Fact]
    public void B3_authentication_key_all_94_octets()
    {
        // B.3 prints 94 octets of the label-1 PRF stream; the first 20 are the HMAC-SHA1 key. All 94
        // exercise the block counter across six blocks.
        var stream = new byte[94];
        SrtpKeyDerivation.Derive(Hex(B3MasterKey), Hex(B3MasterSalt), SrtpKeyDerivation.RtpAuthenticationLabel, stream);
        Assert.Equal(
            Hex("""
                CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2
                """),
            stream);
    }

    [Fact]
    public void Derivation_labels_are_distinct_positive_control()
    {
        // Guards the tests above against a PRF that ignores the label.
        var a = new byte[16];
        var b = new byte[16];
        SrtpKeyDerivation.Derive(Hex(B3MasterKey), Hex(B3MasterSalt), SrtpKeyDerivation.RtpEncryptionLabel, a);
        SrtpKeyDerivation.Derive(Hex(B3MasterKey), Hex(B3MasterSalt), SrtpKeyDerivation.RtcpEncryptionLabel, b);
        Assert.NotEqual(a, b);
    }
}
