using BenchmarkDotNet.Attributes;
using Sotto.Rtc.Srtp;

namespace Sotto.Benchmarks;

/// <summary>
/// SRTP protect and unprotect of one RTP packet (12-octet header + payload; <see cref="PacketSize"/>
/// counts both, before the tag) per profile.
/// </summary>
/// <remarks>
/// <para><b>Protect</b> rewrites the sequence number before each call, so every operation protects a new
/// index (the context refuses to reuse one) and crosses a ROC wrap every 65,536 operations like a real
/// stream; it re-encrypts the same buffer in place, which costs the same as fresh plaintext.</para>
/// <para><b>Unprotect</b> needs a valid packet every time. Each operation copies one pre-protected packet
/// into the work buffer and unprotects it on a receiver whose replay check is switched off through the
/// internal benchmark hook <c>SrtpContext.ReplayCheckEnabled</c> (the window is still updated; the skipped
/// check is a few compares). Authentication and decryption run in full. <see cref="CopyPacket"/> measures the
/// copy alone, to subtract.</para>
/// </remarks>
[MemoryDiagnoser]
public class SrtpBenchmarks
{
    private const uint Ssrc = 0x5EED_F00D;

    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private byte[] _protectBuffer = null!;
    private byte[] _protectedPacket = null!;
    private byte[] _unprotectBuffer = null!;
    private ushort _sequenceNumber;

    [Params(SrtpProtectionProfile.AeadAes128Gcm, SrtpProtectionProfile.AeadAes256Gcm, SrtpProtectionProfile.AesCm128HmacSha1_80)]
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
        _sender = SrtpContext.Create(Profile, key, salt);
        _receiver = SrtpContext.Create(Profile, key, salt);
        _receiver.ReplayCheckEnabled = false;

        var packet = new byte[PacketSize + Profile.MaxOverhead()];
        new Random(3).NextBytes(packet);
        packet[0] = 0x80; // V=2, no CSRC, no extension
        packet[1] = 96;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), Ssrc);
        _protectBuffer = (byte[])packet.Clone();

        using (var reference = SrtpContext.Create(Profile, key, salt))
        {
            var protectedPacket = (byte[])packet.Clone();
            Check(reference.ProtectRtp(protectedPacket, PacketSize, out var length));
            _protectedPacket = protectedPacket[..length];
        }
        _unprotectBuffer = new byte[_protectedPacket.Length];
        Check(UnprotectRtp() == PacketSize ? SrtpResult.Ok : SrtpResult.AuthenticationFailed);
    }

    private static void Check(SrtpResult result)
    {
        if (result != SrtpResult.Ok)
        {
            throw new InvalidOperationException($"Benchmark setup failed: {result}");
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
    public int UnprotectRtp()
    {
        _protectedPacket.CopyTo(_unprotectBuffer, 0);
        _receiver.UnprotectRtp(_unprotectBuffer, _unprotectBuffer.Length, out var length);
        return length;
    }

    [Benchmark]
    public int CopyPacket()
    {
        _protectedPacket.CopyTo(_unprotectBuffer, 0);
        return _unprotectBuffer[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }
}
