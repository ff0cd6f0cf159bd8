namespace Sotto.Sfu.Adaptation.Allocation;

/// <summary>How much a track matters to one subscriber: lower classes are served first (docs/media.md "Allocation").</summary>
internal enum AllocationPriority
{
    /// <summary>A screen share, or the dominant speaker's camera.</summary>
    Featured = 0,

    /// <summary>A camera the subscriber pinned.</summary>
    Pinned = 1,

    /// <summary>Any other shown camera, larger tiles first.</summary>
    Tile = 2,
}

/// <summary>One video track to allocate for one subscriber: its choices (cheapest first), what it should get at most, and the result.</summary>
internal sealed class AllocationTrack(AllocationPriority priority, long displayArea, IReadOnlyList<AllocationLayer> layers, int idealIndex)
{
    public AllocationPriority Priority { get; } = priority;

    /// <summary>Reported tile area in pixels (larger first within a class); long.MaxValue when not reported.</summary>
    public long DisplayArea { get; } = displayArea;

    /// <summary>The layers the publisher sends now, in forwarding order (S0T0, S0T1, …, S1T0, …).</summary>
    public IReadOnlyList<AllocationLayer> Layers { get; } = layers;

    /// <summary>The best layer worth sending (−1: nothing — hidden, not in last-N, audio-only).</summary>
    public int IdealIndex { get; } = idealIndex;

    /// <summary>The layer forwarded now (−1: none or not among <see cref="Layers"/>): going above it needs headroom.</summary>
    public int CurrentIndex { get; init; } = -1;

    /// <summary>The layer chosen (−1: none).</summary>
    public int ChosenIndex { get; set; } = -1;

    public bool IsWanted => IdealIndex >= 0;

    /// <summary>Wanted but nothing fits: video paused for lack of bandwidth.</summary>
    public bool IsSuspended => IsWanted && ChosenIndex < 0;

    public VideoLayer Chosen => ChosenIndex < 0 ? VideoLayer.None : Layers[ChosenIndex].Layer;

    public long ChosenBitsPerSecond => ChosenIndex < 0 ? 0 : Layers[ChosenIndex].BitsPerSecond;

    public long IdealBitsPerSecond => IdealIndex < 0 ? 0 : Layers[IdealIndex].BitsPerSecond;
}
