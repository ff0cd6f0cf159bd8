using System.Security.Cryptography;

namespace Sotto.E2ee.Noise;

/// <summary>Noise rev 34 §5.2 SymmetricState over SHA-256 (HASHLEN 32).</summary>
internal sealed class SymmetricState : IDisposable
{
    public const int HashLength = 32;

    private byte[] _chainingKey;
    private byte[] _handshakeHash;
    private readonly CipherState _cipher;

    public SymmetricState(string protocolName)
    {
        byte[] name = System.Text.Encoding.ASCII.GetBytes(protocolName);
        _handshakeHash = new byte[HashLength];
        if (name.Length <= HashLength)
            name.CopyTo(_handshakeHash, 0);
        else
            _handshakeHash = SHA256.HashData(name);
        _chainingKey = (byte[])_handshakeHash.Clone();
        _cipher = new CipherState();
    }

    private SymmetricState(byte[] chainingKey, byte[] handshakeHash, CipherState cipher)
    {
        _chainingKey = chainingKey;
        _handshakeHash = handshakeHash;
        _cipher = cipher;
    }

    public ReadOnlySpan<byte> HandshakeHash => _handshakeHash;

    public bool HasKey => _cipher.HasKey;

    /// <summary>A deep copy: §S4.9 keeps the state from before the psk token for the diagnosis.</summary>
    public SymmetricState Clone() => new((byte[])_chainingKey.Clone(), (byte[])_handshakeHash.Clone(), _cipher.Clone());

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> output = stackalloc byte[2 * HashLength];
        NoiseHkdf(inputKeyMaterial, output);
        _chainingKey = output[..HashLength].ToArray();
        _cipher.InitializeKey(output[HashLength..]);
        CryptographicOperations.ZeroMemory(output);
    }

    public void MixHash(ReadOnlySpan<byte> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_handshakeHash);
        hash.AppendData(data);
        _handshakeHash = hash.GetHashAndReset();
    }

    public void MixKeyAndHash(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> output = stackalloc byte[3 * HashLength];
        NoiseHkdf(inputKeyMaterial, output);
        _chainingKey = output[..HashLength].ToArray();
        MixHash(output.Slice(HashLength, HashLength));
        _cipher.InitializeKey(output[(2 * HashLength)..]);
        CryptographicOperations.ZeroMemory(output);
    }

    public byte[] EncryptAndHash(ReadOnlySpan<byte> plaintext)
    {
        byte[] ciphertext = _cipher.EncryptWithAd(_handshakeHash, plaintext);
        MixHash(ciphertext);
        return ciphertext;
    }

    public bool TryDecryptAndHash(ReadOnlySpan<byte> ciphertext, out byte[] plaintext)
    {
        if (!_cipher.TryDecryptWithAd(_handshakeHash, ciphertext, out plaintext))
            return false;
        MixHash(ciphertext);
        return true;
    }

    /// <summary>Split(): (initiator→responder, responder→initiator) cipher states.</summary>
    public (CipherState First, CipherState Second) Split()
    {
        Span<byte> output = stackalloc byte[2 * HashLength];
        NoiseHkdf([], output);
        var first = new CipherState();
        first.InitializeKey(output[..CipherState.KeyLength]);
        var second = new CipherState();
        second.InitializeKey(output.Slice(HashLength, CipherState.KeyLength));
        CryptographicOperations.ZeroMemory(output);
        return (first, second);
    }

    /// <summary>Forgets ck and the handshake cipher (§S4.6: delete e and ck after completion).</summary>
    public void Clear()
    {
        CryptographicOperations.ZeroMemory(_chainingKey);
        _cipher.Dispose();
    }

    public void Dispose() => Clear();

    /// <summary>
    /// Noise §4.3 HKDF(ck, ikm) with 2 or 3 outputs: RFC 5869 with salt = ck and empty info
    /// (§S4.4), written out with HMAC because the platform HKDF (OpenSSL) refuses an empty ikm,
    /// which Split() uses.
    /// </summary>
    private void NoiseHkdf(ReadOnlySpan<byte> inputKeyMaterial, Span<byte> output)
    {
        Span<byte> tempKey = stackalloc byte[HashLength];
        HMACSHA256.HashData(_chainingKey, inputKeyMaterial, tempKey);
        Span<byte> block = stackalloc byte[HashLength + 1];
        int previous = 0;
        for (int i = 0; i * HashLength < output.Length; i++)
        {
            // T(i+1) = HMAC(temp, T(i) ‖ (i+1)), T(0) empty.
            block[previous] = (byte)(i + 1);
            HMACSHA256.HashData(tempKey, block[..(previous + 1)], output.Slice(i * HashLength, HashLength));
            output.Slice(i * HashLength, HashLength).CopyTo(block);
            previous = HashLength;
        }
        CryptographicOperations.ZeroMemory(tempKey);
        CryptographicOperations.ZeroMemory(block);
    }
}
