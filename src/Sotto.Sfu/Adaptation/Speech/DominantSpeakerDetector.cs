namespace Sotto.Sfu.Adaptation.Speech;

/// <summary>
/// The room's dominant speaker, with hysteresis so a cough, a laugh or two people talking over each
/// other does not flap it (the idea of Volfin and Cohen's dominant speaker identification, as used by
/// Jitsi, reduced to what DTX packet flow can tell): a challenger takes over only after speaking in
/// at least 70 % of the last second while doing so clearly more (by 30 points) than the current
/// speaker. The speaker stays dominant through silence until someone else qualifies. The detector
/// also keeps the order of recent speakers, most recent first, for last-N.
/// </summary>
internal sealed class DominantSpeakerDetector
{
    /// <summary>Bins (of 100 ms) of the long window: one second.</summary>
    public const int LongBins = 10;

    public const double TakeOverActivity = 0.7;

    public const double TakeOverMargin = 0.3;

    /// <summary>The first speaker of a quiet room needs half a second of speech.</summary>
    public const double FirstSpeakerActivity = 0.5;

    private readonly List<string> _recentSpeakers = [];

    public string? Dominant { get; private set; }

    /// <summary>Participants, most recent dominant speaker first; never-dominant ones in the order they were added.</summary>
    public IReadOnlyList<string> RecentSpeakers => _recentSpeakers;

    public void Add(string participantId)
    {
        if (!_recentSpeakers.Contains(participantId))
            _recentSpeakers.Add(participantId);
    }

    public void Remove(string participantId)
    {
        _recentSpeakers.Remove(participantId);
        if (Dominant == participantId)
            Dominant = null;
    }

    /// <summary>Re-evaluates from each participant's microphone activity; true when the dominant speaker changed.</summary>
    public bool Update(long nowTicks, IEnumerable<(string ParticipantId, SpeechActivity Activity)> microphones)
    {
        string? challenger = null;
        var challengerActivity = 0.0;
        var dominantActivity = 0.0;
        foreach (var (id, activity) in microphones)
        {
            var level = activity.SpeakingFraction(nowTicks, LongBins);
            if (id == Dominant)
            {
                dominantActivity = Math.Max(dominantActivity, level);
            }
            else if (level > challengerActivity)
            {
                challenger = id;
                challengerActivity = level;
            }
        }
        if (challenger is null)
            return false;
        var takesOver = Dominant is null
            ? challengerActivity >= FirstSpeakerActivity
            : challengerActivity >= TakeOverActivity && challengerActivity >= dominantActivity + TakeOverMargin;
        if (!takesOver)
            return false;
        Dominant = challenger;
        _recentSpeakers.Remove(challenger);
        _recentSpeakers.Insert(0, challenger);
        return true;
    }
}
