using Sotto.Rtc.Rtcp;

namespace Sotto.Sfu.Adaptation.Estimation;

/// <summary>
/// One subscriber's downlink bandwidth estimate, from the transport-cc feedback its browser sends
/// for everything the SFU sends it (media, RTX and probe padding). The minimum of two controllers:
/// <list type="bullet">
/// <item>delay-based (<see cref="TrendlineEstimator"/> + <see cref="AimdRateControl"/>): a growing
/// queue is seen before packets are lost;</item>
/// <item>loss-based (libwebrtc's SendSideBandwidthEstimation rules, draft-ietf-rmcat-gcc-02 §6): over
/// 10 % lost → rate × (1 − loss/2), but not below 0.85 × the acknowledged throughput; under 2 % → +8 %
/// per second; in between, hold.</item>
/// </list>
/// Probing: while the SFU pads toward a higher rate (<see cref="BeginProbe"/>), the packets sent are
/// marked; once their feedback is in, a probe delivered with under 5 % loss and no overuse proves the
/// path carried that rate, and the estimate jumps to 90 % of it (libwebrtc's ProbeBitrateEstimator
/// does the same) instead of creeping up at 8 % per second.
/// Times are microseconds on the SFU's clock (send) and the browser's clock (arrival): only
/// differences of each are used.
/// </summary>
internal sealed class DownlinkEstimator
{
    public const long MinBitsPerSecond = 50_000;
    public const long MaxBitsPerSecond = 30_000_000;

    private const int MinLossPackets = 20;
    private const long LossIntervalMicros = 300_000;
    private const long AckedWindowMicros = 250_000;
    private const double AckedSmoothing = 0.5;
    private const double AckedFloor = 0.85;

    private const double ProbeMaxLoss = 0.05;
    private const double ProbeUse = 0.9;
    private const long ProbeResultTimeoutMicros = 1_000_000;

    /// <summary>Loss this soon after a probe raised the estimate means the probe only filled a buffer: it counts as failed.</summary>
    private const long ProbeAftermathMicros = 3_000_000;

    private readonly SentPacketHistory _history = new();
    private readonly TrendlineEstimator _trendline = new();
    private readonly AimdRateControl _delayBased;
    private long _lossBased;
    private long _lastLossUpdateMicros = long.MinValue;
    private long _lastLossIncreaseMicros = long.MinValue;
    private int _windowLost;
    private int _windowReported;
    private long _ackedWindowStart = long.MinValue;
    private long _ackedWindowBytes;

    // The probe in flight.
    private bool _probing;
    private long _probeEndMicros = long.MinValue;
    private int _probeSent;
    private int _probeReported;
    private int _probeLost;
    private long _probeBytes;
    private long _probeFirstArrival;
    private long _probeLastArrival;
    private long _probeFirstSend;
    private long _probeLastSend;
    private long _lastProbeRaiseMicros = long.MinValue;

    public DownlinkEstimator(long initialBitsPerSecond)
    {
        _delayBased = new AimdRateControl(initialBitsPerSecond, MinBitsPerSecond, MaxBitsPerSecond);
        _lossBased = initialBitsPerSecond;
    }

    /// <summary>The estimate: what may be sent to this subscriber, in bits per second.</summary>
    public long BitsPerSecond => Math.Min(_delayBased.BitsPerSecond, _lossBased);

    public long DelayBasedBitsPerSecond => _delayBased.BitsPerSecond;

    public long LossBasedBitsPerSecond => _lossBased;

    /// <summary>Throughput the subscriber acknowledged, smoothed.</summary>
    public long AckedBitsPerSecond { get; private set; }

    /// <summary>Fraction lost in the last loss window (0–1).</summary>
    public double LossFraction { get; private set; }

    public BandwidthUsage Usage => _trendline.State;

    /// <summary>True once a feedback has been applied: before that the estimate is only the initial guess.</summary>
    public bool HasFeedback { get; private set; }

    /// <summary>True between <see cref="BeginProbe"/> and the evaluation of its feedback.</summary>
    public bool IsProbing => _probing;

    /// <summary>The result of the last probe: the rate it proved (0 if it failed).</summary>
    public long LastProbeBitsPerSecond { get; private set; }

    public int ProbesSucceeded { get; private set; }

    public int ProbesFailed { get; private set; }

    /// <summary>When loss last cut the estimate (microseconds; long.MinValue: never): no probing right after.</summary>
    public long LastLossDecreaseMicros { get; private set; } = long.MinValue;

    public void OnPacketSent(ushort transportSequence, int size, long nowMicros)
    {
        var inProbe = _probing && nowMicros <= _probeEndMicros;
        if (inProbe)
            _probeSent++;
        _history.OnSent(transportSequence, size, nowMicros, inProbe);
    }

    /// <summary>Packets sent from now until <paramref name="endMicros"/> form a probe.</summary>
    public void BeginProbe(long nowMicros, long endMicros)
    {
        _probing = true;
        _probeEndMicros = endMicros;
        _probeSent = _probeReported = _probeLost = 0;
        _probeBytes = 0;
        _probeFirstArrival = _probeFirstSend = long.MaxValue;
        _probeLastArrival = _probeLastSend = long.MinValue;
    }

