using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sotto.Rtc.Stun;
using Sotto.Transport.Batching;

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
/// On 64-bit Linux the loop receives with recvmmsg (everything already queued, up to
/// <see cref="UdpMuxOptions.BatchSize"/>, in one call) and what the loop itself sends while it
/// handles those datagrams — an SFU's fan-out — is queued and sent with sendmmsg when the batch is
/// handled: one system call for many datagrams instead of one each. Sends from other threads
/// (timers, signaling) go out at once with sendto.
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
    private readonly DatagramBatch? _receiveBatch;
    private readonly DatagramBatch? _sendBatch;
    private int _receiveThreadId;
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

        // The loop blocks in the kernel: the descriptor must stay blocking (an async call on this
        // socket would make .NET switch it to non-blocking for good), and SO_RCVTIMEO bounds each wait.
        _socket.Blocking = true;
        _socket.ReceiveTimeout = (int)StopPollInterval.TotalMilliseconds;
        if (options.BatchSize > 1 && LinuxSocketCalls.IsSupported)
        {
            _receiveBatch = new DatagramBatch(options.BatchSize, options.ReceiveBufferSize);
            _sendBatch = new DatagramBatch(options.BatchSize, options.ReceiveBufferSize);
        }

        _receiveLoop = new Thread(_receiveBatch is null ? ReceiveLoop : ReceiveBatchLoop) { IsBackground = true, Name = $"sotto-udp-{LocalEndPoint.Port}" };
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

    /// <summary>Whether datagrams are received and sent in batches (recvmmsg/sendmmsg) on this platform.</summary>
    public bool IsBatching => _receiveBatch is not null;

    /// <summary>
    /// Sends one datagram: at once (UDP sendto does not block in practice), or — when called by the
    /// receive loop itself while it handles a batch — queued and sent with the rest of the batch
    /// before the loop waits again. False if the kernel refused an immediate send; a queued
    /// datagram the kernel refuses later is counted in <see cref="UdpMuxCounters.SendErrors"/>.
    /// </summary>
    public bool TrySend(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        if (_sendBatch is { } batch && Environment.CurrentManagedThreadId == _receiveThreadId && batch.Fits(datagram.Length))
        {
            if (batch.TryAdd(datagram, remote))
                return true;
            FlushSends();
            if (batch.TryAdd(datagram, remote))
                return true;
        }

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

    private void ReceiveBatchLoop()
    {
        DatagramBatch batch = _receiveBatch!;
        var remote = new SocketAddress(_socket.AddressFamily);
        _receiveThreadId = Environment.CurrentManagedThreadId;
        while (!_stopping)
        {
            int received;
            bool added = false;
            try
            {
                _socket.SafeHandle.DangerousAddRef(ref added);
                received = batch.Receive(_socket.SafeHandle.DangerousGetHandle(), out _);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            finally
            {
                if (added)
                    _socket.SafeHandle.DangerousRelease();
            }

            // EAGAIN is the poll timeout (SO_RCVTIMEO); anything else (an ICMP error from an earlier
            // send, EINTR) leaves the socket fine too. The stop flag is checked either way.
            if (received <= 0)
                continue;

            for (int i = 0; i < received; i++)
            {
                Span<byte> datagram = batch.Received(i, out bool truncated);
                batch.CopySender(i, remote);
                if (truncated)
                {
                    Interlocked.Increment(ref Counters.ReceivedCount);
                    Interlocked.Increment(ref Counters.DroppedTruncatedCount);
                    continue;
                }

                try
                {
                    Dispatch(datagram, remote);
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref Counters.HandlerErrorCount);
                }
            }

            FlushSends();
        }
    }

    /// <summary>Sends what the receive loop queued; called on the receive loop only.</summary>
    private void FlushSends()
    {
        DatagramBatch batch = _sendBatch!;
        if (batch.Count == 0)
            return;

        bool added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            batch.Flush(_socket.SafeHandle.DangerousGetHandle(), ref Counters.SendErrorCount);
        }
        catch (ObjectDisposedException)
        {
            // Closing: what was queued is dropped, as sends on a closed socket would be.
        }
        finally
        {
            if (added)
                _socket.SafeHandle.DangerousRelease();
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
