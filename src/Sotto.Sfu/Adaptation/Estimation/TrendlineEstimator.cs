namespace Sotto.Sfu.Adaptation.Estimation;

/// <summary>What the delay-based detector concludes about the path (draft-ietf-rmcat-gcc-02 §5.4).</summary>
internal enum BandwidthUsage
{
    Normal,
    Underusing,
    Overusing,
}

/// <summary>
/// The delay-based half of Google Congestion Control (draft-ietf-rmcat-gcc-02 §5; libwebrtc's trendline
/// variant): packets sent within 5 ms form a group (§5.2); the growth of one-way delay between groups
/// is accumulated and smoothed, and the slope of a least-squares line over the last 20 groups is the
/// trend. A trend above an adaptive threshold (§5.4) for more than 10 ms means a queue is building:
/// overuse. Times in microseconds.
/// </summary>
internal sealed class TrendlineEstimator
{
    private const long BurstMicros = 5_000;
    private const long MaxBurstDurationMicros = 100_000;
    private const int WindowSize = 20;
    private const double Smoothing = 0.9;
    private const double TrendGain = 4.0;
    private const double MaxDeltas = 60;
    private const double OveruseTimeMillis = 10;
    private const double ThresholdUp = 0.0087;   // k_u
    private const double ThresholdDown = 0.039;  // k_d
    private const double MinThreshold = 6;
    private const double MaxThreshold = 600;
    private const double MaxThresholdUpdateGap = 15;

    private readonly double[] _arrivalMillis = new double[WindowSize];
    private readonly double[] _smoothedDelay = new double[WindowSize];
    private int _windowCount;
    private int _windowNext;

    // The group being collected and the last complete one.
    private bool _hasGroup;
    private long _groupFirstSend;
    private long _groupLastSend;
    private long _groupLastArrival;
    private long _groupFirstArrival;
    private bool _hasPrevious;
    private long _previousLastSend;
    private long _previousLastArrival;

    private double _accumulatedDelay;
    private double _smoothed;
    private long _firstArrival = long.MinValue;
    private int _deltaCount;
    private double _previousTrend;
    private double _threshold = 12.5;
    private double _overuseMillis;
    private int _overuseCount;
    private long _lastThresholdUpdate = long.MinValue;

    public BandwidthUsage State { get; private set; } = BandwidthUsage.Normal;

    /// <summary>The last modified trend (ms of delay growth, scaled), for diagnostics and tests.</summary>
    public double Trend { get; private set; }

    /// <summary>One received packet, in send order.</summary>
    public void OnPacket(long sendMicros, long arrivalMicros)
    {
        if (!_hasGroup)
        {
            StartGroup(sendMicros, arrivalMicros);
            return;
        }
        if (sendMicros - _groupFirstSend <= BurstMicros || BelongsToBurst(sendMicros, arrivalMicros))
        {
            // The same burst (§5.2): the group ends at its last packet.
            if (sendMicros > _groupLastSend)
                _groupLastSend = sendMicros;
            if (arrivalMicros > _groupLastArrival)
                _groupLastArrival = arrivalMicros;
            return;
        }
        if (sendMicros < _groupFirstSend)
            return; // reordered across groups: libwebrtc skips these too
        if (_hasPrevious)
            OnGroupDelta(_groupLastSend - _previousLastSend, _groupLastArrival - _previousLastArrival, _groupLastArrival);
        _hasPrevious = true;
        _previousLastSend = _groupLastSend;
        _previousLastArrival = _groupLastArrival;
        StartGroup(sendMicros, arrivalMicros);
    }

    /// <summary>
    /// Packets that arrive together after a stall — faster than they were sent, within 5 ms of each
    /// other — are one burst (libwebrtc InterArrival::BelongsToBurst): the delay they show is the
    /// receiver's scheduling, not a queue. Matters on a loaded host and on loopback.
    /// </summary>
    private bool BelongsToBurst(long sendMicros, long arrivalMicros)
    {
        var arrivalDelta = arrivalMicros - _groupLastArrival;
        var sendDelta = sendMicros - _groupLastSend;
        if (sendDelta == 0)
            return true;
        return arrivalDelta - sendDelta < 0 && arrivalDelta <= BurstMicros && arrivalMicros - _groupFirstArrival < MaxBurstDurationMicros;
    }

