namespace Sotto.Rtc.Srtp;

/// <summary>
/// SRTP key derivation (RFC 3711 §4.3) with the AES-CM PRF (§4.3.3), key derivation rate 0 as
/// DTLS-SRTP requires (RFC 5764 §4.1.2): the session keys are derived once per context.
/// AES-256 master keys use AES-256 as the PRF (RFC 6188 §4); the AEAD profiles use the same PRF
/// with their 96-bit master salt (RFC 7714 §11).
/// </summary>
internal static class SrtpKeyDerivation
{
    // RFC 3711 §4.3.1 and §4.3.2 labels.
    public const byte RtpEncryptionLabel = 0x00;
    public const byte RtpAuthenticationLabel = 0x01;
    public const byte RtpSaltLabel = 0x02;
    public const byte RtcpEncryptionLabel = 0x03;
    public const byte RtcpAuthenticationLabel = 0x04;
    public const byte RtcpSaltLabel = 0x05;

    /// <summary>The PRF input x is 112 bits: key_id XOR master_salt (§4.3.1).</summary>
    private const int PrfInputLength = 14;

    /// <summary>
    /// key_id = label || r, where r = index DIV key_derivation_rate is 48 bits and 0 for kdr = 0; key_id is
    /// right-aligned in the 112-bit x, so the label lands on octet 14 - 6 - 1 = 7.
    /// </summary>
    private const int LabelOffset = 7;

    /// <summary>
    /// Fills <paramref name="output"/> with the PRF output for <paramref name="label"/>:
    /// AES-CM keystream under the master key starting at IV = x * 2^16.
    /// </summary>
    /// <remarks>
    /// A 12-octet (AEAD) master salt is right-padded with zero octets to 112 bits, as libsrtp (and
    /// therefore Chromium) and pion do; RFC 7714 §11 keeps the RFC 3711 PRF unchanged.
    /// </remarks>
    public static void Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        if (masterSalt.Length > PrfInputLength)
        {
            throw new ArgumentException("The master salt is at most 112 bits.", nameof(masterSalt));
        }
        Span<byte> iv = stackalloc byte[AesCounterMode.BlockLength];
        iv.Clear();
        masterSalt.CopyTo(iv);
        iv[LabelOffset] ^= label;

        output.Clear();
        using var prf = new AesCounterMode(masterKey);
        prf.Apply(iv, output);
    }
}
