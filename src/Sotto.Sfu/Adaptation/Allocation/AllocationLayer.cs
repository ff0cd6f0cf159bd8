namespace Sotto.Sfu.Adaptation.Allocation;

/// <summary>One choice for a track: a (spatial, temporal) layer, what it costs and its frame height.</summary>
internal readonly record struct AllocationLayer(VideoLayer Layer, long BitsPerSecond, int Height);
