using System.Buffers.Binary;

namespace Sotto.Load.Media;

/// <summary>
/// The last 16 octets of every generated RTP payload: the send time on the generator's clock, so
/// a subscriber in the same process measures one-way delay through the server on one clock, and a
/// per-stream packet counter, so loss is counted from what the publisher numbered — whatever the
/// server does to RTP sequence numbers. An SFU forwards payloads untouched (it cannot read E2EE
/// frames), so the trailer survives.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       magic "SLDT"                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     source stream number                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |               packet counter of that stream                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             send time (Stopwatch ticks, 64 bits)              |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
internal static class ProbeTrailer
{
    public const int Length = 20;
    public const uint Magic = 0x534C4454; // "SLDT"
    private const int MagicOffset = 0;
    private const int StreamOffset = 4;
    private const int CounterOffset = 8;
    private const int SendTimeOffset = 12;

    public static bool TryWrite(Span<byte> payloadEnd, uint stream, uint counter, long sendTicks)
    {
        if (payloadEnd.Length < Length)
            return false;
        Span<byte> trailer = payloadEnd[^Length..];
        BinaryPrimitives.WriteUInt32BigEndian(trailer[MagicOffset..], Magic);
        BinaryPrimitives.WriteUInt32BigEndian(trailer[StreamOffset..], stream);
        BinaryPrimitives.WriteUInt32BigEndian(trailer[CounterOffset..], counter);
        BinaryPrimitives.WriteInt64BigEndian(trailer[SendTimeOffset..], sendTicks);
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out uint stream, out uint counter, out long sendTicks)
    {
        stream = 0;
        counter = 0;
        sendTicks = 0;
        if (payload.Length < Length)
            return false;
        ReadOnlySpan<byte> trailer = payload[^Length..];
        if (BinaryPrimitives.ReadUInt32BigEndian(trailer[MagicOffset..]) != Magic)
            return false;
        stream = BinaryPrimitives.ReadUInt32BigEndian(trailer[StreamOffset..]);
        counter = BinaryPrimitives.ReadUInt32BigEndian(trailer[CounterOffset..]);
        sendTicks = BinaryPrimitives.ReadInt64BigEndian(trailer[SendTimeOffset..]);
        return true;
    }
}
