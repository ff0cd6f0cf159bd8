namespace Sotto.Sfu.Adaptation;

/// <summary>
/// The bitrate of one simulcast stream per VP8 temporal layer (TID 0–3, RFC 7741 §4.2), measured
/// from the bytes the publisher sends: what each (spatial, temporal) choice costs a subscriber.
/// Bytes are counted per packet (no allocation); <see cref="Roll"/> turns them into rates on the
/// allocation timer, smoothed so one large key frame does not make a layer look expensive.
/// </summary>
internal sealed class LayerBitrate
{
    public const int MaxTemporalLayers = 4;

    // New measurements weigh this much: ~1 s memory at a 250 ms roll.
    private const double Smoothing = 0.3;

    private readonly long[] _bytes = new long[MaxTemporalLayers];
    private readonly double[] _bitsPerSecond = new double[MaxTemporalLayers];
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

    /// <summary>Closes the measurement window at <paramref name="nowTicks"/> and updates the rates.</summary>
    public void Roll(long nowTicks)
    {
        if (_windowStartTicks == long.MinValue)
        {
            _windowStartTicks = nowTicks;
            Array.Clear(_bytes);
            return;
        }
        var seconds = (nowTicks - _windowStartTicks) / (double)TimeSpan.TicksPerSecond;
        if (seconds <= 0.05)
            return;
        for (var tid = 0; tid < MaxTemporalLayers; tid++)
        {
            var measured = _bytes[tid] * 8 / seconds;
            _bitsPerSecond[tid] = _bitsPerSecond[tid] == 0 ? measured : (_bitsPerSecond[tid] * (1 - Smoothing)) + (measured * Smoothing);
            _bytes[tid] = 0;
        }
        _windowStartTicks = nowTicks;
    }

    /// <summary>Bits per second of the stream when temporal layers 0..<paramref name="temporalLayer"/> are forwarded.</summary>
    public long BitrateUpTo(int temporalLayer)
    {
        var sum = 0.0;
        for (var tid = 0; tid <= Math.Min(temporalLayer, MaxTemporalLayers - 1); tid++)
            sum += _bitsPerSecond[tid];
        return (long)sum;
    }

    /// <summary>Forgets the rates (the layer stopped).</summary>
    public void Reset()
    {
        Array.Clear(_bytes);
        Array.Clear(_bitsPerSecond);
        _windowStartTicks = long.MinValue;
        TemporalLayerCount = 1;
    }
}
