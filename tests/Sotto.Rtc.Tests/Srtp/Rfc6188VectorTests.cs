using Sotto.Rtc.Srtp;
using static Sotto.Rtc.Tests.Srtp.SrtpTestData;

namespace Sotto.Rtc.Tests.Srtp;

/// <summary>
/// RFC 6188 §7: AES-256 in SRTP. §7.1 is the AES-256-CM keystream (first and last three of the blocks at
/// counters 0000..0002 and FEFF..FF01), §7.2 the AES-256 PRF key derivation. Sotto uses the AES-256
/// PRF for AEAD_AES_256_GCM (RFC 7714 §11), which is why these vectors matter here.
/// </summary>
public sealed class Rfc6188VectorTests
{
    private const string SessionKey = "57f82fe3613fd170a85ec93c40b1f092 2ec4cb0dc025b58272147cc438944a98";
    private const string InitialCounter = "F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000";

    [Fact]
    public void Section7_1_aes256_cm_keystream_first_and_last_blocks()
    {
        using var cipher = new AesCounterMode(Hex(SessionKey));
        var keystream = new byte[0xFF02 * AesCounterMode.BlockLength];
        cipher.Apply(Hex(InitialCounter), keystream);

        Assert.Equal(
            Hex("92bdd28a93c3f52511c677d08b5515a4 9da71b2378a854f67050756ded165bac 63c4868b7096d88421b563b8c94c9a31"),
            keystream[..48]);
        Assert.Equal(
            Hex("cea518c90fd91ced9cbb18c078a54711 3dbc4814f4da5f00a08772b63c6a046d 6eb246913062a16891433e97dd01a57f"),
            keystream[^48..]);
    }

    // §7.2: master key f0f04914...b9f1b6 (256 bits), master salt 3b04803de51ee7c96423ab5b78d2.
    private const string MasterKey = "f0f04914b513f2763a1b1fa130f10e29 98f6f6e43e4309d1e622a0e332b9f1b6";
    private const string MasterSalt = "3b04803de51ee7c96423ab5b78d2";

    [Theory]
    [InlineData(SrtpKeyDerivation.RtpEncryptionLabel, "5ba1064e30ec51613cad926c5a28ef731ec7fb397f70a960653caf06554cd8c4")]
    [InlineData(SrtpKeyDerivation.RtpSaltLabel, "fa31791685ca444a9e07c6c64e93")]
    [InlineData(SrtpKeyDerivation.RtpAuthenticationLabel, "fd9c32d39ed5fbb5a9dc96b30818454d1313dc05")]
    public void Section7_2_aes256_key_derivation(byte label, string expected)
    {
        var output = new byte[Hex(expected).Length];
        SrtpKeyDerivation.Derive(Hex(MasterKey), Hex(MasterSalt), label, output);
        Assert.Equal(Hex(expected), output);
    }

    [Fact]
    public void Second_half_of_a_256_bit_master_key_reaches_the_prf()
    {
        // Positive control: a PRF that silently used only the first 16 octets would pass nothing above,
        // but make it explicit: flipping the last key octet changes the derived key.
        var key = Hex(MasterKey);
        var a = new byte[32];
        var b = new byte[32];
        SrtpKeyDerivation.Derive(key, Hex(MasterSalt), SrtpKeyDerivation.RtpEncryptionLabel, a);
        key[^1] ^= 1;
        SrtpKeyDerivation.Derive(key, Hex(MasterSalt), SrtpKeyDerivation.RtpEncryptionLabel, b);
        Assert.NotEqual(a, b);
    }
}
