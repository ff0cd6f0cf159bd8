using System.Buffers.Binary;
using System.Numerics;

namespace Sotto.Rtc.Rtcp;

/// <summary>
/// REMB: receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03 §2.2), an application layer
/// feedback message (PSFB FMT 15, RFC 4585 §6.4) identified by the four octets "REMB".
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=15  |   PT=206      |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source (0)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Unique identifier 'R' 'E' 'M' 'B'                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Num SSRC     | BR Exp    |  BR Mantissa                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   SSRC feedback                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ...                                                          |
/// </code>
/// Bitrate in bits per second = mantissa (18 bits) × 2^exp (6 bits). A bitrate is encoded with the
/// smallest exponent that fits, truncating (rounding down is the safe side for a maximum). A parsed packet
/// keeps its exponent and mantissa, so it is written back unchanged.
/// </remarks>
public readonly ref struct ReceiverEstimatedMaxBitrate : IRtcpSerializable
{
    /// <summary>Largest mantissa (18 bits).</summary>
    public const uint MaxMantissa = (1 << MantissaBits) - 1;

    private const int MantissaBits = 18;
    private const int IdentifierOffset = 0;
    private const int SsrcCountOffset = 4;
    private const int BitrateOffset = 5;
    private const int SsrcsOffset = 8;
    private const int ExponentShift = 2;
    private const uint RembIdentifier = 0x52454D42; // "REMB"

    /// <summary>Builds a REMB to write, for the streams <paramref name="ssrcs"/> (at most 255).</summary>
    public ReceiverEstimatedMaxBitrate(uint senderSsrc, ulong bitrate, ReadOnlySpan<uint> ssrcs)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = 0;
        Exponent = (byte)Math.Max(0, 64 - BitOperations.LeadingZeroCount(bitrate) - MantissaBits);
        Mantissa = (uint)(bitrate >> Exponent);
        Ssrcs = new SsrcList(ssrcs);
    }

    private ReceiverEstimatedMaxBitrate(uint senderSsrc, uint mediaSsrc, byte exponent, uint mantissa, SsrcList ssrcs)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        Exponent = exponent;
        Mantissa = mantissa;
        Ssrcs = ssrcs;
    }

    /// <summary>SSRC of the packet sender.</summary>
    public uint SenderSsrc { get; }

    /// <summary>The media source field (0 per the draft; kept as sent).</summary>
    public uint MediaSsrc { get; }

    /// <summary>BR Exp (6 bits).</summary>
    public byte Exponent { get; }

    /// <summary>BR Mantissa (18 bits).</summary>
    public uint Mantissa { get; }

    /// <summary>Estimated maximum bitrate in bits per second, for all of <see cref="Ssrcs"/> together.</summary>
    public ulong Bitrate => (ulong)Mantissa << Exponent;

    /// <summary>The streams the estimate applies to.</summary>
    public SsrcList Ssrcs { get; }

    /// <inheritdoc/>
    public RtcpPacketType PacketType => RtcpPacketType.PayloadSpecificFeedback;

    /// <summary>
    /// Parses exactly one REMB; false if the identifier is not "REMB", the SSRC count disagrees with the
    /// length, or the bitrate overflows 64 bits.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out ReceiverEstimatedMaxBitrate remb)
    {
        remb = default;
        if (!RtcpFeedback.TryParse(packet, RtcpPacketType.PayloadSpecificFeedback, RtcpFeedbackFormat.ApplicationLayer, out var sender, out var media, out var fci)
            || fci.Length < SsrcsOffset
            || BinaryPrimitives.ReadUInt32BigEndian(fci[IdentifierOffset..]) != RembIdentifier
            || fci.Length != SsrcsOffset + (fci[SsrcCountOffset] * SsrcList.WireSize))
        {
            return false;
        }
        var exponent = (byte)(fci[BitrateOffset] >> ExponentShift);
        var mantissa = (uint)(((fci[BitrateOffset] & 0x3) << 16) | (fci[BitrateOffset + 1] << 8) | fci[BitrateOffset + 2]);
        if (((ulong)mantissa << exponent) >> exponent != mantissa)
        {
            return false;
        }
        remb = new ReceiverEstimatedMaxBitrate(sender, media, exponent, mantissa, SsrcList.FromWire(fci[SsrcsOffset..]));
        return true;
    }

    /// <inheritdoc/>
    public int GetSerializedLength() => RtcpFeedback.CommonLength + SsrcsOffset + Ssrcs.WireLength;

    /// <summary>Writes the REMB; false if out of room or more than 255 SSRCs.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = GetSerializedLength();
        if (Ssrcs.Count > byte.MaxValue || destination.Length < length)
        {
            return false;
        }
        var fci = RtcpFeedback.WriteCommon(destination, RtcpPacketType.PayloadSpecificFeedback, RtcpFeedbackFormat.ApplicationLayer, length, SenderSsrc, MediaSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(fci[IdentifierOffset..], RembIdentifier);
        fci[SsrcCountOffset] = (byte)Ssrcs.Count;
        fci[BitrateOffset] = (byte)((Exponent << ExponentShift) | (int)(Mantissa >> 16));
        fci[BitrateOffset + 1] = (byte)(Mantissa >> 8);
        fci[BitrateOffset + 2] = (byte)Mantissa;
        Ssrcs.WriteTo(fci[SsrcsOffset..]);
        written = length;
        return true;
    }
}
