using System.Security.Cryptography;
using Sotto.E2ee.Files;
using Sotto.E2ee.Pairwise;

namespace Sotto.E2ee.Tests.Files;

/// <summary>§S10: truncated, reordered, spliced or mislabelled chunks never reach "Save".</summary>
public sealed class IncomingFileTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Fid = RandomNumberGenerator.GetBytes(16);
    private static readonly byte[] Data = RandomNumberGenerator.GetBytes(2 * FileChunk.ChunkLength + 100);

    private static List<byte[]> Chunks(byte[] data, byte[]? fid = null, byte[]? key = null)
    {
        var chunks = new List<byte[]>();
        int count = Math.Max(1, (data.Length + FileChunk.ChunkLength - 1) / FileChunk.ChunkLength);
        for (int i = 0; i < count; i++)
        {
            int start = i * FileChunk.ChunkLength;
            int length = Math.Min(FileChunk.ChunkLength, data.Length - start);
            chunks.Add(FileChunk.Seal(key ?? Key, fid ?? Fid, (uint)i, i == count - 1, (ulong)data.Length, data.AsSpan(start, length))[Blob.BodyOffset..]);
        }
        return chunks;
    }

    private static IncomingFileState Deliver(IEnumerable<byte[]> chunks, byte[]? data = null)
    {
        data ??= Data;
        using var file = new IncomingFile(Key, Fid, (ulong)data.Length, SHA256.HashData(data));
        IncomingFileState state = IncomingFileState.Receiving;
        foreach (byte[] chunk in chunks)
            state = file.Receive(chunk);
        if (state == IncomingFileState.Complete)
            Assert.Equal(data, file.Content);
        else
            Assert.Null(file.Content);
        return state;
    }

    [Fact]
    public void In_order_chunks_complete_and_an_empty_file_is_one_empty_last_chunk()
    {
        Assert.Equal(IncomingFileState.Complete, Deliver(Chunks(Data)));
        Assert.Equal(IncomingFileState.Complete, Deliver(Chunks([]), []));
    }

    [Fact]
    public void Truncated_reordered_spliced_and_foreign_chunks_never_complete()
    {
        List<byte[]> chunks = Chunks(Data);
        Assert.Equal(IncomingFileState.Receiving, Deliver(chunks.Take(2))); // truncated: no Save
        Assert.Equal(IncomingFileState.Failed, Deliver([chunks[1], chunks[0], chunks[2]]));
        Assert.Equal(IncomingFileState.Failed, Deliver([chunks[0], chunks[0], chunks[1], chunks[2]])); // replayed chunk
        byte[] other = RandomNumberGenerator.GetBytes(Data.Length);
        Assert.Equal(IncomingFileState.Failed, Deliver([chunks[0], Chunks(other)[1], chunks[2]])); // spliced from another file: fails the hash
        Assert.Equal(IncomingFileState.Failed, Deliver([chunks[0], Chunks(Data, RandomNumberGenerator.GetBytes(16))[1], chunks[2]])); // other fid
        Assert.Equal(IncomingFileState.Failed, Deliver(Chunks(Data, key: RandomNumberGenerator.GetBytes(32)))); // other key
        using var wrongSize = new IncomingFile(Key, Fid, (ulong)Data.Length + 1, SHA256.HashData(Data));
        Assert.Equal(IncomingFileState.Failed, wrongSize.Receive(chunks[0])); // size is in the AAD
    }
}