    private void StartGroup(long sendMicros, long arrivalMicros)
    {
        _hasGroup = true;
        _groupFirstArrival = arrivalMicros;
        _groupFirstSend = sendMicros;
        _groupLastSend = sendMicros;
        _groupLastArrival = arrivalMicros;
    }

    private void OnGroupDelta(long sendDelta, long arrivalDelta, long arrivalMicros)
    {
        var delayDeltaMillis = (arrivalDelta - sendDelta) / 1000.0;
        if (_firstArrival == long.MinValue)
            _firstArrival = arrivalMicros;
        _deltaCount++;
        _accumulatedDelay += delayDeltaMillis;
        _smoothed = (Smoothing * _smoothed) + ((1 - Smoothing) * _accumulatedDelay);

        _arrivalMillis[_windowNext] = (arrivalMicros - _firstArrival) / 1000.0;
        _smoothedDelay[_windowNext] = _smoothed;
        _windowNext = (_windowNext + 1) % WindowSize;
        if (_windowCount < WindowSize)
            _windowCount++;
        if (_windowCount == WindowSize && Slope() is { } slope)
            Trend = Math.Min(_deltaCount, MaxDeltas) * slope * TrendGain;
        Detect(sendDelta / 1000.0, arrivalMicros);
    }

    /// <summary>Least-squares slope of smoothed delay over arrival time (libwebrtc LinearFitSlope).</summary>
    private double? Slope()
    {
        double sumX = 0, sumY = 0;
        for (var i = 0; i < _windowCount; i++)
        {
            sumX += _arrivalMillis[i];
            sumY += _smoothedDelay[i];
        }
        var meanX = sumX / _windowCount;
        var meanY = sumY / _windowCount;
        double numerator = 0, denominator = 0;
        for (var i = 0; i < _windowCount; i++)
        {
            var dx = _arrivalMillis[i] - meanX;
            numerator += dx * (_smoothedDelay[i] - meanY);
            denominator += dx * dx;
        }
        return denominator == 0 ? null : numerator / denominator;
    }

    /// <summary>The over-use detector with its adaptive threshold (draft-ietf-rmcat-gcc-02 §5.4, §5.5).</summary>
    private void Detect(double sendDeltaMillis, long nowMicros)
    {
        var trend = Trend;
        if (trend > _threshold)
        {
            _overuseMillis = _overuseMillis < 0 ? sendDeltaMillis / 2 : _overuseMillis + sendDeltaMillis;
            _overuseCount++;
            if (_overuseMillis > OveruseTimeMillis && _overuseCount > 1 && trend >= _previousTrend)
            {
                _overuseMillis = 0;
                _overuseCount = 0;
                State = BandwidthUsage.Overusing;
            }
        }
        else if (trend < -_threshold)
        {
            _overuseMillis = -1;
            _overuseCount = 0;
            State = BandwidthUsage.Underusing;
        }
        else
        {
            _overuseMillis = -1;
            _overuseCount = 0;
            State = BandwidthUsage.Normal;
        }
        _previousTrend = trend;
        UpdateThreshold(trend, nowMicros);
    }

    private void UpdateThreshold(double trend, long nowMicros)
    {
        if (_lastThresholdUpdate == long.MinValue)
            _lastThresholdUpdate = nowMicros;
        var magnitude = Math.Abs(trend);
        if (magnitude > _threshold + MaxThresholdUpdateGap)
        {
            // A sudden spike (a key frame burst) must not drag the threshold along.
            _lastThresholdUpdate = nowMicros;
            return;
        }
        var k = magnitude < _threshold ? ThresholdDown : ThresholdUp;
        var elapsedMillis = Math.Min((nowMicros - _lastThresholdUpdate) / 1000.0, 100);
        _threshold = Math.Clamp(_threshold + (k * (magnitude - _threshold) * elapsedMillis), MinThreshold, MaxThreshold);
        _lastThresholdUpdate = nowMicros;
    }
}
