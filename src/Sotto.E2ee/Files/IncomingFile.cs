using System.Security.Cryptography;

namespace Sotto.E2ee.Files;

/// <summary>The state of a file being received (§S10).</summary>
internal enum IncomingFileState
{
    Receiving,
    /// <summary>Every chunk, the size and the SHA-256 checked: only now may "Save" appear.</summary>
    Complete,
    Failed,
}

/// <summary>
/// One accepted offer being received (§S10 with docs/e2ee.md C19): chunk i carries bytes
/// [65536·i, min(size, 65536·(i+1))), indices arrive contiguously from 0, <c>last</c> is set on the
/// final chunk only, the total equals the offered size, and the SHA-256 matches the offer. Any
/// deviation fails the transfer for good; the bytes are never exposed before Complete.
/// </summary>
internal sealed class IncomingFile : IDisposable
{
    private readonly byte[] _key;
    private readonly byte[] _fileId;
    private readonly byte[] _expectedSha256;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly MemoryStream _content = new();
    private uint _nextIndex;

    public IncomingFile(byte[] key, byte[] fileId, ulong size, byte[] sha256)
    {
        _key = key;
        _fileId = fileId;
        Size = size;
        _expectedSha256 = sha256;
    }

    public ulong Size { get; }

    public IncomingFileState State { get; private set; }

    /// <summary>The file, only once Complete.</summary>
    public byte[]? Content => State == IncomingFileState.Complete ? _content.ToArray() : null;

    /// <summary>Takes the body of a FILE_CHUNK blob for this fid.</summary>
    public IncomingFileState Receive(ReadOnlySpan<byte> body)
    {
        if (State != IncomingFileState.Receiving)
            return State;
        if (!FileChunk.TryParse(body, out FileChunk chunk) || !chunk.FileId.SequenceEqual(_fileId) || chunk.Index != _nextIndex
            || !chunk.TryOpen(_key, Size, out byte[] plaintext))
            return Fail();
        ulong start = (ulong)chunk.Index * FileChunk.ChunkLength;
        ulong expectedLength = Math.Min(Size - Math.Min(Size, start), FileChunk.ChunkLength);
        bool isFinal = start + expectedLength == Size;
        if ((ulong)plaintext.Length != expectedLength || chunk.IsLast != isFinal || start > Size)
            return Fail();
        _hash.AppendData(plaintext);
        _content.Write(plaintext);
        _nextIndex++;
        if (!chunk.IsLast)
            return State;
        State = CryptographicOperations.FixedTimeEquals(_hash.GetHashAndReset(), _expectedSha256) ? IncomingFileState.Complete : IncomingFileState.Failed;
        return State;
    }

    private IncomingFileState Fail()
    {
        State = IncomingFileState.Failed;
        _content.SetLength(0);
        return State;
    }

    public void Dispose()
    {
        _hash.Dispose();
        _content.Dispose();
    }
}
