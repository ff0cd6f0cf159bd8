using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Sotto.E2ee.Noise;

/// <summary>
/// Noise rev 34 §5.1 CipherState with the AESGCM cipher functions (§12.4): nonce = 4 zero bytes ‖
/// u64 big-endian n, 128-bit tag. Without a key, Encrypt/Decrypt pass the plaintext through
/// (Noise's rule for the first tokens of a handshake — never reached by a TRANSPORT message).
/// </summary>
internal sealed class CipherState : IDisposable
{
    public const int KeyLength = 32;
    public const int TagLength = 16;
    private const int NonceLength = 12;
    private const int CounterOffset = 4;

    private byte[]? _key;
    private AesGcm? _aead;

    public CipherState() { }

    private CipherState(byte[]? key, ulong nonce)
    {
        InitializeKey(key);
        Nonce = nonce;
    }

    public bool HasKey => _key is not null;

    /// <summary>n; 2^64 − 1 is reserved (Noise §5.1) and refused.</summary>
    public ulong Nonce { get; private set; }

    /// <summary>The current key, for the cross-implementation vectors only.</summary>
    internal ReadOnlySpan<byte> KeyForVectors => _key;

    public void InitializeKey(ReadOnlySpan<byte> key) => InitializeKey(key.ToArray());

    private void InitializeKey(byte[]? key)
    {
        if (_key is not null)
            CryptographicOperations.ZeroMemory(_key);
        _aead?.Dispose();
        _key = key;
        _aead = key is null ? null : new AesGcm(key, TagLength);
        Nonce = 0;
    }

    public CipherState Clone() => new(_key?.ToArray(), Nonce);

    /// <summary>ad, plaintext → ciphertext ‖ tag (or the plaintext without a key).</summary>
    public byte[] EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext)
    {
        if (_aead is null)
            return plaintext.ToArray();
        var output = new byte[plaintext.Length + TagLength];
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, TakeNonce());
        _aead.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), ad);
        return output;
    }

    /// <summary>
    /// Decrypts ciphertext ‖ tag. False on a tag failure or a short input; then n does not advance
    /// (Noise §5.1: a failed decryption leaves the state as it was).
    /// </summary>
    public bool TryDecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext, out byte[] plaintext)
    {
        if (_aead is null)
        {
            plaintext = ciphertext.ToArray();
            return true;
        }
        plaintext = [];
        if (ciphertext.Length < TagLength || Nonce == ulong.MaxValue)
            return false;
        var output = new byte[ciphertext.Length - TagLength];
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, Nonce);
        try
        {
            _aead.Decrypt(nonce, ciphertext[..^TagLength], ciphertext[^TagLength..], output, ad);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        Nonce++;
        plaintext = output;
        return true;
    }

    /// <summary>
    /// Rekey() (Noise §4.2/§11.3): k = ENCRYPT(k, 2^64 − 1, empty, 32 zero bytes)[0..32). n is kept,
    /// as the spec says; Sotto rekeys after every TRANSPORT message (§S4.7).
    /// </summary>
    public void Rekey()
    {
        if (_aead is null)
            throw new InvalidOperationException("Rekey without a key");
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, ulong.MaxValue);
        Span<byte> zeros = stackalloc byte[KeyLength];
        zeros.Clear();
        var newKey = new byte[KeyLength];
        Span<byte> tag = stackalloc byte[TagLength];
        _aead.Encrypt(nonce, zeros, newKey, tag, []);
        ulong n = Nonce;
        InitializeKey(newKey);
        Nonce = n;
    }

    private ulong TakeNonce()
    {
        if (Nonce == ulong.MaxValue)
            throw new InvalidOperationException("Noise nonce exhausted");
        return Nonce++;
    }

    private static void WriteNonce(Span<byte> nonce, ulong n)
    {
        nonce[..CounterOffset].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[CounterOffset..], n);
    }

    public void Dispose() => InitializeKey((byte[]?)null);
}
