using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sotto.Rtc.Stun;

namespace Sotto.Transport;

/// <summary>
/// One UDP socket and port shared by every WebRTC transport (DESIGN.md §3). Datagrams are
/// classified by their first byte (RFC 7983) and routed by remote address; an address becomes
/// known only through a STUN Binding request whose USERNAME names a session's local ufrag and
/// whose MESSAGE-INTEGRITY that session verifies (RFC 8445 §7.3). Everything else from unknown
/// addresses is dropped and counted.
/// </summary>
/// <remarks>
/// One receive loop owns one pinned buffer and one <see cref="SocketAddress"/>, both reused for
/// every datagram, and hands sessions a span over it: no allocation per datagram. A single loop
/// also means a session's SRTP contexts and replay windows are only touched by one thread.
/// The loop is a dedicated thread in a blocking recvfrom, not an async receive: on Linux every
/// async completion is an epoll wake-up plus a hop to a thread-pool worker, and under load most of
/// the server's CPU went to those switches and the pool's spinning (perf: 34 % finish_task_switch,
/// 21 % sched_yield, 9 % our own code; docs/performance.md). Forwarding is synchronous sendto on
/// the same thread, so a packet in costs one thread and no context switch.
/// </remarks>
public sealed class UdpMux : IAsyncDisposable
{
    /// <summary>The longest ICE ufrag we look up (RFC 8839 §5.4 allows 256 ice-chars).</summary>
    private const int MaxUfragLength = 256;

    private readonly Socket _socket;
    private readonly UdpMuxOptions _options;
    private readonly ConcurrentDictionary<SocketAddress, IUdpMuxSession> _byAddress = new();
    private readonly ConcurrentDictionary<string, IUdpMuxSession> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IUdpMuxSession>.AlternateLookup<ReadOnlySpan<char>> _byUfragSpan;
    /// <summary>How long a blocking receive waits before the loop looks at the stop flag again.</summary>
    private static readonly TimeSpan StopPollInterval = TimeSpan.FromMilliseconds(200);

    private readonly Thread _receiveLoop;
    private volatile bool _stopping;
    private readonly Timer _housekeeping;
    private int _disposed;

