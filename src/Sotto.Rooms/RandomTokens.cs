using System.Buffers.Text;
using System.Security.Cryptography;

namespace Sotto.Rooms;

/// <summary>
/// Opaque random identifiers. Participant ids match E2EE-SPEC §S2 (<c>[A-Za-z0-9_-]{1,64}</c>): 16 random
/// bytes in base64url are 22 characters of that alphabet, and a room also remembers every id it issued so
/// none is ever reused during its life.
/// </summary>
internal static class RandomTokens
{
    public static string NewParticipantId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>256-bit bearer token for resuming a seat; only its SHA-256 is kept.</summary>
    public static string NewResumeToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string HashToken(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token), hash);
        return Convert.ToHexStringLower(hash);
    }
}
