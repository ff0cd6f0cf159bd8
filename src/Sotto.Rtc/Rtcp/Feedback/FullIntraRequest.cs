namespace Sotto.Rtc.Rtcp;

/// <summary>
/// FIR: Full Intra Request (RFC 5104 §4.3.1), PSFB FMT 4: asks each listed media sender for a key frame.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=4   |   PT=PSFB=206 |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source (unused, 0)             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  FCI entries (SSRC, Seq nr., Reserved)        :  one or more
/// </code>
/// "SSRC of media source: Not used in this FIR message; SHALL be set to 0" (RFC 5104 §4.3.1.2): the
/// target SSRCs are in the entries. A parsed packet keeps whatever value was sent, for a faithful rewrite.
/// </remarks>
public readonly ref struct FullIntraRequest : IRtcpSerializable
{
    /// <summary>Builds a FIR to write (media source SSRC 0, as §4.3.1.2 requires).</summary>
    public FullIntraRequest(uint senderSsrc, ReadOnlySpan<FirEntry> entries)
        : this(senderSsrc, 0, new RtcpItemList<FirEntry>(entries))
    {
    }

    private FullIntraRequest(uint senderSsrc, uint mediaSsrc, RtcpItemList<FirEntry> entries)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        Entries = entries;
    }

    /// <summary>SSRC of the packet sender.</summary>
    public uint SenderSsrc { get; }

    /// <summary>The unused media source field (0 when well behaved).</summary>
    public uint MediaSsrc { get; }

    /// <summary>The requests, one per target SSRC.</summary>
    public RtcpItemList<FirEntry> Entries { get; }

    /// <inheritdoc/>
    public RtcpPacketType PacketType => RtcpPacketType.PayloadSpecificFeedback;

    /// <summary>Parses exactly one FIR; false unless it has one or more whole entries.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out FullIntraRequest fir)
    {
        fir = default;
        if (!RtcpFeedback.TryParse(packet, RtcpPacketType.PayloadSpecificFeedback, RtcpFeedbackFormat.FullIntraRequest, out var sender, out var media, out var fci)
            || fci.IsEmpty
            || fci.Length % FirEntry.Size != 0)
        {
            return false;
        }
        fir = new FullIntraRequest(sender, media, RtcpItemList<FirEntry>.FromWire(fci));
        return true;
    }

    /// <inheritdoc/>
    public int GetSerializedLength() => RtcpFeedback.CommonLength + Entries.WireLength;

    /// <summary>Writes the FIR; false if out of room or without entries.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = GetSerializedLength();
        if (Entries.Count == 0 || length > RtcpHeader.MaxPacketLength || destination.Length < length)
        {
            return false;
        }
        var fci = RtcpFeedback.WriteCommon(destination, RtcpPacketType.PayloadSpecificFeedback, RtcpFeedbackFormat.FullIntraRequest, length, SenderSsrc, MediaSsrc);
        Entries.WriteTo(fci);
        written = length;
        return true;
    }
}
