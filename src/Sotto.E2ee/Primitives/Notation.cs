using System.Buffers.Binary;

namespace Sotto.E2ee.Primitives;

/// <summary>
/// The §S1 notation: big-endian integers and length-prefixed byte strings, appended to a
/// growing buffer. Used for labels, commitments and prologues (handshake time, not per frame).
/// </summary>
internal static class Notation
{
    /// <summary>lp8(b) = u8(len b) ‖ b; false when b is longer than 255 bytes.</summary>
    public static bool TryAppendLp8(List<byte> destination, ReadOnlySpan<byte> value)
    {
        if (value.Length > byte.MaxValue)
            return false;
        destination.Add((byte)value.Length);
        destination.AddRange(value);
        return true;
    }

    /// <summary>lp16(b) = u16(len b) ‖ b; false when b is longer than 65,535 bytes.</summary>
    public static bool TryAppendLp16(List<byte> destination, ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
            return false;
        AppendU16(destination, (ushort)value.Length);
        destination.AddRange(value);
        return true;
    }

    public static void AppendU16(List<byte> destination, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        destination.AddRange(bytes);
    }

    public static void AppendAscii(List<byte> destination, string label)
    {
        foreach (char ch in label)
            destination.Add(checked((byte)ch));
    }

    /// <summary>Bytewise (unsigned, lexicographic) order, as §S4.1 and §S8 sort ids.</summary>
    public static int CompareBytes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);
}
