using System.Net;
using System.Net.Sockets;

namespace Sotto.Transport.Tests.Support;

/// <summary>
/// A user-space UDP relay between one client and one server (the kernel here has no netem,
/// DESIGN.md §9) that can drop chosen server→client datagrams, or hold them back until
/// <see cref="ReleaseHeld"/> so that later ones overtake them.
/// </summary>
internal sealed class LossyUdpProxy : IDisposable
{
    private readonly Socket _clientSide = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _serverSide = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _server;
    private readonly Func<byte[], bool> _dropTowardsClient;
    private readonly Func<byte[], bool>? _holdTowardsClient;
    private readonly List<byte[]> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private EndPoint? _client;
    private int _dropped;

    public LossyUdpProxy(IPEndPoint server, Func<byte[], bool> dropTowardsClient, Func<byte[], bool>? holdTowardsClient = null)
    {
        _server = server;
        _dropTowardsClient = dropTowardsClient;
        _holdTowardsClient = holdTowardsClient;
        _clientSide.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _serverSide.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loops = [Task.Run(ClientToServerAsync), Task.Run(ServerToClientAsync)];
    }

    /// <summary>Where the client should send: the proxy's client-facing port.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_clientSide.LocalEndPoint!;

    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>Server→client datagrams held back so far (released ones included).</summary>
    public int HeldCount { get; private set; }

    /// <summary>Server→client datagrams forwarded so far (released ones included).</summary>
    public int Forwarded => Volatile.Read(ref _forwarded);

    private int _forwarded;

    /// <summary>Sends what was held back, in order; nothing is held after this.</summary>
    public async Task ReleaseHeldAsync()
    {
        byte[][] held;
        lock (_held)
        {
            _releasing = true;
            held = [.. _held];
            _held.Clear();
        }

        foreach (var datagram in held)
        {
            await _clientSide.SendToAsync(datagram, SocketFlags.None, _client!);
            Interlocked.Increment(ref _forwarded);
        }
    }

    private bool _releasing;

    private async Task ClientToServerAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var result = await _clientSide.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                _client = result.RemoteEndPoint;
                await _serverSide.SendToAsync(buffer.AsMemory(0, result.ReceivedBytes), SocketFlags.None, _server, _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
            }
        }
    }

    private async Task ServerToClientAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var result = await _serverSide.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                byte[] datagram = buffer[..result.ReceivedBytes];
                if (_dropTowardsClient(datagram))
                {
                    Interlocked.Increment(ref _dropped);
                    continue;
                }

                if (_holdTowardsClient is { } hold)
                {
                    lock (_held)
                    {
                        if (!_releasing && hold(datagram))
                        {
                            _held.Add(datagram);
                            HeldCount++;
                            continue;
                        }
                    }
                }

                if (_client is { } client)
                {
                    await _clientSide.SendToAsync(datagram, SocketFlags.None, client, _stop.Token);
                    Interlocked.Increment(ref _forwarded);
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _clientSide.Dispose();
        _serverSide.Dispose();
        try
        {
            Task.WaitAll(_loops, TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}
