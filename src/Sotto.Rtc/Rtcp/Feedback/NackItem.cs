using System.Buffers.Binary;
using System.Numerics;

namespace Sotto.Rtc.Rtcp;

/// <summary>
/// One Generic NACK FCI entry (RFC 4585 §6.2.1): a lost packet and a bitmask of up to 16 more after it.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            PID                |             BLP               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Bit i of BLP (least significant first) set means packet PID+i+1 is lost too; sequence numbers wrap
/// modulo 2^16.
/// </remarks>
public readonly record struct NackItem(ushort PacketId, ushort LostBitmask) : IRtcpListItem<NackItem>
{
    /// <summary>Octets of one entry.</summary>
    public const int Size = 4;

    /// <summary>Most sequence numbers one entry can carry (PID plus 16 BLP bits).</summary>
    public const int MaxLostPerItem = 17;

    private const int PacketIdOffset = 0;
    private const int LostBitmaskOffset = 2;

    /// <inheritdoc/>
    public static int WireSize => Size;

    /// <summary>Number of lost packets this entry reports (1 to 17).</summary>
    public int LostCount => 1 + BitOperations.PopCount(LostBitmask);

    /// <inheritdoc/>
    public static NackItem Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt16BigEndian(source[PacketIdOffset..]),
        BinaryPrimitives.ReadUInt16BigEndian(source[LostBitmaskOffset..]));

    /// <inheritdoc/>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[PacketIdOffset..], PacketId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[LostBitmaskOffset..], LostBitmask);
    }

    /// <summary>
    /// Writes the lost sequence numbers, PID first, into <paramref name="destination"/> (17 slots always
    /// suffice) and returns how many; -1 if <paramref name="destination"/> is too small.
    /// </summary>
    public int GetLostSequenceNumbers(Span<ushort> destination)
    {
        if (destination.Length < LostCount)
        {
            return -1;
        }
        var count = 0;
        destination[count++] = PacketId;
        for (var bit = 0; bit < 16; bit++)
        {
            if ((LostBitmask & (1 << bit)) != 0)
            {
                destination[count++] = (ushort)(PacketId + bit + 1);
            }
        }
        return count;
    }

    /// <summary>
    /// Number of entries <see cref="TryCreate"/> produces for <paramref name="lostSequenceNumbers"/>,
    /// to size its destination.
    /// </summary>
    public static int CountItems(ReadOnlySpan<ushort> lostSequenceNumbers)
    {
        var items = 0;
        ushort packetId = 0;
        for (var i = 0; i < lostSequenceNumbers.Length; i++)
        {
            if (items == 0 || !Covers(packetId, lostSequenceNumbers[i]))
            {
                packetId = lostSequenceNumbers[i];
                items++;
            }
        }
        return items;
    }

    /// <summary>
    /// Packs lost sequence numbers into NACK entries: each entry starts at a lost packet and takes every
    /// following one within 16 after it. Sorted input (in wrap-around order) gives the fewest entries;
    /// any order gives a correct list. False if <paramref name="destination"/> is too small
    /// (see <see cref="CountItems"/>).
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<ushort> lostSequenceNumbers, Span<NackItem> destination, out int itemCount)
    {
        itemCount = 0;
        ushort packetId = 0;
        ushort bitmask = 0;
        for (var i = 0; i < lostSequenceNumbers.Length; i++)
        {
            var sequenceNumber = lostSequenceNumbers[i];
            if (itemCount > 0 && Covers(packetId, sequenceNumber))
            {
                var distance = (ushort)(sequenceNumber - packetId);
                if (distance != 0)
                {
                    bitmask |= (ushort)(1 << (distance - 1));
                }
                continue;
            }
            if (itemCount > 0)
            {
                destination[itemCount - 1] = new NackItem(packetId, bitmask);
            }
            if (itemCount == destination.Length)
            {
                itemCount = 0;
                return false;
            }
            packetId = sequenceNumber;
            bitmask = 0;
            itemCount++;
        }
        if (itemCount > 0)
        {
            destination[itemCount - 1] = new NackItem(packetId, bitmask);
        }
        return true;
    }

    /// <summary>True when <paramref name="sequenceNumber"/> is PID itself or one of the 16 after it (mod 2^16).</summary>
    private static bool Covers(ushort packetId, ushort sequenceNumber) => (ushort)(sequenceNumber - packetId) <= 16;
}
