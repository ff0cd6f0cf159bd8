using System.Collections.Concurrent;
using Sotto.Transport;

namespace Sotto.Sfu.Tests.Support;

/// <summary>Keeps a copy of every decrypted RTP and RTCP packet a client transport receives.</summary>
internal sealed class PacketRecorder : IWebRtcTransportListener
{
    public ConcurrentQueue<byte[]> Rtp { get; } = new();

    public ConcurrentQueue<byte[]> Rtcp { get; } = new();

    public void OnConnected(WebRtcTransport transport)
    {
    }

    public void OnRtp(WebRtcTransport transport, Span<byte> packet) => Rtp.Enqueue(packet.ToArray());

    public void OnRtcp(WebRtcTransport transport, Span<byte> packet) => Rtcp.Enqueue(packet.ToArray());

    public void OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error)
    {
    }
}
