using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Sotto.E2ee.Noise;
using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Pairwise;

/// <summary>My role towards one peer (§S4.1).</summary>
internal enum PairRole
{
    /// <summary>C: the bytewise-smaller id; commits, is the Noise responder.</summary>
    Committer,
    /// <summary>I: the Noise initiator.</summary>
    Initiator,
}

/// <summary>
/// The stateless byte rules of the pairwise channel (§S4): ids, roles, commitment, prologue, SAS
/// bytes and TRANSPORT sealing with padding and continuous rekey. The cross-implementation
/// vectors pin each of them.
/// </summary>
internal static class PairCrypto
{
    public const int SasLength = 6;
    private const int MaxIdLength = 64;

    /// <summary>§S2: a participant id is [A-Za-z0-9_-]{1,64}.</summary>
    public static bool IsValidId(string id) =>
        id.Length is >= 1 and <= MaxIdLength && id.All(ch => ch is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');

    /// <summary>My role, or null when the ids are equal (→ FAILED(TAMPER), §S4.1).</summary>
    public static PairRole? RoleFor(string selfId, string peerId)
    {
        int order = Notation.CompareBytes(Encoding.UTF8.GetBytes(selfId), Encoding.UTF8.GetBytes(peerId));
        if (order == 0)
            return null;
        return order < 0 ? PairRole.Committer : PairRole.Initiator;
    }

    /// <summary>c = SHA-256("sotto/v1/commit" ‖ lp16(ROOM) ‖ lp8(ID_C) ‖ lp8(ID_I) ‖ e_C.pub ‖ s_C.pub) (§S4.3).</summary>
    public static byte[] Commitment(ReadOnlySpan<byte> room, string idC, string idI, ReadOnlySpan<byte> ephemeralPublic, ReadOnlySpan<byte> staticPublic)
    {
        List<byte> input = LabelRoomIds("sotto/v1/commit", room, idC, idI);
        input.AddRange(ephemeralPublic);
        input.AddRange(staticPublic);
        return SHA256.HashData(input.ToArray());
    }

    /// <summary>sid = c[0..8) (§S4.3).</summary>
    public static byte[] SidOf(ReadOnlySpan<byte> commitment) => commitment[..Blob.SidLength].ToArray();

    /// <summary>Prologue = "sotto/v1/pair" ‖ lp16(ROOM) ‖ lp8(ID_C) ‖ lp8(ID_I) ‖ c (§S4.4).</summary>
    public static byte[] Prologue(ReadOnlySpan<byte> room, string idC, string idI, ReadOnlySpan<byte> commitment)
    {
        List<byte> input = LabelRoomIds("sotto/v1/pair", room, idC, idI);
        input.AddRange(commitment);
        return input.ToArray();
    }

    /// <summary>sas = HKDF(h, "sotto/v1/sas", 6) (§S4.6).</summary>
    public static byte[] SasBytes(ReadOnlySpan<byte> handshakeHash) => Kdf.Hkdf(handshakeHash, "sotto/v1/sas", [], SasLength);

    /// <summary>The associated data of a TRANSPORT ciphertext: 0x01 ‖ 0x04 ‖ sid (§S4.7).</summary>
    public static byte[] TransportAd(ReadOnlySpan<byte> sid) => [Blob.Version, (byte)BlobType.Transport, .. sid];

    /// <summary>The largest JSON text that fits: 16 KiB of plaintext minus the u16 length.</summary>
    public const int TransportMaxJson = Blob.TransportMaxPlaintext - 2;

    /// <summary>pt = u16(len J) ‖ J ‖ zero padding to a multiple of 256 bytes (§S4.7).</summary>
    public static byte[] PadTransport(ReadOnlySpan<byte> json)
    {
        if (json.Length > TransportMaxJson)
            throw new ArgumentException($"a TRANSPORT message holds at most {TransportMaxJson} bytes of JSON", nameof(json));
        int padded = (json.Length + 2 + Blob.TransportPadding - 1) / Blob.TransportPadding * Blob.TransportPadding;
        var pt = new byte[padded];
        BinaryPrimitives.WriteUInt16BigEndian(pt, (ushort)json.Length);
        json.CopyTo(pt.AsSpan(2));
        return pt;
    }

    /// <summary>The JSON bytes of a padded plaintext; false on a bad length or non-zero padding (§S4.7).</summary>
    public static bool TryUnpadTransport(ReadOnlySpan<byte> pt, out byte[] json)
    {
        json = [];
        if (pt.Length < 2 || pt.Length % Blob.TransportPadding != 0)
            return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(pt);
        if (2 + length > pt.Length)
            return false;
        if (pt[(2 + length)..].ContainsAnyExcept((byte)0))
            return false;
        json = pt.Slice(2, length).ToArray();
        return true;
    }

    /// <summary>One TRANSPORT blob: ct = cs.EncryptWithAd(0x01 ‖ 0x04 ‖ sid, pt), then cs.Rekey() (§S4.7).</summary>
    public static byte[] SealTransport(CipherState cipher, ReadOnlySpan<byte> sid, ReadOnlySpan<byte> json)
    {
        byte[] ct = cipher.EncryptWithAd(TransportAd(sid), PadTransport(json));
        cipher.Rekey();
        return Blob.Encode(BlobType.Transport, sid, ct);
    }

    /// <summary>
    /// The JSON bytes of a TRANSPORT ciphertext; false (→ BROKEN) on a tag, length or padding
    /// failure. Rekeys after every message received.
    /// </summary>
    public static bool TryOpenTransport(CipherState cipher, ReadOnlySpan<byte> sid, ReadOnlySpan<byte> ciphertext, out byte[] json)
    {
        json = [];
        if (!cipher.TryDecryptWithAd(TransportAd(sid), ciphertext, out byte[] pt))
            return false;
        cipher.Rekey();
        return TryUnpadTransport(pt, out json);
    }

    private static List<byte> LabelRoomIds(string label, ReadOnlySpan<byte> room, string idC, string idI)
    {
        var input = new List<byte>(128);
        Notation.AppendAscii(input, label);
        if (!Notation.TryAppendLp16(input, room) || !Notation.TryAppendLp8(input, Encoding.UTF8.GetBytes(idC)) || !Notation.TryAppendLp8(input, Encoding.UTF8.GetBytes(idI)))
            throw new ArgumentException("ROOM or an id is too long");
        return input;
    }
}
