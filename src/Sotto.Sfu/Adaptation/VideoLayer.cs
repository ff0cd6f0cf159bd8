namespace Sotto.Sfu.Adaptation;

/// <summary>
/// A simulcast layer (spatial: index in the track's a=simulcast list, low to high) and the highest VP8
/// temporal layer forwarded from it (L1T3: 0 = 7.5, 1 = 15, 2 = 30 fps at 30 fps capture).
/// </summary>
internal readonly record struct VideoLayer(int Spatial, int Temporal)
{
    /// <summary>Nothing is forwarded (hidden, not in last-N, audio-only, or too little bandwidth).</summary>
    public static readonly VideoLayer None = new(-1, -1);

    /// <summary>The best the publisher sends: the default until the first allocation.</summary>
    public static readonly VideoLayer Best = new(int.MaxValue, LayerBitrate.MaxTemporalLayers - 1);

    public bool IsNone => Spatial < 0;

    public override string ToString() => IsNone ? "none" : $"S{Spatial}T{Temporal}";
}
