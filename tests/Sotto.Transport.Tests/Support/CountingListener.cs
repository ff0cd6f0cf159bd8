namespace Sotto.Transport.Tests.Support;

/// <summary>Counts deliveries and allocates nothing, so allocation measurements see only the transport.</summary>
internal sealed class CountingListener : IWebRtcTransportListener
{
    private long _rtp;
    private long _rtpBytes;

    public long Rtp => Interlocked.Read(ref _rtp);

    public long RtpBytes => Interlocked.Read(ref _rtpBytes);

    public void OnConnected(WebRtcTransport transport)
    {
    }

    public void OnRtp(WebRtcTransport transport, Span<byte> packet)
    {
        Interlocked.Increment(ref _rtp);
        Interlocked.Add(ref _rtpBytes, packet.Length);
    }

    public void OnRtcp(WebRtcTransport transport, Span<byte> packet)
    {
    }

    public void OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error)
    {
    }
}
