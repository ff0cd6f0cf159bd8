using System.Buffers.Binary;
using System.Security.Cryptography;
using Sotto.E2ee.Pairwise;

namespace Sotto.E2ee.Files;

/// <summary>
/// One FILE_CHUNK blob (§S10):
/// <code>
///   +------+------+----------+--------+------+------------------------------------------+
///   | 0x01 | 0x10 | fid (16) | u32 i  | last | AES-256-GCM(k, 0⁴ ‖ u64 i, aad, chunk)   |
///   +------+------+----------+--------+------+------------------------------------------+
///   aad = "sotto/v1/file" ‖ fid ‖ u32 i ‖ u8 last ‖ u64 size
/// </code>
/// The total size is in the AAD, so a chunk cannot be spliced into a transfer of another size.
/// </summary>
internal readonly ref struct FileChunk
{
    public const int FileIdLength = 16;
    public const int KeyLength = 32;
    public const int ChunkLength = 65_536;
    private const int TagLength = 16;
    private const int FileIdOffset = 0;
    private const int IndexOffset = FileIdOffset + FileIdLength;
    private const int LastOffset = IndexOffset + 4;
    private const int CiphertextOffset = LastOffset + 1;
    private static readonly byte[] Label = "sotto/v1/file"u8.ToArray();

    private FileChunk(ReadOnlySpan<byte> fileId, uint index, bool last, ReadOnlySpan<byte> ciphertext)
    {
        FileId = fileId;
        Index = index;
        IsLast = last;
        Ciphertext = ciphertext;
    }

    public ReadOnlySpan<byte> FileId { get; }

    public uint Index { get; }

    public bool IsLast { get; }

    public ReadOnlySpan<byte> Ciphertext { get; }

    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> fileId, uint index, bool last, ulong size, ReadOnlySpan<byte> chunk)
    {
        if (fileId.Length != FileIdLength || chunk.Length > ChunkLength)
            throw new ArgumentException("fid is 16 bytes and a chunk at most 65,536");
        var body = new byte[CiphertextOffset + chunk.Length + TagLength];
        fileId.CopyTo(body);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(IndexOffset), index);
        body[LastOffset] = last ? (byte)1 : (byte)0;
        using var aead = new AesGcm(key, TagLength);
        Span<byte> nonce = stackalloc byte[12];
        WriteNonce(index, nonce);
        aead.Encrypt(nonce, chunk, body.AsSpan(CiphertextOffset, chunk.Length), body.AsSpan(CiphertextOffset + chunk.Length), Aad(fileId, index, last, size));
        return Blob.Encode(BlobType.FileChunk, body);
    }

    /// <summary>Parses the body of a FILE_CHUNK blob (after version and type); never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out FileChunk chunk)
    {
        chunk = default;
        if (body.Length < CiphertextOffset + TagLength || body[LastOffset] > 1)
            return false;
        chunk = new FileChunk(body[..FileIdLength], BinaryPrimitives.ReadUInt32BigEndian(body[IndexOffset..]), body[LastOffset] == 1, body[CiphertextOffset..]);
        return true;
    }

    /// <summary>Decrypts this chunk of a transfer of <paramref name="size"/> bytes; false on any tag failure.</summary>
    public bool TryOpen(ReadOnlySpan<byte> key, ulong size, out byte[] plaintext)
    {
        plaintext = [];
        using var aead = new AesGcm(key, TagLength);
        Span<byte> nonce = stackalloc byte[12];
        WriteNonce(Index, nonce);
        var output = new byte[Ciphertext.Length - TagLength];
        try
        {
            aead.Decrypt(nonce, Ciphertext[..^TagLength], Ciphertext[^TagLength..], output, Aad(FileId, Index, IsLast, size));
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        plaintext = output;
        return true;
    }

    private static void WriteNonce(uint index, Span<byte> nonce)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], index);
    }

    private static byte[] Aad(ReadOnlySpan<byte> fileId, uint index, bool last, ulong size)
    {
        var aad = new byte[Label.Length + FileIdLength + 4 + 1 + 8];
        Label.CopyTo(aad, 0);
        fileId.CopyTo(aad.AsSpan(Label.Length));
        BinaryPrimitives.WriteUInt32BigEndian(aad.AsSpan(Label.Length + FileIdLength), index);
        aad[Label.Length + FileIdLength + 4] = last ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt64BigEndian(aad.AsSpan(Label.Length + FileIdLength + 5), size);
        return aad;
    }
}
