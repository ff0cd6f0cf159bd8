namespace Sotto.Sfu.Adaptation.Allocation;

/// <summary>
/// Shares one subscriber's downlink estimate across the video tracks it receives (docs/media.md
/// "Allocation"), in the spirit of Jitsi Videobridge's BandwidthAllocator:
/// <list type="number">
/// <item>order the tracks: featured (screen share, dominant speaker) → pinned → other tiles, larger
/// reported tiles first;</item>
/// <item>in that order, give each wanted track its cheapest layer while the budget lasts — a track
/// that gets nothing is suspended (the client shows "low bandwidth");</item>
/// <item>in the same order, raise each track as far toward its ideal layer as the rest of the budget allows
/// (above the layer it is on only with 15 % headroom, so an estimate near a layer's cost does not flip it).</item>
/// </list>
/// Audio is not allocated: it is always forwarded, and its bitrate is taken off the budget first.
/// </summary>
internal static class BandwidthAllocator
{
    /// <summary>A layer whose rate has not been measured yet still costs this much (it is sending, so it is not free).</summary>
    public const long UnmeasuredLayerBitsPerSecond = 30_000;

    /// <summary>
    /// Going above the layer a track is on needs this much more room than the step above it costs (hysteresis: a
    /// switch up costs a key frame, and an estimate hovering at a layer's cost must not flip it).
    /// </summary>
    public const double UpgradeHeadroom = 1.15;

    /// <summary>Sorts <paramref name="tracks"/> into serving order and chooses a layer for each; returns the bits per second used.</summary>
    /// <param name="budgetBitsPerSecond">the estimate, less audio</param>
    /// <param name="minimumBudgetBitsPerSecond">
    /// what the cheapest layers may use (at least the budget): a path that delivers what it is sent without
    /// loss keeps its videos' lowest layers even when queueing delay lowers the estimate — the upper
    /// layers go, but video pauses only on evidence the lowest layers do not get through.
    /// </param>
    public static long Allocate(long budgetBitsPerSecond, List<AllocationTrack> tracks, long minimumBudgetBitsPerSecond = 0)
    {
        tracks.Sort(static (a, b) => a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority) : b.DisplayArea.CompareTo(a.DisplayArea));
        var budget = Math.Max(budgetBitsPerSecond, minimumBudgetBitsPerSecond);
        var tolerance = budget - budgetBitsPerSecond;
        foreach (var track in tracks)
        {
            track.ChosenIndex = -1;
            if (!track.IsWanted || track.Layers.Count == 0)
                continue;
            var cheapest = track.Layers[0].BitsPerSecond;
            if (cheapest <= budget)
            {
                track.ChosenIndex = 0;
                budget -= cheapest;
            }
        }
        // The upper layers fit the estimate itself.
        budget -= tolerance;
        foreach (var track in tracks)
        {
            if (track.ChosenIndex < 0)
                continue;
            var current = track.Layers[track.ChosenIndex].BitsPerSecond;
            for (var i = Math.Min(track.IdealIndex, track.Layers.Count - 1); i > track.ChosenIndex; i--)
            {
                var extra = track.Layers[i].BitsPerSecond - current;
                var above = track.CurrentIndex >= 0 && i > track.CurrentIndex ? track.Layers[i].BitsPerSecond - track.Layers[track.CurrentIndex].BitsPerSecond : 0;
                var needed = extra + (long)(above * (UpgradeHeadroom - 1));
                if (needed <= budget)
                {
                    track.ChosenIndex = i;
                    budget -= extra;
                    break;
                }
            }
        }
        return budgetBitsPerSecond - budget;
    }

    /// <summary>
    /// The best layer worth sending for a tile of <paramref name="view"/>: the lowest spatial layer at
    /// least as tall as the tile (a smaller tile gains nothing from more pixels), all its temporal
    /// layers; the top layer when the size is unknown or larger than anything sent; −1 when hidden.
    /// </summary>
    public static int IdealIndex(IReadOnlyList<AllocationLayer> layers, TrackView view, bool wanted)
    {
        if (!wanted || view.Hidden || layers.Count == 0)
            return -1;
        var top = layers.Count - 1;
        if (!view.IsKnown)
            return top;
        var fitting = -1;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer.Height <= 0)
                continue;
            // The last temporal layer of the first spatial layer that is tall enough.
            if (fitting >= 0 && layer.Layer.Spatial != layers[fitting].Layer.Spatial)
                break;
            if (layer.Height >= view.Height * 9 / 10)
                fitting = i;
        }
        return fitting >= 0 ? fitting : top;
    }
}
