using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Sotto.Benchmarks;

/// <summary>
/// The System.Security.Cryptography primitives under <see cref="SrtpBenchmarks"/>, over the same payload
/// (packet minus the 12-octet header), used exactly as the SRTP transforms use them. Subtracting these from
/// the SRTP figures gives what Sotto's own code costs per packet (parsing, index and replay bookkeeping).
/// </summary>
[MemoryDiagnoser]
public class SrtpPrimitiveBenchmarks
{
    private AesGcm _aesGcm128 = null!;
    private AesGcm _aesGcm256 = null!;
    private IncrementalHash _hmacSha1 = null!;
    private Aes _aes = null!;
    private ICryptoTransform _ecb = null!;
    private byte[] _packet = null!;
    private byte[] _keystreamIn = null!;
    private byte[] _keystreamOut = null!;
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _digest = new byte[20];

    [Params(1000, 1200)]
    public int PacketSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _aesGcm128 = new AesGcm(new byte[16], 16);
        _aesGcm256 = new AesGcm(new byte[32], 16);
        _hmacSha1 = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, new byte[20]);
        _aes = Aes.Create();
        _aes.Key = new byte[16];
#pragma warning disable CA5358 // the AES-CM keystream is AES-ECB over counter blocks
        _aes.Mode = CipherMode.ECB;
#pragma warning restore CA5358
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
        _packet = new byte[PacketSize + 16];
        var blocks = (PacketSize - 12 + 15) / 16;
        _keystreamIn = new byte[blocks * 16];
        _keystreamOut = new byte[blocks * 16];
    }

    [Benchmark]
    public void AesGcm128Encrypt()
    {
        var payload = _packet.AsSpan(12, PacketSize - 12);
        _aesGcm128.Encrypt(_nonce, payload, payload, _tag, _packet.AsSpan(0, 12));
    }

    [Benchmark]
    public void AesGcm256Encrypt()
    {
        var payload = _packet.AsSpan(12, PacketSize - 12);
        _aesGcm256.Encrypt(_nonce, payload, payload, _tag, _packet.AsSpan(0, 12));
    }

    [Benchmark]
    public int HmacSha1Tag()
    {
        _hmacSha1.AppendData(_packet.AsSpan(0, PacketSize + 4));
        return _hmacSha1.GetHashAndReset(_digest);
    }

    [Benchmark]
    public int AesEcbKeystream() => _ecb.TransformBlock(_keystreamIn, 0, _keystreamIn.Length, _keystreamOut, 0);

    [GlobalCleanup]
    public void Cleanup()
    {
        _aesGcm128.Dispose();
        _aesGcm256.Dispose();
        _hmacSha1.Dispose();
        _ecb.Dispose();
        _aes.Dispose();
    }
}
