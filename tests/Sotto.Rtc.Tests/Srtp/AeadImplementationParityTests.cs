using System.Runtime.InteropServices;
using Sotto.Rtc.Srtp;
using static Sotto.Rtc.Tests.Srtp.SrtpTestData;

namespace Sotto.Rtc.Tests.Srtp;

/// <summary>
/// The two AES-GCM paths behind the AEAD profiles (AES-NI and System.Security.Cryptography) on whole SRTP
/// and SRTCP packets: for the same master key they must produce identical protected packets, each must
/// accept the other's, and both must reject a forged one. The fallback is forced through the internal
/// <c>allowIntrinsics</c> hook, which production code cannot reach.
/// </summary>
public sealed class AeadImplementationParityTests
{
    public static TheoryData<SrtpProtectionProfile> AeadProfiles => new()
    {
        SrtpProtectionProfile.AeadAes128Gcm,
        SrtpProtectionProfile.AeadAes256Gcm,
    };

    private static SrtpContext Hardware(SrtpProtectionProfile profile, byte[] key, byte[] salt) =>
        SrtpContext.Create(profile, key, salt, SrtpContext.DefaultReplayWindowSize, SrtpContext.DefaultMaxSsrcs, allowIntrinsics: true);

    private static SrtpContext Fallback(SrtpProtectionProfile profile, byte[] key, byte[] salt) =>
        SrtpContext.Create(profile, key, salt, SrtpContext.DefaultReplayWindowSize, SrtpContext.DefaultMaxSsrcs, allowIntrinsics: false);

    [Theory]
    [MemberData(nameof(AeadProfiles))]
    public void Each_context_runs_the_path_it_was_asked_for(SrtpProtectionProfile profile)
    {
        var (key, salt) = MasterKeys(profile);
        using var hardware = Hardware(profile, key, salt);
        using var fallback = Fallback(profile, key, salt);
        Assert.False(fallback.UsesAesNiGcm);
        // Production on x64 (this CI) must take the fast path; elsewhere both contexts fall back.
        Assert.Equal(RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86, hardware.UsesAesNiGcm);
        using var production = SrtpContext.Create(profile, key, salt);
        Assert.Equal(hardware.UsesAesNiGcm, production.UsesAesNiGcm);
    }

    [Theory]
    [MemberData(nameof(AeadProfiles))]
    public void Rtp_packets_are_identical_and_cross_verify(SrtpProtectionProfile profile)
    {
        var random = new Random(7714);
        var (key, salt) = MasterKeys(profile, seed: 9);
        using var hardwareSender = Hardware(profile, key, salt);
        using var fallbackSender = Fallback(profile, key, salt);
        using var hardwareReceiver = Hardware(profile, key, salt);
        using var fallbackReceiver = Fallback(profile, key, salt);
        for (var i = 0; i < 400; i++)
        {
            var csrcs = new uint[random.Next(0, 3)];
            var plain = BuildRtp((ushort)(60_000 + i * 37), 0x1234_5678, random.Next(0, 1_400), csrcs, extensionWords: random.Next(0, 3), fill: (byte)i);

            var fromHardware = ProtectRtp(hardwareSender, plain);
            var fromFallback = ProtectRtp(fallbackSender, plain);

            Assert.Equal(fromFallback, fromHardware);
            AssertUnprotected(plain, UnprotectRtp(hardwareReceiver, fromFallback));
            AssertUnprotected(plain, UnprotectRtp(fallbackReceiver, fromHardware));
        }
    }

    [Theory]
    [MemberData(nameof(AeadProfiles))]
    public void Srtcp_encrypted_and_authentication_only_packets_are_identical_and_cross_verify(SrtpProtectionProfile profile)
    {
        var (key, salt) = MasterKeys(profile, seed: 4);
        using var hardwareSender = Hardware(profile, key, salt);
        using var fallbackSender = Fallback(profile, key, salt);
        using var hardwareReceiver = Hardware(profile, key, salt);
        using var fallbackReceiver = Fallback(profile, key, salt);
        for (var i = 0; i < 200; i++)
        {
            // Receiver reports grown by i words: lengths from 32 to 828 octets, both sides of 128-octet chunks.
            var plain = new byte[32 + 4 * i];
            RtcpReceiverReport(0xCAFE_0001, fill: (byte)i).CopyTo(plain, 0);
            plain[2] = (byte)((plain.Length / 4 - 1) >> 8);
            plain[3] = (byte)(plain.Length / 4 - 1);
            var encrypt = i % 2 == 0;

            var fromHardware = ProtectRtcp(hardwareSender, plain, encrypt);
            var fromFallback = ProtectRtcp(fallbackSender, plain, encrypt);

            Assert.Equal(fromFallback, fromHardware);
            AssertUnprotected(plain, UnprotectRtcp(hardwareReceiver, fromFallback));
            AssertUnprotected(plain, UnprotectRtcp(fallbackReceiver, fromHardware));
        }
    }

    [Theory]
    [MemberData(nameof(AeadProfiles))]
    public void Both_paths_reject_a_forged_packet_and_accept_the_genuine_one(SrtpProtectionProfile profile)
    {
        var (key, salt) = MasterKeys(profile, seed: 2);
        using var sender = Hardware(profile, key, salt);
        var genuine = ProtectRtp(sender, BuildRtp(1, 0xABCD_0001, 1_188));
        var forged = (byte[])genuine.Clone();
        forged[500] ^= 0x04;
        foreach (var receiver in new[] { Hardware(profile, key, salt), Fallback(profile, key, salt) })
        {
            using (receiver)
            {
                Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtp(receiver, forged).Result);
                Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, genuine).Result);
            }
        }
    }

    private static void AssertUnprotected(byte[] expectedPlain, (SrtpResult Result, byte[] Plain) actual)
    {
        Assert.Equal(SrtpResult.Ok, actual.Result);
        Assert.Equal(expectedPlain, actual.Plain);
    }

    private static byte[] ProtectRtcp(SrtpContext context, byte[] plain, bool encrypt)
    {
        var buffer = new byte[plain.Length + 64];
        plain.CopyTo(buffer, 0);
        Assert.Equal(SrtpResult.Ok, context.ProtectRtcp(buffer, plain.Length, encrypt, out var length));
        return buffer[..length];
    }
}
