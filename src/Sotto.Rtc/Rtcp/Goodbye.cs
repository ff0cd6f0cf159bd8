namespace Sotto.Rtc.Rtcp;

/// <summary>
/// BYE: goodbye (RFC 3550 §6.6): the listed sources are leaving, optionally with a reason.
/// </summary>
/// <remarks>
/// <code>
///        0                   1                   2                   3
///        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |V=2|P|    SC   |   PT=BYE=203  |             length            |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |                           SSRC/CSRC                           |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       :                              ...                              :
///       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// (opt) |     length    |               reason for leaving            ...
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The reason is followed by null octets up to the next 32-bit boundary.
/// </remarks>
public readonly ref struct Goodbye : IRtcpSerializable
{
    private const int ReasonLengthSize = 1;

    /// <summary>Builds a BYE to write; <paramref name="reason"/> is UTF-8, at most 255 octets.</summary>
    public Goodbye(ReadOnlySpan<uint> sources, ReadOnlySpan<byte> reason = default)
        : this(new SsrcList(sources), reason)
    {
    }

    private Goodbye(SsrcList sources, ReadOnlySpan<byte> reason)
    {
        Sources = sources;
        Reason = reason;
    }

    /// <summary>The SSRC/CSRCs leaving (at most 31).</summary>
    public SsrcList Sources { get; }

    /// <summary>Reason for leaving (UTF-8, not validated); empty if none.</summary>
    public ReadOnlySpan<byte> Reason { get; }

    /// <inheritdoc/>
    public RtcpPacketType PacketType => RtcpPacketType.Goodbye;

    /// <summary>Parses exactly one BYE packet.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out Goodbye goodbye)
    {
        goodbye = default;
        if (!RtcpHeader.TryParsePacket(packet, out var header, out var body)
            || header.PacketType != RtcpPacketType.Goodbye)
        {
            return false;
        }
        var sourcesLength = header.Count * SsrcList.WireSize;
        if (body.Length < sourcesLength)
        {
            return false;
        }
        var rest = body[sourcesLength..];
        var reason = ReadOnlySpan<byte>.Empty;
        if (!rest.IsEmpty)
        {
            var reasonEnd = ReasonLengthSize + rest[0];
            // Whatever follows the reason can only be the null octets that reach the next word.
            if (reasonEnd > rest.Length || rest.Length - reasonEnd > 3)
            {
                return false;
            }
            reason = rest[ReasonLengthSize..reasonEnd];
        }
        goodbye = new Goodbye(SsrcList.FromWire(body[..sourcesLength]), reason);
        return true;
    }

    /// <inheritdoc/>
    public int GetSerializedLength()
    {
        var reason = Reason.IsEmpty ? 0 : ReasonLengthSize + Reason.Length;
        return RtcpHeader.Size + Sources.WireLength + reason + RtcpHeader.PadToWord(reason);
    }

    /// <summary>Writes the packet; false if out of room, more than 31 sources or a reason over 255 octets.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = GetSerializedLength();
        if (Sources.Count > RtcpHeader.MaxCount || Reason.Length > byte.MaxValue || destination.Length < length)
        {
            return false;
        }
        RtcpHeader.WriteUnpadded(destination, RtcpPacketType.Goodbye, Sources.Count, length);
        Sources.WriteTo(destination[RtcpHeader.Size..]);
        var offset = RtcpHeader.Size + Sources.WireLength;
        if (!Reason.IsEmpty)
        {
            destination[offset] = (byte)Reason.Length;
            Reason.CopyTo(destination[(offset + ReasonLengthSize)..]);
            offset += ReasonLengthSize + Reason.Length;
            destination[offset..length].Clear();
        }
        written = length;
        return true;
    }
}
