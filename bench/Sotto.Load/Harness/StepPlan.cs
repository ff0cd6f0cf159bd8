using Sotto.Load.Media;

namespace Sotto.Load.Harness;

/// <summary>One participant of a ramp step: what it publishes (null: nothing) and whether it subscribes to everyone else.</summary>
internal sealed record ParticipantPlan(MediaProfile? Publishes, bool Subscribes);

/// <summary>Everyone in one ramp step's room.</summary>
/// <param name="LastN">The server forwards video of at most this many others to each subscriber (Sotto's last-N); null: all.</param>
internal sealed record StepPlan(string Scenario, int Size, IReadOnlyList<ParticipantPlan> Participants, int? LastN = null)
{
    public int PublisherCount => Participants.Count(p => p.Publishes is not null);

    /// <summary>Whether any publisher sends simulcast layers (a subscriber then receives one of them per publisher).</summary>
    public bool Simulcast => Participants.Any(p => p.Publishes is { Simulcast: true });

    /// <summary>Tracks a subscriber expects: every other publisher's audio, and their video — of at most <see cref="LastN"/> of them.</summary>
    public int ExpectedTracks(int index)
    {
        var others = Participants.Where((p, i) => i != index && p.Publishes is not null).Select(p => p.Publishes!).ToList();
        int videos = others.Count(p => p.Video);
        return others.Count(p => p.Audio) + (LastN is { } n ? Math.Min(n, videos) : videos);
    }
}

/// <summary>The three scenarios of issue 9, each a function from ramp size to a room.</summary>
internal static class Scenarios
{
    public const string Meeting = "meeting";
    public const string Webinar = "webinar";
    public const string AudioRoom = "audio-room";
    public const int AudioRoomTalkers = 10;

    /// <summary>10 publishers who see each other and <c>size</c> viewers who see them all: subscribers per core.</summary>
    public const string Meeting10 = "meeting10";

    /// <summary><see cref="Meeting10"/> with every publisher sending three simulcast layers.</summary>
    public const string Meeting10Simulcast = "meeting10-simulcast";
    public const int Meeting10Publishers = 10;

    public static IReadOnlyList<string> All { get; } = [Meeting, Webinar, AudioRoom, Meeting10, Meeting10Simulcast];

    /// <summary>The scenarios that measure subscribers per core (and the only ones a last-N target runs).</summary>
    public static bool IsSubscribersPerCore(string scenario) => scenario is Meeting10 or Meeting10Simulcast;

    /// <summary>
    /// meeting: <paramref name="size"/> publishers, everyone subscribes to everyone; webinar: 1 publisher, <paramref name="size"/> subscribers;
    /// audio room: 10 talkers (who hear each other), <paramref name="size"/> listeners; meeting10(-simulcast): 10 publishers
    /// who see each other and <paramref name="size"/> viewers who see them all (<paramref name="videoKbps"/> per publisher, top layer with simulcast).
    /// </summary>
    public static StepPlan Build(string scenario, int size, MediaProfile video, int videoKbps = 1000, int? lastN = null) => scenario switch
    {
        Meeting => new StepPlan(scenario, size, [.. Enumerable.Repeat(new ParticipantPlan(video, true), size)], lastN),
        Webinar => new StepPlan(scenario, size, [new ParticipantPlan(video, false), .. Enumerable.Repeat(new ParticipantPlan(null, true), size)], lastN),
        AudioRoom => new StepPlan(scenario, size, [.. Enumerable.Repeat(new ParticipantPlan(MediaProfile.AudioOnly, true), AudioRoomTalkers), .. Enumerable.Repeat(new ParticipantPlan(null, true), size)], lastN),
        Meeting10 => Audience(scenario, size, MediaProfile.AudioVideo(videoKbps), lastN),
        Meeting10Simulcast => Audience(scenario, size, MediaProfile.AudioSimulcast(videoKbps), lastN),
        _ => throw new ArgumentException($"Unknown scenario '{scenario}'.", nameof(scenario)),
    };

    private static StepPlan Audience(string scenario, int viewers, MediaProfile video, int? lastN) => new(
        scenario,
        viewers,
        [.. Enumerable.Repeat(new ParticipantPlan(video, true), Meeting10Publishers), .. Enumerable.Repeat(new ParticipantPlan(null, true), viewers)],
        lastN);
}
