namespace Sotto.Rtc.Crypto;

/// <summary>
/// AES-GCM (NIST SP 800-38D) with a 96-bit nonce and a 128-bit tag, in place, for one key. Two
/// implementations sit behind it: <see cref="AesNiGcm"/> (AES-NI + PCLMULQDQ on x86/x64, no per-call
/// native transition, a forged tag answered with false) and <see cref="SystemAesGcm"/>
/// (System.Security.Cryptography, for ARM and CPUs without those instructions). <see cref="Create"/>
/// picks once, at construction.
/// </summary>
internal abstract class AesGcmCipher : IDisposable
{
    public const int NonceLength = 12;
    public const int TagLength = 16;

    /// <summary>Creates the fastest implementation this CPU supports for a 128- or 256-bit key.</summary>
    public static AesGcmCipher Create(ReadOnlySpan<byte> key) => Create(key, allowIntrinsics: true);

    /// <summary>
    /// <paramref name="allowIntrinsics"/> false forces the System.Security.Cryptography path. Only tests and
    /// benchmarks pass false, so both paths stay exercised on x64 machines; production always passes true.
    /// </summary>
    internal static AesGcmCipher Create(ReadOnlySpan<byte> key, bool allowIntrinsics)
    {
        if (key.Length is not (16 or 32))
        {
            throw new ArgumentException("AES-GCM keys here are 128 or 256 bits.", nameof(key));
        }
        return allowIntrinsics && AesNiGcm.IsSupported ? new AesNiGcm(key) : new SystemAesGcm(key);
    }

    /// <summary>True for the AES-NI implementation.</summary>
    public abstract bool IsHardwareAccelerated { get; }

    /// <summary>
    /// Encrypts <paramref name="data"/> in place and writes the 16-octet tag over
    /// <paramref name="associatedData"/> and the ciphertext into <paramref name="tag"/>.
    /// <paramref name="tag"/> must not overlap <paramref name="data"/> or <paramref name="associatedData"/>.
    /// </summary>
    public abstract void Encrypt(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> associatedData);

    /// <summary>
    /// Checks <paramref name="tag"/> over <paramref name="associatedData"/> and the ciphertext in
    /// <paramref name="data"/>; if it is authentic, decrypts <paramref name="data"/> in place and returns true.
    /// Returns false, without throwing, on a forged or corrupted packet; <paramref name="data"/> then holds
    /// no plaintext (it is left unchanged or zeroed, depending on the implementation).
    /// </summary>
    public abstract bool TryDecrypt(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData);

    public abstract void Dispose();

    protected static void ValidateLengths(ReadOnlySpan<byte> nonce, int tagLength)
    {
        if (nonce.Length != NonceLength)
        {
            ThrowNonceLength();
        }
        if (tagLength != TagLength)
        {
            ThrowTagLength();
        }
    }

    private static void ThrowNonceLength() => throw new ArgumentException("The AES-GCM nonce is 96 bits here.");

    private static void ThrowTagLength() => throw new ArgumentException("The AES-GCM tag is 128 bits here.");
}
