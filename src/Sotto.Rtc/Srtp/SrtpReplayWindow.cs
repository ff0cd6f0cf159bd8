namespace Sotto.Rtc.Srtp;

/// <summary>
/// The receiver's sliding replay list of RFC 3711 §3.3.2: the highest packet index accepted so far and a
/// bitmap of which of the <see cref="Size"/> indices below it were accepted. An index newer than the
/// highest is always fresh; one that fell out of the window is rejected like a replay.
/// </summary>
/// <remarks>
/// Callers check with <see cref="IsReplayed"/> before authentication and call <see cref="Accept"/> only
/// after authentication succeeded, so forged packets can never move the window (§3.3.2).
/// </remarks>
internal sealed class SrtpReplayWindow
{
    private const int WordBits = 64;

    /// <summary>Bit (age % 64) of word (age / 64) is set when index (Highest - age) was accepted.</summary>
    private readonly ulong[] _words;

    public SrtpReplayWindow(int size)
    {
        if (size < WordBits || size % WordBits != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The replay window is a positive multiple of 64 packets.");
        }
        _words = new ulong[size / WordBits];
    }

    /// <summary>Number of indices the window remembers (RFC 3711 §3.3.2 asks for at least 64).</summary>
    public int Size => _words.Length * WordBits;

    /// <summary>True until the first index is accepted.</summary>
    public bool IsEmpty { get; private set; } = true;

    /// <summary>Highest index accepted; for SRTP it carries s_l and the ROC (RFC 3711 §3.3.1).</summary>
    public ulong Highest { get; private set; }

    /// <summary>True when <paramref name="index"/> was accepted already or is older than the window.</summary>
    public bool IsReplayed(ulong index)
    {
        if (IsEmpty || index > Highest)
        {
            return false;
        }
        var age = Highest - index;
        if (age >= (ulong)Size)
        {
            return true;
        }
        return (_words[(int)(age / WordBits)] & (1UL << (int)(age % WordBits))) != 0;
    }

    /// <summary>Records <paramref name="index"/> as received, sliding the window forward if it is the newest.</summary>
    public void Accept(ulong index)
    {
        if (IsEmpty)
        {
            IsEmpty = false;
            Highest = index;
            Array.Clear(_words);
            _words[0] = 1;
            return;
        }
        if (index > Highest)
        {
            SlideBy(index - Highest);
            Highest = index;
            _words[0] |= 1;
            return;
        }
        var age = Highest - index;
        if (age < (ulong)Size)
        {
            _words[(int)(age / WordBits)] |= 1UL << (int)(age % WordBits);
        }
    }

    /// <summary>Ages every remembered index by <paramref name="distance"/>: new bit (a + d) = old bit a.</summary>
    private void SlideBy(ulong distance)
    {
        if (distance >= (ulong)Size)
        {
            Array.Clear(_words);
            return;
        }
        var wordShift = (int)(distance / WordBits);
        var bitShift = (int)(distance % WordBits);
        for (var w = _words.Length - 1; w >= 0; w--)
        {
            var source = w - wordShift;
            ulong value = 0;
            if (source >= 0)
            {
                value = _words[source] << bitShift;
                if (bitShift != 0 && source > 0)
                {
                    value |= _words[source - 1] >> (WordBits - bitShift);
                }
            }
            _words[w] = value;
        }
    }
}