    /// <summary>Binds the socket and starts receiving.</summary>
    public UdpMux(UdpMuxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _byUfragSpan = _byUfrag.GetAlternateLookup<ReadOnlySpan<char>>();

        _socket = new Socket(options.BindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (options.BindAddress.AddressFamily == AddressFamily.InterNetworkV6)
            _socket.DualMode = true;
        _socket.ReceiveBufferSize = options.SocketBufferSize;
        _socket.SendBufferSize = options.SocketBufferSize;
        _socket.Bind(new IPEndPoint(options.BindAddress, options.Port));
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;

        IPAddress announced = options.AnnouncedAddress ?? options.BindAddress;
        AnnouncedEndPoint = new IPEndPoint(announced, LocalEndPoint.Port);

        _socket.ReceiveTimeout = (int)StopPollInterval.TotalMilliseconds;
        _receiveLoop = new Thread(ReceiveLoop) { IsBackground = true, Name = $"sotto-udp-{LocalEndPoint.Port}" };
        _receiveLoop.Start();
        _housekeeping = new Timer(static state => ((UdpMux)state!).Housekeep(), this, options.HousekeepingInterval, options.HousekeepingInterval);
    }

    /// <summary>The bound local address and port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The address and port to announce in our ICE candidate.</summary>
    public IPEndPoint AnnouncedEndPoint { get; }

    /// <summary>Traffic and drop counters.</summary>
    public UdpMuxCounters Counters { get; } = new();

    /// <summary>
    /// Diagnostics: sees every classified datagram before routing (packet capture for test
    /// fixtures). Null in production; costs one null check per datagram.
    /// </summary>
    internal DatagramTap? Tap { get; set; }

    /// <summary>Number of remote addresses currently bound to sessions.</summary>
    public int BoundAddressCount => _byAddress.Count;

    /// <summary>Number of sessions registered by their local ICE ufrag (leak checks).</summary>
    public int RegisteredUfragCount => _byUfrag.Count;

    /// <summary>Sends one datagram synchronously (UDP sendto does not block in practice); false if the kernel refused.</summary>
    public bool TrySend(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, remote);
            return true;
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref Counters.SendErrorCount);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Sends one datagram asynchronously (no allocation when it completes synchronously).</summary>
    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, SocketAddress remote, CancellationToken cancellationToken = default)
        => _socket.SendToAsync(datagram, SocketFlags.None, remote, cancellationToken);

    /// <summary>The form of <paramref name="endPoint"/> this socket sends to and receives from (IPv4 mapped into IPv6 on a dual-stack socket).</summary>
    public SocketAddress ToSocketAddress(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (_socket.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.AddressFamily == AddressFamily.InterNetwork)
            endPoint = new IPEndPoint(endPoint.Address.MapToIPv6(), endPoint.Port);
        return endPoint.Serialize();
    }

    internal void Register(string localUfrag, IUdpMuxSession session)
    {
        if (!_byUfrag.TryAdd(localUfrag, session))
            throw new InvalidOperationException($"ICE ufrag '{localUfrag}' is already registered.");
    }

    /// <summary>Routes datagrams from <paramref name="remote"/> to <paramref name="session"/> (copied: the caller may reuse it).</summary>
    internal void Bind(SocketAddress remote, IUdpMuxSession session) => _byAddress[remote.Clone()] = session;

    /// <summary>Like <see cref="Bind"/>, but false when another session already owns the address.</summary>
    internal bool TryBindExclusive(SocketAddress remote, IUdpMuxSession session) => _byAddress.TryAdd(remote.Clone(), session);

    /// <summary>Forgets a session: its ufrag and every address bound to it.</summary>
    internal void Unregister(string localUfrag, IUdpMuxSession session)
    {
        _byUfrag.TryRemove(new KeyValuePair<string, IUdpMuxSession>(localUfrag, session));
        foreach (var pair in _byAddress)
        {
            if (ReferenceEquals(pair.Value, session))
                _byAddress.TryRemove(pair);
        }
    }

    private void ReceiveLoop()
    {
        byte[] buffer = GC.AllocateArray<byte>(_options.ReceiveBufferSize, pinned: true);
        var remote = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, remote);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // The poll timeout (SO_RCVTIMEO) or an ICMP error from an earlier send (ECONNREFUSED):
                // the socket is fine either way.
                continue;
            }

            try
            {
                Dispatch(buffer.AsSpan(0, received), remote);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A failing session or listener must not stop the port for everyone else.
                Interlocked.Increment(ref Counters.HandlerErrorCount);
            }
        }
    }

    internal void Dispatch(Span<byte> datagram, SocketAddress remote)
    {
        Interlocked.Increment(ref Counters.ReceivedCount);
        if (datagram.Length >= _options.ReceiveBufferSize)
        {
            Interlocked.Increment(ref Counters.DroppedTruncatedCount);
            return;
        }

        DatagramKind kind = DatagramClassifier.Classify(datagram);
        if (kind == DatagramKind.Unknown)
        {
            Interlocked.Increment(ref Counters.DroppedUnknownKindCount);
            return;
        }

        Tap?.Invoke(kind, datagram);

        if (_byAddress.TryGetValue(remote, out IUdpMuxSession? session))
        {
            session.OnDatagram(kind, datagram, remote, isBound: true);
            return;
        }

        // RFC 8445 §7.3: only an authenticated Binding request may introduce a new address. DTLS
        // and media from strangers are dropped, so no handshake starts before a valid check.
        if (kind != DatagramKind.Stun)
        {
            Interlocked.Increment(ref Counters.DroppedUnknownAddressCount);
            return;
        }

        if (!TryFindSessionByUsername(datagram, out session))
            return;

        session.OnDatagram(kind, datagram, remote, isBound: false);
    }

    private bool TryFindSessionByUsername(ReadOnlySpan<byte> datagram, out IUdpMuxSession session)
    {
        session = null!;
        if (!StunMessage.TryParse(datagram, out StunMessage message)
            || message.Class != StunMessageClass.Request
            || !message.TryGetUsername(out ReadOnlySpan<byte> username)
            || !IceUsername.TrySplit(username, out ReadOnlySpan<byte> localUfrag, out _)
            || localUfrag.Length > MaxUfragLength)
        {
            Interlocked.Increment(ref Counters.DroppedMalformedStunCount);
            return false;
        }

        // ice-chars are ASCII (RFC 8839 §5.4); anything else cannot match a ufrag we issued.
        Span<char> ufrag = stackalloc char[localUfrag.Length];
        if (Encoding.ASCII.GetChars(localUfrag, ufrag) != localUfrag.Length || !_byUfragSpan.TryGetValue(ufrag, out session!))
        {
            Interlocked.Increment(ref Counters.DroppedUnknownUfragCount);
            return false;
        }

        return true;
    }

    private void Housekeep()
    {
        long now = Environment.TickCount64;
        foreach (var pair in _byUfrag)
        {
            try
            {
                pair.Value.OnHousekeeping(now);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // An exception escaping a timer callback would end the process.
                Interlocked.Increment(ref Counters.HandlerErrorCount);
            }
        }
    }

    /// <summary>Stops receiving and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;

        await _housekeeping.DisposeAsync();
        _stopping = true;
        _socket.Dispose();
        // The loop notices within one poll interval; wait for it off the caller's thread.
        await Task.Run(() => _receiveLoop.Join(StopPollInterval * 5));
    }
}
