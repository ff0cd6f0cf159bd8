using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Links;

/// <summary>The keys that depend only on the link (§S2). Frame keys never do: they are per-sender (§S6, docs/e2ee.md C18).</summary>
internal static class LinkKeys
{
    public const int PskLength = 32;

    /// <summary>
    /// PSK = HKDF(S, "sotto/v1/psk" ‖ lp16(ROOM), 32) with a secret; exactly 32 zero bytes without
    /// one (the Noise dummy PSK, §S2 — not HKDF of a zero secret).
    /// </summary>
    public static byte[] Psk(ReadOnlySpan<byte> secret, bool hasSecret, ReadOnlySpan<byte> room)
    {
        if (!hasSecret)
            return new byte[PskLength];
        return Kdf.Hkdf(secret, "sotto/v1/psk", Lp16(room), PskLength);
    }

    public static byte[] Psk(byte[]? secret, ReadOnlySpan<byte> room) => Psk(secret, secret is not null, room);

    private static byte[] Lp16(ReadOnlySpan<byte> room)
    {
        var bytes = new List<byte>(room.Length + 2);
        if (!Notation.TryAppendLp16(bytes, room))
            throw new ArgumentException("ROOM is at most 256 bytes", nameof(room));
        return bytes.ToArray();
    }
}
