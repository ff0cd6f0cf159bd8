using System.Net;
using System.Net.Sockets;
using Sotto.Load.Media;

namespace Sotto.Load.Peers;

/// <summary>
/// A participant's socket towards the plain UDP relay (the floor): RTP in the clear, no ICE, DTLS
/// or SRTP. Each sent packet is padded by 16 octets so the wire size equals the SRTP packet's.
/// </summary>
internal sealed class PlainPeer : IRtpSink, IAsyncDisposable
{
    private const int TagOverhead = 16;
    private readonly Socket _socket;
    private readonly SocketAddress _relay;
    private readonly byte[] _sendBuffer = new byte[1600];
    private readonly Task _receive;
    private readonly CancellationTokenSource _stop = new();

    public PlainPeer(IPAddress localAddress, IPEndPoint relay)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        _socket.Bind(new IPEndPoint(localAddress, 0));
        _relay = relay.Serialize();
        _receive = Task.Run(ReceiveLoopAsync);
    }

    public SubscriberCounters? Counters { get; set; }

    /// <summary>Tells the relay who we are: <see cref="RelayProtocol"/>.</summary>
    public void Register(RelayRole role, uint room, uint participant)
    {
        Span<byte> hello = stackalloc byte[RelayProtocol.HelloLength];
        RelayProtocol.WriteHello(hello, role, room, participant);
        _socket.SendTo(hello, SocketFlags.None, _relay);
    }

    public bool SendRtp(ReadOnlySpan<byte> packet)
    {
        packet.CopyTo(_sendBuffer);
        _sendBuffer.AsSpan(packet.Length, TagOverhead).Clear();
        try
        {
            _socket.SendTo(_sendBuffer.AsSpan(0, packet.Length + TagOverhead), SocketFlags.None, _relay);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = GC.AllocateArray<byte>(2048, pinned: true);
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (!_stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, _stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            if (received > TagOverhead)
                Counters?.OnRtp(buffer.AsSpan(0, received - TagOverhead), received);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _receive;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
