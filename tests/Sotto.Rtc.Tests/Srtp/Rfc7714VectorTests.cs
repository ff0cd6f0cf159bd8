using Sotto.Rtc.Srtp;
using static Sotto.Rtc.Tests.Srtp.SrtpTestData;

namespace Sotto.Rtc.Tests.Srtp;

/// <summary>
/// RFC 7714 §16 (SRTP) and §17 (SRTCP) AES-GCM test vectors. The RFC publishes session keys, not master
/// keys ("00 01 02 ... 0f" or "... 1f", salt "Quid pro quo" = 51756964 2070726f 2071756f), so the contexts
/// are built from session keys and key derivation is covered by <see cref="AeadKeyDerivationTests"/>.
/// Bytes as printed in RFC 7714 (cross-checked against pion/srtp and libsrtp-based test suites).
/// </summary>
public sealed class Rfc7714VectorTests
{
    private const string Key128 = "000102030405060708090a0b0c0d0e0f";
    private const string Key256 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private const string Salt = "517569642070726f2071756f";

    // §16: SSRC 5501a0b2, SEQ f17b, ROC 0, payload "Gallia est omnis divisa in partes tres".
    private const string RtpPlain = """
        8040f17b 8041f8d3 5501a0b2 47616c6c
        69612065 7374206f 6d6e6973 20646976
        69736120 696e2070 61727465 73207472
        6573
        """;

    // §16.1.1 Encrypted and tagged packet (AEAD_AES_128_GCM).
    private const string RtpProtected128 = """
        8040f17b 8041f8d3 5501a0b2 f24de3a3
        fb34de6c acba861c 9d7e4bca be633bd5
        0d294e6f 42a5f47a 51c7d19b 36de3adf
        8833899d 7f27beb1 6a9152cf 765ee439
        0cce
        """;

    // §16.2.1 Encrypted and tagged packet (AEAD_AES_256_GCM).
    private const string RtpProtected256 = """
        8040f17b 8041f8d3 5501a0b2 32b1de78
        a822fe12 ef9f78fa 332e33aa b1801238
        9a58e2f3 b50b2a02 76ffae0f 1ba63799
        b87b7aa3 db36dfff d6b0f9bb 7878d7a7
        6c13
        """;

    // §17: sender report from SSRC 4d617273, SRTCP index 000005d4.
    private const string RtcpPlain = """
        81c8000d 4d617273 4e545031 4e545032
        52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef
        deadbeef
        """;
    private const uint RtcpSsrc = 0x4d617273;
    private const uint SrtcpIndex = 0x5d4;

    // §17.1 (128) and §17.2 (256): encrypted and tagged, E = 1.
    private const string RtcpProtected128 = """
        81c8000d 4d617273 63e94885 dcdab67c
        a727d766 2f6b7e99 7ff5c0f7 6c06f32d
        c676a5f1 730d6fda 4ce09b46 86303ded
        0bb9275b c84aa458 96cf4d2f c5abf872
        45d9eade 800005d4
        """;
    private const string RtcpProtected256 = """
        81c8000d 4d617273 d50ae4d1 f5ce5d30
        4ba297e4 7d470c28 2c3ece5d bffe0a50
        a2eaa5c1 110555be 8415f658 c61de047
        6f1b6fad 1d1eb30c 4446839f 57ff6f6c
        b26ac3be 800005d4
        """;

    // §17.3 (128) and §17.4 (256): tagged only, E = 0.
    private const string RtcpTagged128 = """
        81c8000d 4d617273 4e545031 4e545032
        52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef
        deadbeef 841dd968 3dd78ec9 2ae58790
        125f62b3 000005d4
        """;
    private const string RtcpTagged256 = """
        81c8000d 4d617273 4e545031 4e545032
        52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef
        deadbeef 91db4afb feee5a97 8fab4393
        ed2615fe 000005d4
        """;

    private static SrtpContext Context(SrtpProtectionProfile profile)
    {
        var key = Hex(profile == SrtpProtectionProfile.AeadAes128Gcm ? Key128 : Key256);
        return SrtpContext.CreateFromSessionKeys(profile, key, Hex(Salt), [], key, Hex(Salt), []);
    }

    public static TheoryData<SrtpProtectionProfile, string> RtpVectors => new()
    {
        { SrtpProtectionProfile.AeadAes128Gcm, RtpProtected128 }, // §16.1.1
        { SrtpProtectionProfile.AeadAes256Gcm, RtpProtected256 }, // §16.2.1
    };

