using Sotto.Load.Media;

namespace Sotto.Load.Harness;

/// <summary>One participant of a ramp step: what it publishes (null: nothing) and whether it subscribes to everyone else.</summary>
internal sealed record ParticipantPlan(MediaProfile? Publishes, bool Subscribes);

/// <summary>Everyone in one ramp step's room.</summary>
internal sealed record StepPlan(string Scenario, int Size, IReadOnlyList<ParticipantPlan> Participants)
{
    public int PublisherCount => Participants.Count(p => p.Publishes is not null);

    /// <summary>Tracks a subscriber expects: every other publisher's audio and video.</summary>
    public int ExpectedTracks(int index) => Participants
        .Where((p, i) => i != index && p.Publishes is not null)
        .Sum(p => (p.Publishes!.Audio ? 1 : 0) + (p.Publishes.Video ? 1 : 0));
}

/// <summary>The three scenarios of issue 9, each a function from ramp size to a room.</summary>
internal static class Scenarios
{
    public const string Meeting = "meeting";
    public const string Webinar = "webinar";
    public const string AudioRoom = "audio-room";
    public const int AudioRoomTalkers = 10;

    public static IReadOnlyList<string> All { get; } = [Meeting, Webinar, AudioRoom];

    /// <summary>meeting: <paramref name="size"/> publishers, everyone subscribes to everyone; webinar: 1 publisher, <paramref name="size"/> subscribers; audio room: 10 talkers (who hear each other), <paramref name="size"/> listeners.</summary>
    public static StepPlan Build(string scenario, int size, MediaProfile video) => scenario switch
    {
        Meeting => new StepPlan(scenario, size, [.. Enumerable.Repeat(new ParticipantPlan(video, true), size)]),
        Webinar => new StepPlan(scenario, size, [new ParticipantPlan(video, false), .. Enumerable.Repeat(new ParticipantPlan(null, true), size)]),
        AudioRoom => new StepPlan(scenario, size, [.. Enumerable.Repeat(new ParticipantPlan(MediaProfile.AudioOnly, true), AudioRoomTalkers), .. Enumerable.Repeat(new ParticipantPlan(null, true), size)]),
        _ => throw new ArgumentException($"Unknown scenario '{scenario}'.", nameof(scenario)),
    };
}
