using System.Security.Cryptography;
using System.Text;

namespace Sotto.Rooms;

/// <summary>
/// A room password kept only as a salted PBKDF2-SHA256 hash in memory and compared in constant time.
/// Access control only: E2EE never depends on it (E2EE-SPEC §S15).
/// </summary>
internal sealed class PasswordVerifier
{
    public const int MaxLength = 256;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly byte[] _salt;
    private readonly byte[] _hash;
    private readonly int _iterations;

    private PasswordVerifier(byte[] salt, byte[] hash, int iterations)
    {
        _salt = salt;
        _hash = hash;
        _iterations = iterations;
    }

    public static bool IsAcceptable(string? password) => password is { Length: > 0 and <= MaxLength };

    public static PasswordVerifier Create(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new PasswordVerifier(salt, Derive(password, salt, iterations), iterations);
    }

    public bool Verify(string candidate)
    {
        if (!IsAcceptable(candidate))
            return false;
        var derived = Derive(candidate, _salt, _iterations);
        return CryptographicOperations.FixedTimeEquals(derived, _hash);
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormC)), salt, iterations,
            HashAlgorithmName.SHA256, HashBytes);
}