    [Theory]
    [MemberData(nameof(RtpVectors))]
    public void Section16_rtp_encryption(SrtpProtectionProfile profile, string expected)
    {
        using var sender = Context(profile);
        Assert.Equal(Hex(expected), ProtectRtp(sender, Hex(RtpPlain)));
    }

    [Theory]
    [MemberData(nameof(RtpVectors))]
    public void Section16_rtp_decryption(SrtpProtectionProfile profile, string protectedPacket)
    {
        using var receiver = Context(profile);
        var (result, plain) = UnprotectRtp(receiver, Hex(protectedPacket));
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(Hex(RtpPlain), plain);
    }

    [Fact]
    public void Section16_one_flipped_bit_fails_authentication()
    {
        // Positive control for the vectors: the unaltered packet verifies, each altered one does not.
        var packet = Hex(RtpProtected128);
        foreach (var offset in new[] { 1, 9, 12, 30, packet.Length - 1 })
        {
            using var receiver = Context(SrtpProtectionProfile.AeadAes128Gcm);
            var altered = (byte[])packet.Clone();
            altered[offset] ^= 0x01;
            Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtp(receiver, altered).Result);
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, packet).Result);
        }
    }

    public static TheoryData<SrtpProtectionProfile, string> RtcpEncryptedVectors => new()
    {
        { SrtpProtectionProfile.AeadAes128Gcm, RtcpProtected128 }, // §17.1
        { SrtpProtectionProfile.AeadAes256Gcm, RtcpProtected256 }, // §17.2
    };

    public static TheoryData<SrtpProtectionProfile, string> RtcpTaggedVectors => new()
    {
        { SrtpProtectionProfile.AeadAes128Gcm, RtcpTagged128 }, // §17.3
        { SrtpProtectionProfile.AeadAes256Gcm, RtcpTagged256 }, // §17.4
    };

    [Theory]
    [MemberData(nameof(RtcpEncryptedVectors))]
    public void Section17_rtcp_encryption(SrtpProtectionProfile profile, string expected)
    {
        using var sender = Context(profile);
        sender.SetNextSrtcpIndex(RtcpSsrc, SrtcpIndex);
        var protectedPacket = ProtectRtcp(sender, Hex(RtcpPlain));
        Assert.Equal(Hex(expected), protectedPacket);
        // §9.2: the E||index word follows the tag, E set.
        Assert.Equal(Hex("800005d4"), protectedPacket[^4..]);
    }

    [Theory]
    [MemberData(nameof(RtcpEncryptedVectors))]
    public void Section17_rtcp_decryption(SrtpProtectionProfile profile, string protectedPacket)
    {
        using var receiver = Context(profile);
        var (result, plain) = UnprotectRtcp(receiver, Hex(protectedPacket));
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(Hex(RtcpPlain), plain);
    }

    [Theory]
    [MemberData(nameof(RtcpTaggedVectors))]
    public void Section17_rtcp_authentication_only_tagging(SrtpProtectionProfile profile, string expected)
    {
        using var sender = Context(profile);
        sender.SetNextSrtcpIndex(RtcpSsrc, SrtcpIndex);
        var plain = Hex(RtcpPlain);
        var buffer = new byte[plain.Length + 64];
        plain.CopyTo(buffer, 0);

        Assert.Equal(SrtpResult.Ok, sender.ProtectRtcp(buffer, plain.Length, encrypt: false, out var length));

        Assert.Equal(Hex(expected), buffer[..length]);
    }

    [Theory]
    [MemberData(nameof(RtcpTaggedVectors))]
    public void Section17_rtcp_authentication_only_verification(SrtpProtectionProfile profile, string tagged)
    {
        using var receiver = Context(profile);
        var (result, plain) = UnprotectRtcp(receiver, Hex(tagged));
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(Hex(RtcpPlain), plain);
    }

    [Theory]
    [MemberData(nameof(RtcpTaggedVectors))]
    public void Section17_authentication_only_packet_with_altered_payload_fails(SrtpProtectionProfile profile, string tagged)
    {
        // §9.3: with E = 0 the whole packet is AAD, so the clear payload is still protected.
        using var receiver = Context(profile);
        var altered = Hex(tagged);
        altered[20] ^= 0x80;
        Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtcp(receiver, altered).Result);
        // Flipping the E bit must fail too: it is part of the AAD.
        var flipped = Hex(tagged);
        flipped[^4] ^= 0x80;
        Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtcp(receiver, flipped).Result);
        Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, Hex(tagged)).Result);
    }
}
