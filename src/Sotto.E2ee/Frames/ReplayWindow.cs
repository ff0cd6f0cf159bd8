namespace Sotto.E2ee.Frames;

/// <summary>
/// A sliding window over the last 512 counters at or below the highest accepted one (§S7, §S14),
/// one bit per counter at index ctr mod 512. Only frames that decrypted are marked, so forged
/// headers (a CTR of 2^64 − 1, replays) never move it.
/// </summary>
internal sealed class ReplayWindow
{
    public const int Size = 512;
    private const int WordBits = 64;

    private readonly ulong[] _seen = new ulong[Size / WordBits];
    private bool _any;

    /// <summary>The highest accepted counter; meaningful once <see cref="HasAccepted"/>.</summary>
    public ulong Highest { get; private set; }

    public bool HasAccepted => _any;

    /// <summary>None when <paramref name="counter"/> may be accepted; does not change the window.</summary>
    public FrameDropReason Check(ulong counter)
    {
        if (!_any || counter > Highest)
            return FrameDropReason.None;
        if (Highest - counter >= Size)
            return FrameDropReason.TooOld;
        return IsSet(counter) ? FrameDropReason.Replay : FrameDropReason.None;
    }

    /// <summary>Records <paramref name="counter"/>; call only after Check passed and the frame decrypted.</summary>
    public void Mark(ulong counter)
    {
        if (!_any || counter > Highest)
        {
            if (!_any || counter - Highest >= Size)
            {
                Array.Clear(_seen);
            }
            else
            {
                for (ulong c = Highest + 1; c < counter; c++)
                    Clear(c);
            }
            Highest = counter;
            _any = true;
        }
        _seen[Index(counter) / WordBits] |= 1UL << Index(counter) % WordBits;
    }

    private bool IsSet(ulong counter) => (_seen[Index(counter) / WordBits] & 1UL << Index(counter) % WordBits) != 0;

    private void Clear(ulong counter) => _seen[Index(counter) / WordBits] &= ~(1UL << Index(counter) % WordBits);

    private static int Index(ulong counter) => (int)(counter % Size);
}
