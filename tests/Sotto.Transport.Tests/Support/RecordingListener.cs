using System.Collections.Concurrent;

namespace Sotto.Transport.Tests.Support;

/// <summary>Keeps what a transport delivers, for assertions.</summary>
internal sealed class RecordingListener : IWebRtcTransportListener
{
    private readonly TaskCompletionSource<WebRtcTransportCloseReason> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<byte[]> Rtp { get; } = new();

    public ConcurrentQueue<byte[]> Rtcp { get; } = new();

    public Task<WebRtcTransportCloseReason> Closed => _closed.Task;

    public Exception? CloseError { get; private set; }

    public void OnConnected(WebRtcTransport transport)
    {
    }

    public void OnRtp(WebRtcTransport transport, Span<byte> packet) => Rtp.Enqueue(packet.ToArray());

    public void OnRtcp(WebRtcTransport transport, Span<byte> packet) => Rtcp.Enqueue(packet.ToArray());

    public void OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error)
    {
        CloseError = error;
        _closed.TrySetResult(reason);
    }
}
