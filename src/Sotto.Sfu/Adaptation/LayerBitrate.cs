namespace Sotto.Sfu.Adaptation;

/// <summary>
/// The bitrate of one simulcast stream per VP8 temporal layer (TID 0–3, RFC 7741 §4.2), measured
/// from the bytes the publisher sends: what each (spatial, temporal) choice costs a subscriber.
/// Bytes are counted per packet (no allocation); <see cref="Roll"/> closes a bin on the allocation
/// timer, and the rate is the mean over the last second or so of bins — VP8 is bursty (30 frames a
/// second, a key frame ten times a delta) and a 200 ms view flips the allocator between layers.
/// </summary>
internal sealed class LayerBitrate
{
    public const int MaxTemporalLayers = 4;

    /// <summary>Bins kept: with a 200 ms allocation interval, the last 1.6 s.</summary>
    private const int Bins = 8;

    private readonly long[] _bytes = new long[MaxTemporalLayers];
    private readonly long[,] _binBytes = new long[Bins, MaxTemporalLayers];
    private readonly long[] _binTicks = new long[Bins];
    private int _binCount;
    private int _nextBin;
    private long _windowStartTicks = long.MinValue;

    /// <summary>Highest TID seen plus one (1 for a stream without temporal layers).</summary>
    public int TemporalLayerCount { get; private set; } = 1;

    public void OnPacket(int temporalLayer, int bytes)
    {
        var tid = Math.Clamp(temporalLayer, 0, MaxTemporalLayers - 1);
        _bytes[tid] += bytes;
        if (tid + 1 > TemporalLayerCount)
            TemporalLayerCount = tid + 1;
    }

    /// <summary>Closes the current bin at <paramref name="nowTicks"/>.</summary>
    public void Roll(long nowTicks)
    {
        if (_windowStartTicks == long.MinValue)
        {
            _windowStartTicks = nowTicks;
            Array.Clear(_bytes);
            return;
        }
        var elapsed = nowTicks - _windowStartTicks;
        if (elapsed < TimeSpan.TicksPerMillisecond * 50)
            return;
        for (var tid = 0; tid < MaxTemporalLayers; tid++)
        {
            _binBytes[_nextBin, tid] = _bytes[tid];
            _bytes[tid] = 0;
        }
        _binTicks[_nextBin] = elapsed;
        _nextBin = (_nextBin + 1) % Bins;
        if (_binCount < Bins)
            _binCount++;
        _windowStartTicks = nowTicks;
    }

    /// <summary>Bits per second of the stream when temporal layers 0..<paramref name="temporalLayer"/> are forwarded.</summary>
    public long BitrateUpTo(int temporalLayer)
    {
        long bytes = 0, ticks = 0;
        for (var bin = 0; bin < _binCount; bin++)
        {
            ticks += _binTicks[bin];
            for (var tid = 0; tid <= Math.Min(temporalLayer, MaxTemporalLayers - 1); tid++)
                bytes += _binBytes[bin, tid];
        }
        return ticks == 0 ? 0 : bytes * 8 * TimeSpan.TicksPerSecond / ticks;
    }

    /// <summary>Forgets the rates (the layer stopped).</summary>
    public void Reset()
    {
        Array.Clear(_bytes);
        Array.Clear(_binBytes);
        Array.Clear(_binTicks);
        _binCount = 0;
        _nextBin = 0;
        _windowStartTicks = long.MinValue;
        TemporalLayerCount = 1;
    }
}
