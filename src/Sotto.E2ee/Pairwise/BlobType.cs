namespace Sotto.E2ee.Pairwise;

/// <summary>The type byte of an e2ee blob (§S4.2).</summary>
internal enum BlobType : byte
{
    Commit = 0x01,
    Hs1 = 0x02,
    Hs2 = 0x03,
    Transport = 0x04,
    Resync = 0x05,
    FileChunk = 0x10,
}
