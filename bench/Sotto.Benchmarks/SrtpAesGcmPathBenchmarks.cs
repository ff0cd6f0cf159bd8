using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Sotto.Rtc.Srtp;

namespace Sotto.Benchmarks;

/// <summary>
/// The AEAD profiles on both AES-GCM paths in one run, so "before" (System.Security.Cryptography's
/// <c>AesGcm</c>, OpenSSL on Linux) and "after" (<c>AesNiGcm</c>) share the machine's load. The System path
/// is forced through the internal <c>allowIntrinsics</c> hook, exactly as the tests force it.
/// </summary>
/// <remarks>
/// Protect and Unprotect are measured as in <see cref="SrtpBenchmarks"/> (see there). UnprotectForgedRtp
/// copies a packet with one flipped payload bit and unprotects it: the cost of a forged packet, which the
/// System path pays with an exception.
/// </remarks>
[MemoryDiagnoser]
public class SrtpAesGcmPathBenchmarks
{
    private const uint Ssrc = 0x5EED_F00D;

    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private byte[] _protectBuffer = null!;
    private byte[] _protectedPacket = null!;
    private byte[] _forgedPacket = null!;
    private byte[] _unprotectBuffer = null!;
    private ushort _sequenceNumber;

    public enum GcmPath { AesNi, SystemAesGcm }

    [Params(GcmPath.AesNi, GcmPath.SystemAesGcm)]
    public GcmPath Path { get; set; }

    [Params(SrtpProtectionProfile.AeadAes128Gcm, SrtpProtectionProfile.AeadAes256Gcm)]
    public SrtpProtectionProfile Profile { get; set; }

    [Params(1000, 1200)]
    public int PacketSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var key = new byte[Profile.MasterKeyLength()];
        var salt = new byte[Profile.MasterSaltLength()];
        new Random(1).NextBytes(key);
        new Random(2).NextBytes(salt);
        var allowIntrinsics = Path == GcmPath.AesNi;
        _sender = SrtpContext.Create(Profile, key, salt, SrtpContext.DefaultReplayWindowSize, SrtpContext.DefaultMaxSsrcs, allowIntrinsics);
        _receiver = SrtpContext.Create(Profile, key, salt, SrtpContext.DefaultReplayWindowSize, SrtpContext.DefaultMaxSsrcs, allowIntrinsics);
        _receiver.ReplayCheckEnabled = false;
        if (_sender.UsesAesNiGcm != allowIntrinsics || _receiver.UsesAesNiGcm != allowIntrinsics)
        {
            throw new InvalidOperationException($"Benchmark setup failed: {Path} is not the path in use.");
        }

        var packet = new byte[PacketSize + Profile.MaxOverhead()];
        new Random(3).NextBytes(packet);
        packet[0] = 0x80; // V=2, no CSRC, no extension
        packet[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), Ssrc);
        _protectBuffer = (byte[])packet.Clone();

        using (var reference = SrtpContext.Create(Profile, key, salt))
        {
            var protectedPacket = (byte[])packet.Clone();
            Check(reference.ProtectRtp(protectedPacket, PacketSize, out var length), SrtpResult.Ok);
            _protectedPacket = protectedPacket[..length];
        }
        _forgedPacket = (byte[])_protectedPacket.Clone();
        _forgedPacket[PacketSize / 2] ^= 0x10;
        _unprotectBuffer = new byte[_protectedPacket.Length];
        Check(UnprotectRtp(), SrtpResult.Ok);
        Check(UnprotectForgedRtp(), SrtpResult.AuthenticationFailed);
    }

    private static void Check(SrtpResult result, SrtpResult expected)
    {
        if (result != expected)
        {
            throw new InvalidOperationException($"Benchmark setup failed: {result}, expected {expected}");
        }
    }

    [Benchmark]
    public int ProtectRtp()
    {
        var sequenceNumber = _sequenceNumber++;
        _protectBuffer[2] = (byte)(sequenceNumber >> 8);
        _protectBuffer[3] = (byte)sequenceNumber;
        _sender.ProtectRtp(_protectBuffer, PacketSize, out var length);
        return length;
    }

    [Benchmark]
    public SrtpResult UnprotectRtp()
    {
        _protectedPacket.CopyTo(_unprotectBuffer, 0);
        return _receiver.UnprotectRtp(_unprotectBuffer, _unprotectBuffer.Length, out _);
    }

    [Benchmark]
    public SrtpResult UnprotectForgedRtp()
    {
        _forgedPacket.CopyTo(_unprotectBuffer, 0);
        return _receiver.UnprotectRtp(_unprotectBuffer, _unprotectBuffer.Length, out _);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }
}
