using Sotto.Sfu.Stages;

namespace Sotto.Browser.Tests.Adaptation;

/// <summary>
/// Test-only downlink limit (the kernel here has no netem): a token-bucket policer on everything the
/// SFU sends one subscriber — media, RTX and probe padding, counted by whole RTP packet length — that
/// drops what exceeds the rate, like a narrow link with a short buffer. Plugged in through the SFU's
/// <see cref="IMediaPathStage"/> extension point (DI), so the SFU sees the loss only as a real sender
/// would: in the subscriber's transport-cc feedback and NACKs.
/// </summary>
internal sealed class DownlinkShaper : IMediaPathStage
{
    /// <summary>The bucket holds 300 ms at the rate (a link buffer): a key frame's burst fits, a sustained excess does not.</summary>
    private static readonly double BucketSeconds = 0.3;

    private readonly object _sync = new();
    private string? _subscriberId;
    private long _bitsPerSecond;
    private double _tokens;
    private long _lastTicks;

    public long Dropped { get; private set; }

    public long Passed { get; private set; }

    /// <summary>Limits what <paramref name="subscriberId"/> receives to <paramref name="bitsPerSecond"/>.</summary>
    public void Limit(string subscriberId, long bitsPerSecond)
    {
        lock (_sync)
        {
            _subscriberId = subscriberId;
            _bitsPerSecond = bitsPerSecond;
            _tokens = bitsPerSecond / 8.0 * BucketSeconds;
            _lastTicks = Environment.TickCount64;
        }
    }

    public void Lift()
    {
        lock (_sync)
            _subscriberId = null;
    }

    public bool OnPacketFromPublisher(scoped in MediaPathPacket packet) => true;

    public bool OnPacketToSubscriber(scoped in MediaPathPacket packet)
    {
        lock (_sync)
        {
            if (_subscriberId is null || packet.SubscriberId != _subscriberId)
                return true;
            var now = Environment.TickCount64;
            var bucket = _bitsPerSecond / 8.0 * BucketSeconds;
            _tokens = Math.Min(bucket, _tokens + ((now - _lastTicks) * _bitsPerSecond / 8000.0));
            _lastTicks = now;
            if (_tokens < packet.PacketLength)
            {
                Dropped++;
                return false;
            }
            _tokens -= packet.PacketLength;
            Passed++;
            return true;
        }
    }
}
