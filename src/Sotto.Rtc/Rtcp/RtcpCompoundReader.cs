namespace Sotto.Rtc.Rtcp;

/// <summary>
/// Walks the packets of one RTCP datagram (RFC 3550 §6.1 compound packet, or a single packet under
/// RFC 5506 reduced-size RTCP) without copying: <c>foreach (var packet in new RtcpCompoundReader(datagram))</c>.
/// </summary>
/// <remarks>
/// Every packet must have V=2, a length field that stays inside the datagram, and (when P is set) a
/// padding count that fits in its own packet. On the first packet that breaks a rule the walk stops
/// and <see cref="IsMalformed"/> becomes true; nothing throws. Packets already yielded were well formed,
/// so callers that want all-or-nothing call <see cref="IsWellFormed"/> first.
/// <para>
/// RFC 3550 §6.4.1 and Appendix A.2 allow padding only on the last packet of a compound packet, but
/// libwebrtc pads every transport-cc feedback packet it writes (P bit and count, transport_feedback.cc)
/// and sends several of them back to back in one datagram. Rejecting those would drop Chromium's
/// congestion feedback, so this reader accepts padding on any packet whose count fits inside that packet;
/// <see cref="IsStrictCompound"/> applies the RFC 3550 Appendix A.2 rules for callers that want them.
/// </para>
/// </remarks>
public ref struct RtcpCompoundReader
{
    private readonly ReadOnlySpan<byte> _datagram;
    private int _offset;
    private RtcpPacket _current;

    /// <summary>Starts before the first packet of <paramref name="datagram"/>.</summary>
    public RtcpCompoundReader(ReadOnlySpan<byte> datagram)
    {
        _datagram = datagram;
        _offset = 0;
        _current = default;
        IsMalformed = datagram.IsEmpty;
    }

    /// <summary>The packet the last successful <see cref="MoveNext"/> stopped on.</summary>
    public readonly RtcpPacket Current => _current;

    /// <summary>True once the walk stopped on bytes that are not a well-formed packet (or the datagram was empty).</summary>
    public bool IsMalformed { get; private set; }

    /// <summary>
    /// Returns a copy of this reader, so it works in <c>foreach</c>; the copy is what advances, so call
    /// <see cref="MoveNext"/> directly when <see cref="IsMalformed"/> matters afterwards.
    /// </summary>
    public readonly RtcpCompoundReader GetEnumerator() => this;

    /// <summary>Advances to the next packet; false at the end of the datagram or on malformed input.</summary>
    public bool MoveNext()
    {
        if (IsMalformed || _offset >= _datagram.Length)
        {
            return false;
        }
        var remaining = _datagram[_offset..];
        if (!RtcpHeader.TryParse(remaining, out var header) || header.PacketLength > remaining.Length)
        {
            return Stop();
        }
        var packet = remaining[..header.PacketLength];
        if (!RtcpHeader.TryParsePacket(packet, out header, out var body))
        {
            return Stop();
        }
        _current = new RtcpPacket(header, packet, body);
        _offset += packet.Length;
        return true;
    }

    private bool Stop()
    {
        IsMalformed = true;
        _current = default;
        return false;
    }

    /// <summary>True when <paramref name="datagram"/> holds one or more packets and every one is well formed.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> datagram)
    {
        var reader = new RtcpCompoundReader(datagram);
        while (reader.MoveNext())
        {
        }
        return !reader.IsMalformed;
    }

    /// <summary>
    /// The RFC 3550 Appendix A.2 validity check: well formed, padding only on the last packet, and
    /// (unless <paramref name="reducedSize"/>, RFC 5506 §3.1) the first packet is an SR or RR.
    /// </summary>
    public static bool IsStrictCompound(ReadOnlySpan<byte> datagram, bool reducedSize = false)
    {
        var reader = new RtcpCompoundReader(datagram);
        var index = 0;
        var paddedBeforeLast = false;
        while (reader.MoveNext())
        {
            var header = reader.Current.Header;
            if (index == 0 && !reducedSize
                && header.PacketType is not (RtcpPacketType.SenderReport or RtcpPacketType.ReceiverReport))
            {
                return false;
            }
            if (paddedBeforeLast)
            {
                return false;
            }
            paddedBeforeLast = header.Padding;
            index++;
        }
        return !reader.IsMalformed;
    }
}
