using System.Net;
using System.Net.Sockets;
using Sotto.Load.Peers;

namespace Sotto.Load.Targets;

/// <summary>
/// The floor: the same datagrams through a plain UDP relay — one socket, one thread, a table
/// lookup by source address and one sendto per subscriber; no ICE, DTLS, SRTP or RTP parsing.
/// What this machine can move at all, for comparing CPU per forwarded packet.
/// </summary>
internal sealed class UdpRelayServer : IDisposable
{
    private readonly Socket _socket;
    private readonly Dictionary<SocketAddress, (uint Room, uint Participant)> _publishers = [];
    private readonly Dictionary<uint, List<(SocketAddress Address, uint Participant)>> _subscribers = [];

    public UdpRelayServer(IPEndPoint bind)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = 4 << 20,
            SendBufferSize = 4 << 20,
        };
        _socket.Bind(bind);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public long Forwarded { get; private set; }

    /// <summary>Runs until the socket is closed (the process is killed by the harness).</summary>
    public void Run()
    {
        byte[] buffer = GC.AllocateArray<byte>(2048, pinned: true);
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (true)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            ReadOnlySpan<byte> datagram = buffer.AsSpan(0, length);
            if (_publishers.TryGetValue(from, out var publisher))
            {
                if (!_subscribers.TryGetValue(publisher.Room, out var subscribers))
                    continue;
                foreach (var (address, participant) in subscribers)
                {
                    if (participant == publisher.Participant)
                        continue;
                    try
                    {
                        _socket.SendTo(datagram, SocketFlags.None, address);
                        Forwarded++;
                    }
                    catch (SocketException)
                    {
                        // A subscriber that went away; the relay keeps going for the others.
                    }
                }
            }
            else if (RelayProtocol.TryReadHello(datagram, out RelayRole role, out uint room, out uint id))
            {
                var key = new SocketAddress(from.Family, from.Size);
                from.Buffer.Span[..from.Size].CopyTo(key.Buffer.Span);
                if (role == RelayRole.Reset)
                {
                    _publishers.Clear();
                    _subscribers.Clear();
                }
                else if (role == RelayRole.Publisher)
                {
                    _publishers[key] = (room, id);
                }
                else
                {
                    if (!_subscribers.TryGetValue(room, out var list))
                        _subscribers[room] = list = [];
                    list.Add((key, id));
                }
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
