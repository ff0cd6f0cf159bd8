using System.Buffers.Binary;

namespace Sotto.Rtc.Rtcp;

/// <summary>
/// One FCI entry of a Full Intra Request (RFC 5104 §4.3.1.1): the SSRC asked for a decoder refresh and
/// the command sequence number.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              SSRC                             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Seq nr.       |    Reserved                                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The sequence number increments per new request and repeats for a retransmitted one, so the media
/// sender answers each request once. Reserved is written as zero and ignored on reception (§4.3.1.1).
/// </remarks>
public readonly record struct FirEntry(uint Ssrc, byte SequenceNumber) : IRtcpListItem<FirEntry>
{
    /// <summary>Octets of one entry.</summary>
    public const int Size = 8;

    private const int SsrcOffset = 0;
    private const int SequenceNumberOffset = 4;

    /// <inheritdoc/>
    public static int WireSize => Size;

    /// <inheritdoc/>
    public static FirEntry Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(source[SsrcOffset..]), source[SequenceNumberOffset]);

    /// <inheritdoc/>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination[SsrcOffset..], Ssrc);
        destination[SequenceNumberOffset] = SequenceNumber;
        destination.Slice(SequenceNumberOffset + 1, 3).Clear();
    }
}
