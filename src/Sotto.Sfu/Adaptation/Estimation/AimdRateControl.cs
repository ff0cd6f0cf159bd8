namespace Sotto.Sfu.Adaptation.Estimation;

/// <summary>
/// The rate controller of Google Congestion Control (draft-ietf-rmcat-gcc-02 §5.5): additive-increase
/// multiplicative-decrease driven by the over-use detector. Normal → increase by 8 % per second, but
/// never beyond 1.5 × the throughput the receiver acknowledged (+10 kbit/s), so an idle link does not
/// inflate the estimate; overuse → 0.85 × the acknowledged throughput, at most once per 200 ms;
/// underuse → hold (the queue is draining).
/// </summary>
internal sealed class AimdRateControl(long initialBitsPerSecond, long minBitsPerSecond, long maxBitsPerSecond)
{
    private const double Beta = 0.85;
    private const double IncreasePerSecond = 1.08;
    private const long DecreaseIntervalMicros = 200_000;

    private long _lastUpdateMicros = long.MinValue;
    private long _lastDecreaseMicros = long.MinValue;

    public long BitsPerSecond { get; private set; } = initialBitsPerSecond;

    /// <summary>A probe proved the path carries <paramref name="bitsPerSecond"/>.</summary>
    public void Raise(long bitsPerSecond) => BitsPerSecond = Math.Clamp(Math.Max(BitsPerSecond, bitsPerSecond), minBitsPerSecond, maxBitsPerSecond);

    public void Update(BandwidthUsage usage, long ackedBitsPerSecond, long nowMicros)
    {
        var elapsed = _lastUpdateMicros == long.MinValue ? 0 : Math.Min(nowMicros - _lastUpdateMicros, 1_000_000);
        _lastUpdateMicros = nowMicros;
        switch (usage)
        {
            case BandwidthUsage.Overusing:
                if (_lastDecreaseMicros != long.MinValue && nowMicros - _lastDecreaseMicros < DecreaseIntervalMicros)
                    return;
                _lastDecreaseMicros = nowMicros;
                var basis = ackedBitsPerSecond > 0 ? Math.Min(ackedBitsPerSecond, BitsPerSecond) : BitsPerSecond;
                BitsPerSecond = Math.Max(minBitsPerSecond, (long)(basis * Beta));
                return;
            case BandwidthUsage.Underusing:
                return;
            default:
                var increased = (long)(BitsPerSecond * Math.Pow(IncreasePerSecond, elapsed / 1e6));
                if (ackedBitsPerSecond > 0)
                    increased = Math.Min(increased, Math.Max(BitsPerSecond, (long)(1.5 * ackedBitsPerSecond) + 10_000));
                BitsPerSecond = Math.Clamp(increased, minBitsPerSecond, maxBitsPerSecond);
                return;
        }
    }
}
