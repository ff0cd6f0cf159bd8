using System.Diagnostics;

namespace Sotto.Load.Media;

/// <summary>
/// One-way delays in 10 µs buckets up to 1 s (the last bucket holds everything above), filled
/// lock-free from every receive loop. Percentiles are bucket upper bounds: ±10 µs.
/// </summary>
internal sealed class DelayHistogram
{
    public const long BucketMicroseconds = 10;
    private const int BucketCount = 100_000;
    private readonly long[] _buckets = new long[BucketCount + 1];
    private long _count;

    public long Count => Volatile.Read(ref _count);

    public void Record(long sendTicks, long receiveTicks)
    {
        long micros = (receiveTicks - sendTicks) * 1_000_000 / Stopwatch.Frequency;
        long bucket = micros < 0 ? 0 : Math.Min(micros / BucketMicroseconds, BucketCount);
        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _count);
    }

    public void Reset()
    {
        Array.Clear(_buckets);
        Volatile.Write(ref _count, 0);
    }

    /// <summary>The delay in milliseconds below which <paramref name="quantile"/> of the samples fall (NaN when empty).</summary>
    public double Percentile(double quantile)
    {
        long total = 0;
        for (int i = 0; i < _buckets.Length; i++)
            total += Volatile.Read(ref _buckets[i]);
        if (total == 0)
            return double.NaN;
        long rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += Volatile.Read(ref _buckets[i]);
            if (seen >= rank)
                return Math.Min(i + 1, BucketCount) * BucketMicroseconds / 1000.0;
        }
        return BucketCount * BucketMicroseconds / 1000.0;
    }
}
