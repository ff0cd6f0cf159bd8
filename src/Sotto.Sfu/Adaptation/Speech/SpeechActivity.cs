namespace Sotto.Sfu.Adaptation.Speech;

/// <summary>
/// Whether a microphone carries speech, from its Opus packet flow alone (the audio-level header is
/// not negotiated: it leaks speech content; frames are end-to-end encrypted). With DTX (RFC 7587
/// §3.1.3, usedtx=1 in our answer) a silent Opus encoder sends one packet per 400 ms instead of one
/// per 20 ms, so packets per 100 ms bin tell speech (≈5) from silence (0–1). A client may also report
/// whether it speaks (<c>media-settings.speaking</c>, the same information DTX gives away): once it
/// has, a bin is speech only if it also had the packets and the client said so — which is what works
/// when the sender keeps Opus in CBR without DTX gaps. Allocation-free.
/// </summary>
internal sealed class SpeechActivity
{
    public const int BinMillis = 100;
    public const int BinCount = 30;

    /// <summary>At 20 ms frames a speaking bin holds about 5 packets; a silent one at most 1.</summary>
    public const int SpeechPacketsPerBin = 3;

    private readonly int[] _packets = new int[BinCount];
    private readonly bool[] _reportedSpeech = new bool[BinCount];
    private long _currentBin = long.MinValue;
    private bool _hasReports;
    private bool _speakingNow;

    /// <summary>The client says it speaks (or not) from now on.</summary>
    public void OnReport(long nowTicks, bool speaking)
    {
        Advance(nowTicks);
        _hasReports = true;
        _speakingNow = speaking;
        if (speaking && _currentBin != long.MinValue)
            _reportedSpeech[_currentBin % BinCount] = true;
    }

    public void OnPacket(long nowTicks)
    {
        Advance(nowTicks);
        _packets[_currentBin % BinCount]++;
    }

    /// <summary>Fraction of the last <paramref name="bins"/> complete bins that held speech.</summary>
    public double SpeakingFraction(long nowTicks, int bins)
    {
        Advance(nowTicks);
        bins = Math.Clamp(bins, 1, BinCount - 1);
        if (_currentBin == long.MinValue)
            return 0;
        var speaking = 0;
        for (var i = 1; i <= bins; i++)
        {
            var bin = (_currentBin - i + BinCount) % BinCount;
            if (_packets[bin] >= SpeechPacketsPerBin && (!_hasReports || _reportedSpeech[bin]))
                speaking++;
        }
        return speaking / (double)bins;
    }

    private void Advance(long nowTicks)
    {
        var bin = nowTicks / (TimeSpan.TicksPerMillisecond * BinMillis);
        if (_currentBin == long.MinValue)
        {
            _currentBin = bin;
            _reportedSpeech[bin % BinCount] = _speakingNow;
            return;
        }
        if (bin <= _currentBin)
            return;
        var skipped = Math.Min(bin - _currentBin, BinCount);
        for (var i = 1; i <= skipped; i++)
        {
            _packets[(_currentBin + i) % BinCount] = 0;
            _reportedSpeech[(_currentBin + i) % BinCount] = _speakingNow;
        }
        _currentBin = bin;
    }
}
