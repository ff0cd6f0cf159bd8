using System.Globalization;
using System.Security.Cryptography;

namespace Sotto.Transport.Dtls;

/// <summary>
/// A certificate fingerprint as SDP carries it (RFC 8122 §5): <c>sha-256 AB:CD:...</c>. Only
/// SHA-256 is produced and accepted; it is what every browser uses, and accepting weaker hashes
/// from a remote SDP would let a forged certificate through.
/// </summary>
public readonly struct DtlsFingerprint : IEquatable<DtlsFingerprint>
{
    /// <summary>The hash function name as it appears in SDP.</summary>
    public const string Sha256Algorithm = "sha-256";

    private readonly byte[]? _hash;

    private DtlsFingerprint(byte[] hash) => _hash = hash;

    /// <summary>The 32 bytes of the SHA-256 digest of the certificate's DER encoding.</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    /// <summary>True for a default (empty) value.</summary>
    public bool IsEmpty => _hash is null;

    /// <summary>Fingerprints the DER encoding of a certificate.</summary>
    public static DtlsFingerprint Compute(ReadOnlySpan<byte> certificateDer) => new(SHA256.HashData(certificateDer));

    /// <summary>
    /// Parses the value of an <c>a=fingerprint</c> attribute (<c>sha-256 AB:CD:...</c>; the hash
    /// name is case-insensitive, RFC 8122 §5).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> value, out DtlsFingerprint fingerprint)
    {
        fingerprint = default;
        value = value.Trim();
        int space = value.IndexOf(' ');
        if (space <= 0 || !value[..space].Equals(Sha256Algorithm, StringComparison.OrdinalIgnoreCase))
            return false;

        ReadOnlySpan<char> hex = value[(space + 1)..].Trim();
        const int HashLength = 32;
        // "AB:" per byte, minus the last colon.
        if (hex.Length != (HashLength * 3) - 1)
            return false;

        var hash = new byte[HashLength];
        for (int i = 0; i < HashLength; i++)
        {
            int offset = i * 3;
            if (i > 0 && hex[offset - 1] != ':')
                return false;
            if (!byte.TryParse(hex.Slice(offset, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out hash[i]))
                return false;
        }

        fingerprint = new DtlsFingerprint(hash);
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/> and throws <see cref="FormatException"/> on bad input.</summary>
    public static DtlsFingerprint Parse(string value)
        => TryParse(value, out var fingerprint) ? fingerprint : throw new FormatException($"Not a sha-256 fingerprint: '{value}'.");

    /// <summary>The SDP form: <c>sha-256 AB:CD:...</c>.</summary>
    public override string ToString()
    {
        if (_hash is null)
            return string.Empty;

        return string.Create(Sha256Algorithm.Length + 1 + (_hash.Length * 3) - 1, _hash, static (chars, hash) =>
        {
            Sha256Algorithm.AsSpan().CopyTo(chars);
            chars[Sha256Algorithm.Length] = ' ';
            Span<char> pair = chars[(Sha256Algorithm.Length + 1)..];
            for (int i = 0; i < hash.Length; i++)
            {
                if (i > 0)
                    pair[(i * 3) - 1] = ':';
                hash[i].TryFormat(pair.Slice(i * 3, 2), out _, "X2", CultureInfo.InvariantCulture);
            }
        });
    }

    /// <summary>Compares in constant time (the value is public, but there is no reason to leak where it differs).</summary>
    public bool Equals(DtlsFingerprint other)
        => _hash is not null && other._hash is not null && CryptographicOperations.FixedTimeEquals(_hash, other._hash);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DtlsFingerprint other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash is null ? 0 : BitConverter.ToInt32(_hash, 0);

    /// <summary>Equality.</summary>
    public static bool operator ==(DtlsFingerprint left, DtlsFingerprint right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DtlsFingerprint left, DtlsFingerprint right) => !left.Equals(right);
}
