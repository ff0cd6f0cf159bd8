using System.Net;
using System.Net.Sockets;
using Sotto.Transport.Dtls;

namespace Sotto.Transport.Tests.Support;

/// <summary>
/// Test-only wiring for raw DTLS over a plain UDP socket (no ICE): OpenSSL speaks DTLS straight
/// to a port, so the mux's "bind by a valid STUN check" rule cannot apply. The first sender
/// becomes the peer when none is given.
/// </summary>
internal sealed class UdpDatagramPeer : IDatagramSender, IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;
    private EndPoint? _remote;

    public UdpDatagramPeer(IPEndPoint? remote = null, int receiveLimit = 65535)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _remote = remote;
        Channel = new DtlsDatagramChannel(this, mtu: 1200, receiveLimit);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public DtlsDatagramChannel Channel { get; }

    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public void SendDatagram(ReadOnlySpan<byte> datagram)
    {
        EndPoint remote = Volatile.Read(ref _remote) ?? throw new InvalidOperationException("No peer yet.");
        _socket.SendTo(datagram, SocketFlags.None, remote);
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP port unreachable from a peer that went away.
            }

            Interlocked.CompareExchange(ref _remote, result.RemoteEndPoint, null);
            Channel.Deliver(buffer.AsSpan(0, result.ReceivedBytes));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _receiveLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        Channel.Close();
        _stop.Dispose();
    }
}
