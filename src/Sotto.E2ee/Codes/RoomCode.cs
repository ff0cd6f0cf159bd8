using System.Security.Cryptography;
using System.Text;
using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Codes;

/// <summary>One member of the view V of §S8: id and static public key.</summary>
internal sealed record RoomMember(string Id, byte[] StaticPublic);

/// <summary>
/// The byte rules of the room code (§S8): the view id rid, each participant's commitment to its
/// random r, and the 6 code bytes from rid and every revealed r. [The commit round keeps a
/// server from grinding two different views to the same short code.]
/// </summary>
internal static class RoomCode
{
    public const int RandomLength = 32;
    public const int CodeLength = 6;

    /// <summary>rid = SHA-256("sotto/v1/room-view" ‖ lp16(ROOM) ‖ u16(n) ‖ Σ(lp8(ID) ‖ s_pub)), sorted bytewise by ID.</summary>
    public static byte[] ViewId(ReadOnlySpan<byte> room, IReadOnlyCollection<RoomMember> view)
    {
        var input = new List<byte>(64 + view.Count * 100);
        Notation.AppendAscii(input, "sotto/v1/room-view");
        if (!Notation.TryAppendLp16(input, room) || view.Count > ushort.MaxValue)
            throw new ArgumentException("ROOM or the view is too large");
        Notation.AppendU16(input, (ushort)view.Count);
        foreach (RoomMember member in SortById(view, m => m.Id))
        {
            AppendId(input, member.Id);
            input.AddRange(member.StaticPublic);
        }
        return SHA256.HashData(input.ToArray());
    }

    /// <summary>c = SHA-256("sotto/v1/room-commit" ‖ rid ‖ lp8(ID_self) ‖ r).</summary>
    public static byte[] Commit(ReadOnlySpan<byte> rid, string selfId, ReadOnlySpan<byte> r)
    {
        var input = new List<byte>(128);
        Notation.AppendAscii(input, "sotto/v1/room-commit");
        input.AddRange(rid);
        AppendId(input, selfId);
        input.AddRange(r);
        return SHA256.HashData(input.ToArray());
    }

    /// <summary>code = HKDF(rid ‖ Σ sorted(lp8(ID) ‖ r_ID), "sotto/v1/room-code", 6) → 7 emoji via <see cref="SasEmojiTable"/>.</summary>
    public static byte[] CodeBytes(ReadOnlySpan<byte> rid, IReadOnlyDictionary<string, byte[]> reveals)
    {
        var ikm = new List<byte>(rid.Length + reveals.Count * 100);
        ikm.AddRange(rid);
        foreach (KeyValuePair<string, byte[]> reveal in SortById(reveals, r => r.Key))
        {
            AppendId(ikm, reveal.Key);
            ikm.AddRange(reveal.Value);
        }
        return Kdf.Hkdf(ikm.ToArray(), "sotto/v1/room-code", [], CodeLength);
    }

    /// <summary>A reveal matches its commitment (constant time); a mismatch is a TAMPER alarm (§S8.3).</summary>
    public static bool RevealMatches(ReadOnlySpan<byte> rid, string id, ReadOnlySpan<byte> r, ReadOnlySpan<byte> commitment) =>
        CryptographicOperations.FixedTimeEquals(Commit(rid, id, r), commitment);

    private static void AppendId(List<byte> destination, string id)
    {
        if (!Notation.TryAppendLp8(destination, Encoding.UTF8.GetBytes(id)))
            throw new ArgumentException("an id is at most 64 characters", nameof(id));
    }

    private static IEnumerable<T> SortById<T>(IEnumerable<T> items, Func<T, string> id) =>
        items.Order(Comparer<T>.Create((a, b) => Notation.CompareBytes(Encoding.UTF8.GetBytes(id(a)), Encoding.UTF8.GetBytes(id(b)))));
}
