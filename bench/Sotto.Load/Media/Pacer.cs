using System.Diagnostics;

namespace Sotto.Load.Media;

/// <summary>
/// One thread that sends every publisher's media on its schedule: audio every 20 ms, a video frame
/// every 1/fps s (its packets back to back, as an encoder's burst). Publishers are staggered over
/// the period so the server sees a steady stream, not one burst per tick.
/// </summary>
internal sealed class Pacer : IDisposable
{
    private const long AudioIntervalMs = 20;
    private readonly IReadOnlyList<SyntheticPublisher> _publishers;
    private readonly Thread _thread;
    private volatile bool _stop;

    public Pacer(IReadOnlyList<SyntheticPublisher> publishers)
    {
        _publishers = publishers;
        _thread = new Thread(Run) { IsBackground = true, Name = "load pacer", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Times the pacer fell more than one period behind (the generator's send side saturated).</summary>
    public long LateTicks => Volatile.Read(ref _lateTicks);

    private long _lateTicks;

    private void Run()
    {
        int count = _publishers.Count;
        long start = Stopwatch.GetTimestamp();
        long ticksPerMs = Stopwatch.Frequency / 1000;
        var nextAudio = new long[count];
        var nextVideo = new long[count];
        var videoInterval = new long[count];
        for (int i = 0; i < count; i++)
        {
            long offset = AudioIntervalMs * ticksPerMs * i / Math.Max(count, 1);
            nextAudio[i] = start + offset;
            videoInterval[i] = Stopwatch.Frequency / Math.Max(_publishers[i].Profile.FramesPerSecond, 1);
            nextVideo[i] = start + offset;
        }

        while (!_stop)
        {
            long now = Stopwatch.GetTimestamp();
            long nextDue = long.MaxValue;
            for (int i = 0; i < count; i++)
            {
                SyntheticPublisher publisher = _publishers[i];
                if (publisher.Profile.Audio)
                {
                    if (now >= nextAudio[i])
                    {
                        publisher.SendAudio();
                        nextAudio[i] += AudioIntervalMs * ticksPerMs;
                        if (now - nextAudio[i] > AudioIntervalMs * ticksPerMs)
                        {
                            Interlocked.Increment(ref _lateTicks);
                            nextAudio[i] = now + AudioIntervalMs * ticksPerMs;
                        }
                    }
                    nextDue = Math.Min(nextDue, nextAudio[i]);
                }

                if (publisher.Profile.Video)
                {
                    if (now >= nextVideo[i])
                    {
                        publisher.SendVideoFrame();
                        nextVideo[i] += videoInterval[i];
                        if (now - nextVideo[i] > videoInterval[i])
                        {
                            Interlocked.Increment(ref _lateTicks);
                            nextVideo[i] = now + videoInterval[i];
                        }
                    }
                    nextDue = Math.Min(nextDue, nextVideo[i]);
                }
            }

            long wait = nextDue - Stopwatch.GetTimestamp();
            if (wait > ticksPerMs)
                Thread.Sleep((int)Math.Min(wait / ticksPerMs, 50));
            else if (nextDue == long.MaxValue)
                Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