    public void OnFeedback(scoped in TransportWideCcFeedback feedback, long nowMicros)
    {
        HasFeedback = true;
        if (_ackedWindowStart == long.MinValue)
            _ackedWindowStart = nowMicros;
        foreach (var status in feedback)
        {
            if (!_history.TryTake(status.SequenceNumber, out var sendMicros, out var size, out var probe))
                continue; // not ours, or reported twice
            _windowReported++;
            if (probe)
                OnProbePacket(status, sendMicros, size);
            if (!status.IsReceived)
            {
                _windowLost++;
                continue;
            }
            _ackedWindowBytes += size;
            _trendline.OnPacket(sendMicros, status.ArrivalTimeMicros);
        }
        UpdateAcked(nowMicros);
        _delayBased.Update(_trendline.State, AckedBitsPerSecond, nowMicros);
        UpdateLossBased(nowMicros);
        EvaluateProbe(nowMicros);
    }

    private void OnProbePacket(TransportCcPacketStatus status, long sendMicros, int size)
    {
        _probeReported++;
        if (!status.IsReceived)
        {
            _probeLost++;
            return;
        }
        _probeBytes += size;
        _probeFirstArrival = Math.Min(_probeFirstArrival, status.ArrivalTimeMicros);
        _probeLastArrival = Math.Max(_probeLastArrival, status.ArrivalTimeMicros);
        _probeFirstSend = Math.Min(_probeFirstSend, sendMicros);
        _probeLastSend = Math.Max(_probeLastSend, sendMicros);
    }

    private void EvaluateProbe(long nowMicros)
    {
        if (!_probing || nowMicros <= _probeEndMicros)
            return;
        if (_probeReported < _probeSent && nowMicros - _probeEndMicros < ProbeResultTimeoutMicros)
            return; // feedback still on its way
        _probing = false;
        var loss = _probeSent == 0 ? 1.0 : 1.0 - ((_probeReported - _probeLost) / (double)_probeSent);
        // The slower of the send and the receive rate (libwebrtc: a probe is never credited faster than it was sent).
        var span = Math.Max(_probeLastArrival - _probeFirstArrival, _probeLastSend - _probeFirstSend);
        if (loss > ProbeMaxLoss || span <= 0 || _probeReported < 5 || _trendline.State == BandwidthUsage.Overusing)
        {
            LastProbeBitsPerSecond = 0;
            ProbesFailed++;
            return;
        }
        var rate = _probeBytes * 8 * 1_000_000 / span;
        LastProbeBitsPerSecond = rate;
        ProbesSucceeded++;
        var proven = (long)(rate * ProbeUse);
        if (proven > BitsPerSecond)
        {
            _delayBased.Raise(proven);
            _lossBased = Math.Max(_lossBased, proven);
            _lastProbeRaiseMicros = nowMicros;
        }
    }

    private void UpdateAcked(long nowMicros)
    {
        var elapsed = nowMicros - _ackedWindowStart;
        if (elapsed < AckedWindowMicros)
            return;
        var measured = _ackedWindowBytes * 8 * 1_000_000 / elapsed;
        AckedBitsPerSecond = AckedBitsPerSecond == 0 ? measured : (long)((AckedBitsPerSecond * (1 - AckedSmoothing)) + (measured * AckedSmoothing));
        _ackedWindowBytes = 0;
        _ackedWindowStart = nowMicros;
    }

    private void UpdateLossBased(long nowMicros)
    {
        if (_windowReported < MinLossPackets || (_lastLossUpdateMicros != long.MinValue && nowMicros - _lastLossUpdateMicros < LossIntervalMicros))
            return;
        LossFraction = _windowLost / (double)_windowReported;
        _windowLost = 0;
        _windowReported = 0;
        var elapsed = _lastLossUpdateMicros == long.MinValue ? 0 : nowMicros - _lastLossUpdateMicros;
        _lastLossUpdateMicros = nowMicros;
        if (LossFraction > 0.10)
        {
            // Never below what the path demonstrably delivers (× 0.85, GCC's β): while a layer switch
            // is under way the old layer's losses go on for a key-frame interval, and cutting on them
            // again and again would undershoot far below the link (libwebrtc's loss-based v2 bounds
            // its estimate by the acknowledged rate for the same reason).
            var floor = Math.Max(MinBitsPerSecond, (long)(AckedBitsPerSecond * AckedFloor));
            _lossBased = Math.Max(Math.Min(floor, BitsPerSecond), (long)(BitsPerSecond * (1 - (0.5 * LossFraction))));
            LastLossDecreaseMicros = nowMicros;
            if (_lastProbeRaiseMicros != long.MinValue && nowMicros - _lastProbeRaiseMicros < ProbeAftermathMicros)
            {
                // The probe got through a buffer, not a wider path (a policer's bucket, a short queue).
                _lastProbeRaiseMicros = long.MinValue;
                ProbesFailed++;
            }
            _lastLossIncreaseMicros = nowMicros;
        }
        else if (LossFraction < 0.02)
        {
            // Grow from what the path carries now: after a loss episode the estimate climbs back
            // (recovery), while a loss-free path never lets this half limit the delay-based one.
            var seconds = _lastLossIncreaseMicros == long.MinValue ? elapsed / 1e6 : (nowMicros - _lastLossIncreaseMicros) / 1e6;
            _lastLossIncreaseMicros = nowMicros;
            _lossBased = Math.Min(MaxBitsPerSecond, Math.Max(_lossBased, (long)(_lossBased * Math.Pow(1.08, Math.Min(seconds, 1.0)))) + 1_000);
        }
    }
}
