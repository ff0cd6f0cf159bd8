using Sotto.Load.Harness;
using Sotto.Load.Media;

namespace Sotto.Load.Targets;

/// <summary>A server under load: started once per run, asked to build one room per ramp step.</summary>
internal interface ILoadTarget : IAsyncDisposable
{
    /// <summary>"sotto", "sotto-last4", "janus" or "relay".</summary>
    string Name { get; }

    /// <summary>The server forwards video of at most this many others to each subscriber (Sotto's last-N); null: every stream.</summary>
    int? LastN => null;

    /// <summary>What runs, for the report ("Janus 1.1.2 VideoRoom", …).</summary>
    string Description { get; }

    /// <summary>The server process alone (its /proc/&lt;pid&gt;/stat is the CPU measured).</summary>
    int ServerProcessId { get; }

    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Joins every participant of <paramref name="plan"/>, publishes and subscribes, and returns once media can flow.</summary>
    Task<StepSession> SetupAsync(StepPlan plan, DelayHistogram delays, CancellationToken cancellationToken);
}

/// <summary>One ramp step's participants on one target.</summary>
internal sealed class StepSession(IReadOnlyList<SyntheticPublisher> publishers, IReadOnlyList<SubscriberCounters> subscribers, Func<ValueTask> teardown) : IAsyncDisposable
{
    public IReadOnlyList<SyntheticPublisher> Publishers { get; } = publishers;

    public IReadOnlyList<SubscriberCounters> Subscribers { get; } = subscribers;

    /// <summary>The SRTP profile the peers negotiated (null for the relay).</summary>
    public string? SrtpProfile { get; init; }

    public ValueTask DisposeAsync() => teardown();
}
