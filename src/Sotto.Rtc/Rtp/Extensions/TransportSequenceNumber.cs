using System.Buffers.Binary;

namespace Sotto.Rtc.Rtp.Extensions;

/// <summary>
/// transport-wide-cc (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): a 16-bit sequence
/// number counted over every packet of the transport, whatever its SSRC, echoed in transport-cc
/// feedback so the sender can estimate bandwidth.
/// <code>
///  0                   1
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  transport-wide sequence number |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public static class TransportSequenceNumber
{
    public const int Length = 2;
    public const string Uri = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    public static bool TryRead(ReadOnlySpan<byte> value, out ushort sequenceNumber)
    {
        // -01 defines exactly 2 bytes; the 4-byte form of transport-wide-cc-02 is not negotiated.
        if (value.Length != Length)
        {
            sequenceNumber = 0;
            return false;
        }
        sequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(value);
        return true;
    }

    public static bool TryWrite(Span<byte> destination, ushort sequenceNumber, out int written)
    {
        written = 0;
        if (!BinaryPrimitives.TryWriteUInt16BigEndian(destination, sequenceNumber))
        {
            return false;
        }
        written = Length;
        return true;
    }

    /// <summary>Overwrites an element's value in place (the SFU numbers each outgoing packet per transport).</summary>
    public static bool TryOverwrite(Span<byte> value, ushort sequenceNumber) =>
        value.Length == Length && TryWrite(value, sequenceNumber, out _);
}
