namespace Sotto.Rtc.Rtcp;

/// <summary>
/// The tail SR and RR share (RFC 3550 §6.4.1–6.4.2): RC report blocks, then profile-specific
/// extensions in whole 32-bit words. One place for its bounds rules on both the read and write side.
/// </summary>
internal static class ReportSection
{
    /// <summary>
    /// Splits <paramref name="body"/> after its fixed part (<paramref name="blocksOffset"/> octets) into
    /// <paramref name="count"/> report blocks and the extensions; false when the blocks do not fit or the
    /// extensions are not whole words (a partial word can only come from a padding count that is not a
    /// multiple of four, which no sender produces and no writer could echo).
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<byte> body, int blocksOffset, int count,
        out RtcpItemList<ReportBlock> blocks, out ReadOnlySpan<byte> extensions)
    {
        blocks = default;
        extensions = default;
        var blocksLength = count * ReportBlock.Size;
        if (body.Length < blocksOffset + blocksLength
            || RtcpHeader.PadToWord(body.Length - blocksOffset - blocksLength) != 0)
        {
            return false;
        }
        blocks = RtcpItemList<ReportBlock>.FromWire(body.Slice(blocksOffset, blocksLength));
        extensions = body[(blocksOffset + blocksLength)..];
        return true;
    }

    /// <summary>Serialized length of a report packet whose fixed body part is <paramref name="blocksOffset"/> octets.</summary>
    public static int GetPacketLength(int blocksOffset, scoped RtcpItemList<ReportBlock> blocks, scoped ReadOnlySpan<byte> extensions) =>
        RtcpHeader.Size + blocksOffset + blocks.WireLength + extensions.Length;

    /// <summary>
    /// Checks the limits (≤ 31 blocks, whole-word extensions, 16-bit length, room in
    /// <paramref name="destination"/>), writes the header, the blocks and the extensions, and returns the
    /// body for the caller's fixed fields; false (nothing written) when a limit is broken.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, RtcpPacketType type, int blocksOffset,
        scoped RtcpItemList<ReportBlock> blocks, scoped ReadOnlySpan<byte> extensions, out Span<byte> body, out int length)
    {
        body = default;
        length = GetPacketLength(blocksOffset, blocks, extensions);
        if (blocks.Count > RtcpHeader.MaxCount
            || RtcpHeader.PadToWord(extensions.Length) != 0
            || length > RtcpHeader.MaxPacketLength
            || destination.Length < length)
        {
            length = 0;
            return false;
        }
        RtcpHeader.WriteUnpadded(destination, type, blocks.Count, length);
        body = destination[RtcpHeader.Size..length];
        blocks.WriteTo(body[blocksOffset..]);
        extensions.CopyTo(body[(blocksOffset + blocks.WireLength)..]);
        return true;
    }
}
