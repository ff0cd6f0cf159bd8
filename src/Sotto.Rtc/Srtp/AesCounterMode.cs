using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Sotto.Rtc.Srtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 §4.1.1), for both packet encryption and the key
/// derivation PRF (§4.3.3): keystream block i = AES_k(IV + i), where the low 16 bits of IV are always
/// zero because salt, SSRC and index are all shifted left by 16 bits.
/// </summary>
/// <remarks>
/// .NET has no AES-CTR, so the counter blocks are encrypted with AES-ECB. A cached ECB
/// <see cref="ICryptoTransform"/> over preallocated arrays is used rather than the one-shot
/// <see cref="SymmetricAlgorithm.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/>: measured on
/// this machine the one-shot allocates 64 B and sets up a native cipher per call (~4x slower for
/// a 1,200-byte packet). Not thread-safe: the scratch arrays belong to this instance.
/// </remarks>
internal sealed class AesCounterMode : IDisposable
{
    public const int BlockLength = 16;
    private const int ChunkBlocks = 64;

    /// <summary>The counter is 16 bits (block index within one packet): at most 2^16 blocks, RFC 3711 §4.1.1.</summary>
    public const int MaxLength = 65536 * BlockLength;

    private readonly Aes _aes;
    private readonly ICryptoTransform _encryptor;
    private readonly byte[] _counterBlocks = new byte[ChunkBlocks * BlockLength];
    private readonly byte[] _keystream = new byte[ChunkBlocks * BlockLength];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.SetKey(key);
        // ECB is the block primitive under our own counter construction, never used on data directly.
#pragma warning disable CA5358
        _aes.Mode = CipherMode.ECB;
#pragma warning restore CA5358
        _aes.Padding = PaddingMode.None;
        _encryptor = _aes.CreateEncryptor();
    }

    /// <summary>
    /// XORs <paramref name="data"/> with the keystream that starts at <paramref name="initialCounter"/>
    /// (16 octets, last two zero). Encryption and decryption are the same operation.
    /// </summary>
    public void Apply(ReadOnlySpan<byte> initialCounter, Span<byte> data)
    {
        if (data.Length > MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(data), "AES-CM keystream is limited to 2^16 blocks per packet.");
        }
        var blockIndex = 0;
        while (!data.IsEmpty)
        {
            var chunkLength = Math.Min(data.Length, _keystream.Length);
            var blocks = (chunkLength + BlockLength - 1) / BlockLength;
            for (var i = 0; i < blocks; i++)
            {
                var block = _counterBlocks.AsSpan(i * BlockLength, BlockLength);
                initialCounter.CopyTo(block);
                BinaryPrimitives.WriteUInt16BigEndian(block[14..], (ushort)(blockIndex + i));
            }
            _encryptor.TransformBlock(_counterBlocks, 0, blocks * BlockLength, _keystream, 0);
            Xor(data[..chunkLength], _keystream);
            data = data[chunkLength..];
            blockIndex += blocks;
        }
    }

    /// <summary>data ^= keystream (keystream at least as long as data).</summary>
    public static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<byte>.Count <= data.Length; i += Vector128<byte>.Count)
            {
                var x = Vector128.Create<byte>(data.Slice(i, Vector128<byte>.Count)) ^
                        Vector128.Create<byte>(keystream.Slice(i, Vector128<byte>.Count));
                x.CopyTo(data[i..]);
            }
        }
        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }

    public void Dispose()
    {
        _encryptor.Dispose();
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_keystream);
    }
}
