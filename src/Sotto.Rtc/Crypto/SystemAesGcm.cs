using System.Security.Cryptography;

namespace Sotto.Rtc.Crypto;

/// <summary>
/// The portable <see cref="AesGcmCipher"/>: <see cref="AesGcm"/> (OpenSSL on Linux, CNG on Windows, ...).
/// Used where <see cref="AesNiGcm"/> cannot run (ARM, x86 without AES-NI or PCLMULQDQ).
/// </summary>
internal sealed class SystemAesGcm : AesGcmCipher
{
    private readonly AesGcm _aead;

    public SystemAesGcm(ReadOnlySpan<byte> key) => _aead = new AesGcm(key, TagLength);

    public override bool IsHardwareAccelerated => false;

    public override void Encrypt(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        ValidateLengths(nonce, tag.Length);
        _aead.Encrypt(nonce, data, data, tag, associatedData);
    }

    /// <summary>
    /// <see cref="AesGcm.Decrypt(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, ReadOnlySpan{byte})"/>
    /// reports a bad tag only by throwing (and zeroes the output); callers want a result, so the exception stops here.
    /// </summary>
    public override bool TryDecrypt(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        ValidateLengths(nonce, tag.Length);
        try
        {
            _aead.Decrypt(nonce, data, tag, data, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public override void Dispose() => _aead.Dispose();
}
