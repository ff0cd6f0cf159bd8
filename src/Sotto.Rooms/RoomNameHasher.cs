using System.Security.Cryptography;

namespace Sotto.Rooms;

/// <summary>
/// Room names appear in logs only as a keyed hash (DESIGN.md §1.3). The key is random per process, so a
/// log line cannot be matched against a list of guessed names, yet lines of one run still correlate.
/// </summary>
public sealed class RoomNameHasher
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>First 8 bytes of HMAC-SHA256(process key, room key bytes), as 16 hex digits.</summary>
    public string Hash(RoomKey room)
    {
        ArgumentNullException.ThrowIfNull(room);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, room.Utf8.Span, mac);
        return Convert.ToHexStringLower(mac[..8]);
    }
}
