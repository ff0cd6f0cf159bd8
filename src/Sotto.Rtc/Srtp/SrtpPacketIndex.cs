namespace Sotto.Rtc.Srtp;

/// <summary>
/// The 48-bit SRTP packet index i = 2^16 * ROC + SEQ (RFC 3711 §3.3.1), and the receiver's estimate of
/// it from a 16-bit sequence number and the highest index seen so far (RFC 3711 Appendix A).
/// </summary>
internal static class SrtpPacketIndex
{
    private const int HalfSequenceSpace = 32768;

    /// <summary>The largest index: ROC = 2^32 - 1, SEQ = 2^16 - 1.</summary>
    public const ulong MaxIndex = (1UL << 48) - 1;

    /// <summary>
    /// Estimates the index of a packet with sequence number <paramref name="sequenceNumber"/> given the
    /// highest index <paramref name="highestIndex"/> accepted so far (its ROC and s_l), per RFC 3711
    /// Appendix A: the guess v is ROC - 1, ROC or ROC + 1, whichever puts SEQ nearest to s_l.
    /// </summary>
    /// <returns>
    /// <see cref="SrtpResult.Ok"/>; <see cref="SrtpResult.Replayed"/> when the guess is ROC - 1 while ROC is
    /// 0 (a packet from before the stream began); <see cref="SrtpResult.KeyLimitReached"/> when the ROC
    /// would wrap.
    /// </returns>
    public static SrtpResult Estimate(ulong highestIndex, ushort sequenceNumber, out ulong index)
    {
        var roc = (long)(highestIndex >> 16);
        var highestSequence = (int)(highestIndex & 0xFFFF);
        long guess = roc;
        if (highestSequence < HalfSequenceSpace)
        {
            if (sequenceNumber - highestSequence > HalfSequenceSpace)
            {
                guess = roc - 1;
            }
        }
        else if (highestSequence - HalfSequenceSpace > sequenceNumber)
        {
            guess = roc + 1;
        }

        if (guess < 0)
        {
            index = 0;
            return SrtpResult.Replayed;
        }
        if (guess > uint.MaxValue)
        {
            index = 0;
            return SrtpResult.KeyLimitReached;
        }
        index = ((ulong)guess << 16) | sequenceNumber;
        return SrtpResult.Ok;
    }

    /// <summary>The rollover counter of an index.</summary>
    public static uint RolloverCounter(ulong index) => (uint)(index >> 16);
}
