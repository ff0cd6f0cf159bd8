using System.Buffers.Binary;

namespace Sotto.Rtc.Rtcp;

/// <summary>
/// A reception report block of an SR or RR (RFC 3550 §6.4.1): reception statistics about one source.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 SSRC_n (SSRC of source n)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | fraction lost |       cumulative number of packets lost       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           extended highest sequence number received           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      interarrival jitter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         last SR (LSR)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   delay since last SR (DLSR)                  |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// </remarks>
public readonly record struct ReportBlock : IRtcpListItem<ReportBlock>
{
    /// <summary>Octets of one report block.</summary>
    public const int Size = 24;

    /// <summary>Largest cumulative loss the signed 24-bit field holds.</summary>
    public const int MaxCumulativeLost = 0x7F_FFFF;

    /// <summary>Smallest cumulative loss (duplicates can make it negative, RFC 3550 §6.4.1).</summary>
    public const int MinCumulativeLost = -0x80_0000;

    private const int SsrcOffset = 0;
    private const int FractionLostOffset = 4;
    private const int CumulativeLostOffset = 5;
    private const int HighestSequenceOffset = 8;
    private const int JitterOffset = 12;
    private const int LastSenderReportOffset = 16;
    private const int DelaySinceLastSenderReportOffset = 20;

    /// <summary>SSRC_n: the source this block reports on.</summary>
    public uint Ssrc { get; init; }

    /// <summary>Fraction of packets lost since the previous report, as a fixed-point number with the binary point at the left edge (loss × 256).</summary>
    public byte FractionLost { get; init; }

    /// <summary>Packets expected minus packets received since the start, signed 24 bits; written saturated to that range.</summary>
    public int CumulativeLost { get; init; }

    /// <summary>Highest sequence number received, extended with the count of sequence number cycles in the high 16 bits.</summary>
    public uint ExtendedHighestSequenceNumber { get; init; }

    /// <summary>Interarrival jitter in RTP timestamp units (RFC 3550 §6.4.1, A.8).</summary>
    public uint Jitter { get; init; }

    /// <summary>LSR: the middle 32 bits of the NTP timestamp of the last SR from this source, 0 if none.</summary>
    public uint LastSenderReport { get; init; }

    /// <summary>DLSR: delay since that SR in units of 1/65536 s, 0 if none.</summary>
    public uint DelaySinceLastSenderReport { get; init; }

    /// <inheritdoc/>
    public static int WireSize => Size;

    /// <summary>Reads a report block from the first <see cref="Size"/> octets.</summary>
    public static bool TryParse(ReadOnlySpan<byte> source, out ReportBlock block)
    {
        if (source.Length < Size)
        {
            block = default;
            return false;
        }
        block = Read(source);
        return true;
    }

    /// <inheritdoc/>
    public static ReportBlock Read(ReadOnlySpan<byte> source)
    {
        // Sign-extend the 24-bit two's complement count by shifting it into the top of an int and back.
        var cumulative = (int)(BinaryPrimitives.ReadUInt32BigEndian(source[FractionLostOffset..]) << 8) >> 8;
        return new ReportBlock
        {
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(source[SsrcOffset..]),
            FractionLost = source[FractionLostOffset],
            CumulativeLost = cumulative,
            ExtendedHighestSequenceNumber = BinaryPrimitives.ReadUInt32BigEndian(source[HighestSequenceOffset..]),
            Jitter = BinaryPrimitives.ReadUInt32BigEndian(source[JitterOffset..]),
            LastSenderReport = BinaryPrimitives.ReadUInt32BigEndian(source[LastSenderReportOffset..]),
            DelaySinceLastSenderReport = BinaryPrimitives.ReadUInt32BigEndian(source[DelaySinceLastSenderReportOffset..]),
        };
    }

    /// <summary>Writes the block; false if <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size)
        {
            return false;
        }
        Write(destination);
        written = Size;
        return true;
    }

    /// <summary>Always <see cref="Size"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Instance member: every wire type offers the same GetSerializedLength/TryWrite pair.")]
    public int GetSerializedLength() => Size;

    /// <inheritdoc/>
    public void Write(Span<byte> destination)
    {
        // Saturate rather than wrap: a wrapped count would flip sign and report the opposite of the truth.
        var cumulative = Math.Clamp(CumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        BinaryPrimitives.WriteUInt32BigEndian(destination[SsrcOffset..], Ssrc);
        destination[FractionLostOffset] = FractionLost;
        destination[CumulativeLostOffset] = (byte)(cumulative >> 16);
        destination[CumulativeLostOffset + 1] = (byte)(cumulative >> 8);
        destination[CumulativeLostOffset + 2] = (byte)cumulative;
        BinaryPrimitives.WriteUInt32BigEndian(destination[HighestSequenceOffset..], ExtendedHighestSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[JitterOffset..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination[LastSenderReportOffset..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[DelaySinceLastSenderReportOffset..], DelaySinceLastSenderReport);
    }
}
