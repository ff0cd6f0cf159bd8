using Sotto.Rtc.Rtcp;
using Sotto.Sfu.Adaptation.Estimation;

namespace Sotto.Sfu.Tests.Adaptation;

/// <summary>
/// A synthetic downlink for the estimator: a bottleneck of <see cref="CapacityBitsPerSecond"/> with a
/// FIFO queue (a packet waits behind the ones before it; over <see cref="MaxQueueMicros"/> of queue it is
/// dropped, a tail-drop router) or, with <see cref="Policer"/>, a token bucket that drops what exceeds the
/// rate without queueing (the browser tests' shaping stage). The receiver reports arrivals every 100 ms
/// as real transport-cc feedback bytes, parsed by the same code the router uses.
/// </summary>
internal sealed class SimulatedLink(DownlinkEstimator estimator)
{
    private const long PropagationMicros = 20_000;
    private const long FeedbackIntervalMicros = 100_000;

    private readonly List<TransportCcArrival> _pending = [];
    private readonly byte[] _feedback = new byte[1200];
    private long _queueFreeAtMicros;
    private double _tokens;
    private long _lastTokenMicros;
    private long _nextFeedbackMicros = FeedbackIntervalMicros;
    private ushort _sequence;
    private TransportCcArrival? _lastReported;
    private byte _feedbackCount;

    public long CapacityBitsPerSecond { get; set; } = 5_000_000;

    public long MaxQueueMicros { get; set; } = 300_000;

    public bool Policer { get; set; }

    public long NowMicros { get; private set; }

    public int Sent { get; private set; }

    public int Lost { get; private set; }

    /// <summary>Sends at <paramref name="rate"/> (bits per second, re-read every packet: a sender that follows the estimate) for <paramref name="seconds"/>.</summary>
    public void Run(Func<long> rate, double seconds, int packetBytes = 1200)
    {
        var end = NowMicros + (long)(seconds * 1_000_000);
        while (NowMicros < end)
        {
            Send(packetBytes);
            NowMicros += Math.Max(100, packetBytes * 8L * 1_000_000 / Math.Max(rate(), 10_000));
            DeliverFeedback();
        }
    }

    private void Send(int bytes)
    {
        var sequence = _sequence++;
        Sent++;
        estimator.OnPacketSent(sequence, bytes, NowMicros);
        var serialization = bytes * 8L * 1_000_000 / CapacityBitsPerSecond;
        if (Policer)
        {
            // Bucket of 20 ms at the rate: bursts beyond it are dropped, nothing waits.
            var bucket = CapacityBitsPerSecond / 8.0 * 0.02;
            _tokens = Math.Min(bucket, _tokens + ((NowMicros - _lastTokenMicros) * CapacityBitsPerSecond / 8.0 / 1_000_000));
            _lastTokenMicros = NowMicros;
            if (_tokens < bytes)
            {
                Lost++;
                return;
            }
            _tokens -= bytes;
            _pending.Add(new TransportCcArrival(sequence, NowMicros + PropagationMicros + serialization));
            return;
        }
        var start = Math.Max(NowMicros, _queueFreeAtMicros);
        if (start - NowMicros > MaxQueueMicros)
        {
            Lost++;
            return;
        }
        _queueFreeAtMicros = start + serialization;
        _pending.Add(new TransportCcArrival(sequence, _queueFreeAtMicros + PropagationMicros));
    }

    private void DeliverFeedback()
    {
        if (NowMicros < _nextFeedbackMicros)
            return;
        _nextFeedbackMicros += FeedbackIntervalMicros;
        // What has arrived by now, in sequence order (a FIFO keeps it so); lost ones are gaps.
        var arrived = _pending.Where(a => a.ArrivalTimeMicros <= NowMicros).ToList();
        if (arrived.Count == 0)
            return;
        _pending.RemoveAll(a => a.ArrivalTimeMicros <= NowMicros);
        // Like libwebrtc, report from the packet after the last one reported, so losses between two
        // feedbacks are reported too: repeat the last reported arrival (the estimator ignores a packet
        // reported twice) and the gap after it is "not received".
        if (_lastReported is { } last)
            arrived.Insert(0, last);
        _lastReported = arrived[^1];
        ReadOnlySpan<TransportCcArrival> rest = arrived.ToArray();
        while (!rest.IsEmpty)
        {
            Assert.True(TransportWideCcFeedback.TryWrite(_feedback, 1, 2, _feedbackCount++, rest, out var written, out var consumed));
            Assert.True(TransportWideCcFeedback.TryParse(_feedback.AsSpan(0, written), out var feedback));
            estimator.OnFeedback(feedback, NowMicros);
            rest = rest[consumed..];
        }
    }
}
