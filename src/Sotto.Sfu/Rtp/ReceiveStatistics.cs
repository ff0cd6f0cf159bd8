using Sotto.Rtc.Rtcp;

namespace Sotto.Sfu.Rtp;

/// <summary>
/// Reception statistics of one incoming SSRC, as RFC 3550 Appendix A.3 (sequence numbers, loss) and
/// A.8 (interarrival jitter) compute them, producing the report block of our receiver report.
/// </summary>
internal struct ReceiveStatistics
{
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private const int SequenceModulus = 1 << 16;

    private bool _initialized;
    private ushort _maxSequence;
    private uint _cycles;
    private uint _baseSequence;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private double _jitter;
    private long _lastTransit;
    private bool _hasTransit;
    private uint _lastSenderReport;
    private long _lastSenderReportArrivalTicks;

    public readonly long Received => _received;

    /// <summary>Unwraps <paramref name="sequenceNumber"/> into the 32-bit extended form (cycles | seq).</summary>
    public readonly uint ExtendedHighest => _cycles + _maxSequence;

    /// <summary>Counts a packet (RFC 3550 A.1 update_seq, simplified: no probation, a big jump resynchronises).</summary>
    public void OnPacket(ushort sequenceNumber, uint rtpTimestamp, long arrivalTicks, int clockRate)
    {
        if (!_initialized)
        {
            _initialized = true;
            _maxSequence = sequenceNumber;
            _baseSequence = sequenceNumber;
            _cycles = 0;
        }
        else
        {
            var delta = (ushort)(sequenceNumber - _maxSequence);
            if (delta < MaxDropout)
            {
                if (sequenceNumber < _maxSequence)
                    _cycles += SequenceModulus;
                _maxSequence = sequenceNumber;
            }
            else if (delta <= SequenceModulus - MaxMisorder)
            {
                // A very large jump: the sender restarted; start over (A.1 would wait for a second packet).
                _maxSequence = sequenceNumber;
                _baseSequence = sequenceNumber;
                _cycles = 0;
                _received = 0;
                _expectedPrior = 0;
                _receivedPrior = 0;
            }
        }
        _received++;

        // A.8: transit = arrival (in RTP units) - timestamp; J += (|D| - J) / 16.
        var arrival = arrivalTicks * clockRate / TimeSpan.TicksPerSecond;
        var transit = arrival - rtpTimestamp;
        if (_hasTransit)
        {
            var d = Math.Abs((int)(transit - _lastTransit));
            _jitter += (d - _jitter) / 16;
        }
        _lastTransit = transit;
        _hasTransit = true;
    }

    public readonly bool HasPackets => _initialized;

    public void OnSenderReport(ulong ntpTimestamp, long arrivalTicks)
    {
        _lastSenderReport = NtpTime.Compact(ntpTimestamp);
        _lastSenderReportArrivalTicks = arrivalTicks;
    }

    /// <summary>The report block for <paramref name="ssrc"/> since the previous one (RFC 3550 §6.4.1, A.3).</summary>
    public ReportBlock CreateReportBlock(uint ssrc, long nowTicks)
    {
        long extendedMax = _cycles + _maxSequence;
        var expected = extendedMax - _baseSequence + 1;
        var lost = expected - _received;
        var expectedInterval = expected - _expectedPrior;
        var receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        var lostInterval = expectedInterval - receivedInterval;
        var fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
        uint delay = 0;
        if (_lastSenderReport != 0)
        {
            // DLSR in 1/65536 s.
            delay = (uint)((nowTicks - _lastSenderReportArrivalTicks) * 65536 / TimeSpan.TicksPerSecond);
        }
        return new ReportBlock
        {
            Ssrc = ssrc,
            FractionLost = (byte)fraction,
            CumulativeLost = (int)Math.Clamp(lost, -0x800000, 0x7FFFFF),
            ExtendedHighestSequenceNumber = (uint)extendedMax,
            Jitter = (uint)_jitter,
            LastSenderReport = _lastSenderReport,
            DelaySinceLastSenderReport = delay,
        };
    }
}
