namespace Sotto.E2ee.Frames;

/// <summary>KID = slot &lt;&lt; 16 | stream &lt;&lt; 8 | (epoch mod 256) (§S7). Slot 1, camera, epoch 0 → 0x010100.</summary>
internal readonly record struct Kid(ushort Slot, MediaStream Stream, byte EpochByte)
{
    private const ulong MaxValue = 0xffff_ffff;

    public static ulong Make(ushort slot, MediaStream stream, uint epoch)
    {
        if (slot == 0 || (byte)stream > (byte)MediaStream.ScreenAudio)
            throw new ArgumentOutOfRangeException(nameof(slot), "slot 1–65535 and stream 0–3");
        return (ulong)slot << 16 | (ulong)stream << 8 | (epoch & 0xff);
    }

    /// <summary>The parts of a received KID; false when no Sotto sender could have produced it.</summary>
    public static bool TrySplit(ulong value, out Kid kid)
    {
        kid = default;
        if (value > MaxValue)
            return false;
        var slot = (ushort)(value >> 16);
        var stream = (byte)(value >> 8);
        if (slot == 0 || stream > (byte)MediaStream.ScreenAudio)
            return false;
        kid = new Kid(slot, (MediaStream)stream, (byte)value);
        return true;
    }
}
