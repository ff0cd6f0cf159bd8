namespace Sotto.E2ee.Frames;

/// <summary>
/// The SFrame header (RFC 9605 §4.3):
/// <code>
///    0 1 2 3 4 5 6 7
///   +-+-+-+-+-+-+-+-+---------------------------+---------------------------+
///   |X|  K  |Y|  C  |   KID (K+1 bytes if X=1)  |   CTR (C+1 bytes if Y=1)  |
///   +-+-+-+-+-+-+-+-+---------------------------+---------------------------+
/// </code>
/// X = 0: K is the KID itself (0–7) and no KID bytes follow; X = 1: K + 1 big-endian KID bytes
/// follow. Y and C say the same for CTR. The writer always uses the shortest form; the parser
/// accepts any form (the header bytes as received are authenticated as AAD).
/// </summary>
internal readonly struct SFrameHeader
{
    public const int MaxLength = 1 + 8 + 8;
    private const int ConfigLength = 1;
    private const byte XFlag = 0x80;
    private const int KShift = 4;
    private const byte YFlag = 0x08;
    private const byte ValueMask = 0x07;
    private const ulong ShortMax = 7;

    public SFrameHeader(ulong kid, ulong counter, int length)
    {
        Kid = kid;
        Counter = counter;
        Length = length;
    }

    public ulong Kid { get; }

    public ulong Counter { get; }

    /// <summary>The number of header bytes read.</summary>
    public int Length { get; }

    public static int GetSerializedLength(ulong kid, ulong counter) =>
        ConfigLength + (kid <= ShortMax ? 0 : MinimalLength(kid)) + (counter <= ShortMax ? 0 : MinimalLength(counter));

    public static bool TryWrite(ulong kid, ulong counter, Span<byte> destination, out int written)
    {
        written = GetSerializedLength(kid, counter);
        if (destination.Length < written)
        {
            written = 0;
            return false;
        }
        int kidLength = kid <= ShortMax ? 0 : MinimalLength(kid);
        int counterLength = counter <= ShortMax ? 0 : MinimalLength(counter);
        int k = kidLength == 0 ? (int)kid << KShift : XFlag | (kidLength - 1) << KShift;
        int c = counterLength == 0 ? (int)counter : YFlag | (counterLength - 1);
        destination[0] = (byte)(k | c);
        WriteBigEndian(destination.Slice(ConfigLength, kidLength), kid);
        WriteBigEndian(destination.Slice(ConfigLength + kidLength, counterLength), counter);
        return true;
    }

    public static bool TryParse(ReadOnlySpan<byte> data, out SFrameHeader header)
    {
        header = default;
        if (data.Length < ConfigLength)
            return false;
        byte config = data[0];
        int position = ConfigLength;
        ulong kid = (ulong)(config >> KShift & ValueMask);
        if ((config & XFlag) != 0)
        {
            int kidLength = (int)kid + 1;
            if (data.Length - position < kidLength)
                return false;
            kid = ReadBigEndian(data.Slice(position, kidLength));
            position += kidLength;
        }
        ulong counter = (ulong)(config & ValueMask);
        if ((config & YFlag) != 0)
        {
            int counterLength = (int)counter + 1;
            if (data.Length - position < counterLength)
                return false;
            counter = ReadBigEndian(data.Slice(position, counterLength));
            position += counterLength;
        }
        header = new SFrameHeader(kid, counter, position);
        return true;
    }

    private static int MinimalLength(ulong value)
    {
        int length = 1;
        while (value > 0xff)
        {
            value >>= 8;
            length++;
        }
        return length;
    }

    private static void WriteBigEndian(Span<byte> destination, ulong value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)value;
            value >>= 8;
        }
    }

    private static ulong ReadBigEndian(ReadOnlySpan<byte> source)
    {
        ulong value = 0;
        foreach (byte b in source)
            value = value << 8 | b;
        return value;
    }
}
