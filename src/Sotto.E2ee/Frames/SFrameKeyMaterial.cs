using System.Buffers.Binary;
using System.Security.Cryptography;
using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Frames;

/// <summary>
/// sframe_key and sframe_salt of one (base key, KID) for cipher suite 0x0004
/// AES_128_GCM_SHA256_128 (RFC 9605 §4.4.2, §8.1), and the AEAD of §4.4.3/§4.4.4 with
/// nonce = salt XOR CTR and AAD = header ‖ metadata (Sotto's metadata is the clear prefix, §S7).
/// Seal and open work on caller spans: no allocation per frame.
/// </summary>
internal sealed class SFrameKeyMaterial : IDisposable
{
    public const ushort CipherSuite = 0x0004;
    public const int KeyLength = 16;
    public const int NonceLength = 12;
    public const int TagLength = 16;
    private const int MaxAadLength = SFrameHeader.MaxLength + ClearPrefix.MaxLength;

    private readonly AesGcm _aead;
    // AesGcm keeps one native context: concurrent Encrypt/Decrypt on it is not safe, and all
    // simulcast layers of a stream share this object (§S7), so calls are serialized.
    private readonly Lock _aeadLock = new();
    private readonly byte[] _salt;

    public SFrameKeyMaterial(ReadOnlySpan<byte> baseKey, ulong kid)
    {
        Span<byte> context = stackalloc byte[10];
        BinaryPrimitives.WriteUInt64BigEndian(context, kid);
        BinaryPrimitives.WriteUInt16BigEndian(context[8..], CipherSuite);
        byte[] key = Kdf.Hkdf(baseKey, "SFrame 1.0 Secret key ", context, KeyLength);
        _salt = Kdf.Hkdf(baseKey, "SFrame 1.0 Secret salt ", context, NonceLength);
        _aead = new AesGcm(key, TagLength);
        SaltForVectors = _salt;
        KeyForVectors = key;
    }

    internal byte[] KeyForVectors { get; }

    internal byte[] SaltForVectors { get; }

    /// <summary>nonce = salt XOR (CTR as 12 big-endian bytes).</summary>
    public void WriteNonce(ulong counter, Span<byte> nonce)
    {
        _salt.CopyTo(nonce);
        ulong high = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ counter;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], high);
    }

    /// <summary>ciphertext ‖ tag of <paramref name="plaintext"/> into <paramref name="destination"/> (exactly plaintext + 16 bytes).</summary>
    public void Seal(ulong counter, ReadOnlySpan<byte> header, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(counter, nonce);
        Span<byte> aad = stackalloc byte[MaxAadLength];
        int aadLength = WriteAad(header, metadata, aad);
        lock (_aeadLock)
            _aead.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, TagLength), aad[..aadLength]);
    }

    /// <summary>Decrypts ciphertext ‖ tag into <paramref name="destination"/>; false on a tag mismatch.</summary>
    public bool TryOpen(ulong counter, ReadOnlySpan<byte> header, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> ciphertextAndTag, Span<byte> destination)
    {
        if (ciphertextAndTag.Length < TagLength)
            return false;
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(counter, nonce);
        Span<byte> aad = stackalloc byte[MaxAadLength];
        int aadLength = WriteAad(header, metadata, aad);
        try
        {
            lock (_aeadLock)
                _aead.Decrypt(nonce, ciphertextAndTag[..^TagLength], ciphertextAndTag[^TagLength..], destination[..(ciphertextAndTag.Length - TagLength)], aad[..aadLength]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            destination[..(ciphertextAndTag.Length - TagLength)].Clear();
            return false;
        }
    }

    private static int WriteAad(ReadOnlySpan<byte> header, ReadOnlySpan<byte> metadata, Span<byte> aad)
    {
        if (header.Length + metadata.Length > aad.Length)
            throw new ArgumentException("metadata longer than a clear prefix");
        header.CopyTo(aad);
        metadata.CopyTo(aad[header.Length..]);
        return header.Length + metadata.Length;
    }

    public void Dispose() => _aead.Dispose();
}
