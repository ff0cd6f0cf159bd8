namespace Sotto.Rtc.Rtcp;

/// <summary>
/// PLI: Picture Loss Indication (RFC 4585 §6.3.1), the SFU's way to ask a publisher for a key frame.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=1   |   PT=PSFB=206 |          length=2             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// "PLI does not require parameters. Therefore, the length field MUST be 2, and there MUST NOT be any
/// Feedback Control Information" (RFC 4585 §6.3.1.1). Chromium sends it alone under rtcp-rsize.
/// </remarks>
public readonly record struct PictureLossIndication(uint SenderSsrc, uint MediaSsrc) : IRtcpSerializable
{
    /// <summary>Octets of a PLI.</summary>
    public const int Size = RtcpFeedback.CommonLength;

    /// <inheritdoc/>
    public RtcpPacketType PacketType => RtcpPacketType.PayloadSpecificFeedback;

    /// <summary>Parses exactly one PLI packet.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out PictureLossIndication pli)
    {
        pli = default;
        if (!RtcpFeedback.TryParse(packet, RtcpPacketType.PayloadSpecificFeedback, RtcpFeedbackFormat.PictureLossIndication, out var sender, out var media, out var fci)
            || !fci.IsEmpty)
        {
            return false;
        }
        pli = new PictureLossIndication(sender, media);
        return true;
    }

    /// <summary>Always <see cref="Size"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Instance member: every wire type offers the same GetSerializedLength/TryWrite pair.")]
    public int GetSerializedLength() => Size;

    /// <summary>Writes the PLI; false if <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size)
        {
            return false;
        }
        RtcpFeedback.WriteCommon(destination, RtcpPacketType.PayloadSpecificFeedback, RtcpFeedbackFormat.PictureLossIndication, Size, SenderSsrc, MediaSsrc);
        written = Size;
        return true;
    }
}
