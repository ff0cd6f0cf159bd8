namespace Sotto.E2ee.Pairwise;

/// <summary>
/// An e2ee blob (§S4.2), the opaque bytes the server relays as {"type":"e2ee","to":ID,"blob":b64u}:
/// <code>
///    0        1        2
///   +--------+--------+--------------------------------------------+
///   | 0x01   | type   | body                                       |
///   +--------+--------+--------------------------------------------+
///   COMMIT     0x01  c (32)                                  34 bytes
///   HS1        0x02  sid (8) ‖ msg1 (96)                    106 bytes
///   HS2        0x03  sid (8) ‖ msg2 (96)                    106 bytes
///   TRANSPORT  0x04  sid (8) ‖ ct (256·k + 16, k = 1..64)   282..16,410 bytes
///   RESYNC     0x05  sid (8)                                 10 bytes
///   FILE_CHUNK 0x10  fid (16) ‖ u32 i ‖ u8 last ‖ ct         ≤ 65,600 bytes (§S10)
/// </code>
/// A view over the received bytes; <see cref="Sid"/> is c[0..8) for COMMIT.
/// </summary>
internal readonly ref struct Blob
{
    public const byte Version = 0x01;
    public const int SidLength = 8;
    public const int CommitLength = 32;
    public const int HandshakeMessageLength = 96;
    public const int TransportPadding = 256;
    public const int TransportMaxPlaintext = 16 * 1024;
    public const int FileChunkMaxLength = 65_600;
    private const int VersionOffset = 0;
    private const int TypeOffset = 1;
    public const int BodyOffset = 2;
    private const int SidEnd = BodyOffset + SidLength;
    private const int TagLength = 16;

    private Blob(BlobType type, ReadOnlySpan<byte> body)
    {
        Type = type;
        Body = body;
    }

    public BlobType Type { get; }

    public ReadOnlySpan<byte> Body { get; }

    public ReadOnlySpan<byte> Sid => Body[..SidLength];

    /// <summary>COMMIT: c. HS1/HS2: the Noise message. TRANSPORT: ct. RESYNC: empty.</summary>
    public ReadOnlySpan<byte> Payload => Type == BlobType.Commit ? Body : Body[SidLength..];

    /// <summary>
    /// Parses and size-checks a blob. False for anything malformed; <paramref name="unknownVersion"/>
    /// tells the caller to show "participant uses an incompatible version" instead (§S4.2).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out Blob blob, out bool unknownVersion)
    {
        blob = default;
        unknownVersion = false;
        if (bytes.Length < BodyOffset)
            return false;
        if (bytes[VersionOffset] != Version)
        {
            unknownVersion = true;
            return false;
        }
        var type = (BlobType)bytes[TypeOffset];
        bool sizeOk = type switch
        {
            BlobType.Commit => bytes.Length == BodyOffset + CommitLength,
            BlobType.Hs1 or BlobType.Hs2 => bytes.Length == SidEnd + HandshakeMessageLength,
            BlobType.Resync => bytes.Length == SidEnd,
            BlobType.Transport => IsTransportCiphertextLength(bytes.Length - SidEnd),
            BlobType.FileChunk => bytes.Length <= FileChunkMaxLength && bytes.Length >= BodyOffset + 16 + 4 + 1 + TagLength,
            _ => false,
        };
        if (!sizeOk)
            return false;
        blob = new Blob(type, bytes[BodyOffset..]);
        return true;
    }

    private static bool IsTransportCiphertextLength(int length) =>
        length >= TransportPadding + TagLength && length <= TransportMaxPlaintext + TagLength && (length - TagLength) % TransportPadding == 0;

    /// <summary>version ‖ type ‖ parts.</summary>
    public static byte[] Encode(BlobType type, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second = default)
    {
        var output = new byte[BodyOffset + first.Length + second.Length];
        output[VersionOffset] = Version;
        output[TypeOffset] = (byte)type;
        first.CopyTo(output.AsSpan(BodyOffset));
        second.CopyTo(output.AsSpan(BodyOffset + first.Length));
        return output;
    }
}
