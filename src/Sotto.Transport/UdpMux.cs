using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sotto.Rtc.Stun;
using Sotto.Transport.Batching;

namespace Sotto.Transport;

/// <summary>
/// One UDP port shared by every WebRTC transport (DESIGN.md §3). Datagrams are classified by their
/// first byte (RFC 7983) and routed by remote address; an address becomes known only through a STUN
/// Binding request whose USERNAME names a session's local ufrag and whose MESSAGE-INTEGRITY that
/// session verifies (RFC 8445 §7.3). Everything else from unknown addresses is dropped and counted.
/// </summary>
/// <remarks>
/// <para>Each receive loop is a dedicated thread in a blocking receive on its own socket, and forwards
/// inline: on Linux every async completion is an epoll wake-up plus a hop to a thread-pool worker,
/// and under load most of the server's CPU went to those switches (docs/performance.md). A loop owns
/// its pinned buffers and one reused <see cref="SocketAddress"/>: no allocation per datagram.</para>
/// <para>On 64-bit Linux a loop receives with recvmmsg (everything already queued, up to
/// <see cref="UdpMuxOptions.BatchSize"/>, in one call), and what it sends while it handles those
/// datagrams — an SFU's fan-out — is queued and sent with sendmmsg: one system call for many datagrams.
/// Sends from other threads (timers, signaling) go out at once with sendto.</para>
/// <para>On Linux a server runs one loop per core it may run on (<see cref="UdpMuxOptions.ReceiveLoops"/>):
/// every loop's socket is bound to the same port with SO_REUSEPORT, and the kernel hands each datagram
/// to a socket by a hash of its addresses, so one remote address always reaches the same loop — a
/// transport's ICE, DTLS and SRTP receive state is never raced by two loops for the same path. Rooms on
/// different loops forward in parallel; a room's own state is guarded by its router's lock.</para>
/// </remarks>
public sealed class UdpMux : IAsyncDisposable
{
    /// <summary>The longest ICE ufrag we look up (RFC 8839 §5.4 allows 256 ice-chars).</summary>
    private const int MaxUfragLength = 256;

    /// <summary>SOL_SOCKET and SO_REUSEPORT on Linux (asm-generic/socket.h).</summary>
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    /// <summary>How long a blocking receive waits before the loop looks at the stop flag again.</summary>
    private static readonly TimeSpan StopPollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The receive loop running on this thread, if any (TrySend queues into its batch).</summary>
    [ThreadStatic]
    private static ReceiveLoop? t_currentLoop;

    private readonly UdpMuxOptions _options;
    private readonly ConcurrentDictionary<SocketAddress, IUdpMuxSession> _byAddress = new();
    private readonly ConcurrentDictionary<string, IUdpMuxSession> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IUdpMuxSession>.AlternateLookup<ReadOnlySpan<char>> _byUfragSpan;
    private readonly ReceiveLoop[] _loops;
    private volatile bool _stopping;
    private readonly Timer _housekeeping;
    private int _disposed;

    /// <summary>Binds the socket(s) and starts receiving.</summary>
    public UdpMux(UdpMuxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _byUfragSpan = _byUfrag.GetAlternateLookup<ReadOnlySpan<char>>();

        ArgumentOutOfRangeException.ThrowIfNegative(options.ReceiveLoops);
        int loopCount = options.ReceiveLoops > 0 ? options.ReceiveLoops : Environment.ProcessorCount;
        if (!OperatingSystem.IsLinux())
            loopCount = 1; // SO_REUSEPORT balances datagrams across sockets only on Linux.
        bool batching = options.BatchSize > 1 && LinuxSocketCalls.IsSupported;
        _loops = new ReceiveLoop[Math.Clamp(loopCount, 1, 64)];
        try
        {
            // The first socket picks the port (0 in tests); the others join it.
            Socket first = OpenSocket(options.Port, reusePort: _loops.Length > 1);
            LocalEndPoint = (IPEndPoint)first.LocalEndPoint!;
            _loops[0] = new ReceiveLoop(this, first, batching);
            for (int i = 1; i < _loops.Length; i++)
                _loops[i] = new ReceiveLoop(this, OpenSocket(LocalEndPoint.Port, reusePort: true), batching);
        }
        catch
        {
            foreach (ReceiveLoop? loop in _loops)
                loop?.Socket.Dispose();
            throw;
        }

        IPAddress announced = options.AnnouncedAddress ?? options.BindAddress;
        AnnouncedEndPoint = new IPEndPoint(announced, LocalEndPoint.Port);

        for (int i = 0; i < _loops.Length; i++)
        {
            _loops[i].Thread = new Thread(static state => ((ReceiveLoop)state!).Run()) { IsBackground = true, Name = $"sotto-udp-{LocalEndPoint.Port}-{i}" };
            _loops[i].Thread!.Start(_loops[i]);
        }

        _housekeeping = new Timer(static state => ((UdpMux)state!).Housekeep(), this, options.HousekeepingInterval, options.HousekeepingInterval);
    }

    private Socket OpenSocket(int port, bool reusePort)
    {
        var socket = new Socket(_options.BindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (_options.BindAddress.AddressFamily == AddressFamily.InterNetworkV6)
                socket.DualMode = true;
            if (reusePort)
                socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.ReceiveBufferSize = _options.SocketBufferSize;
            socket.SendBufferSize = _options.SocketBufferSize;
            socket.Bind(new IPEndPoint(_options.BindAddress, port));
            // The loop blocks in the kernel: the descriptor must stay blocking (an async call on this
            // socket would make .NET switch it to non-blocking for good), and SO_RCVTIMEO bounds each wait.
            socket.Blocking = true;
            socket.ReceiveTimeout = (int)StopPollInterval.TotalMilliseconds;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
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

    /// <summary>Whether datagrams are received and sent in batches (recvmmsg/sendmmsg) on this platform.</summary>
    public bool IsBatching => _loops[0].ReceiveBatch is not null;

    /// <summary>How many receive loops (threads, sockets on the one port) run.</summary>
    public int ReceiveLoopCount => _loops.Length;

    /// <summary>
    /// Sends one datagram: at once (UDP sendto does not block in practice), or — when called by a
    /// receive loop of this mux while it handles a batch — queued and sent with the rest of the batch
    /// before the loop waits again. False if the kernel refused an immediate send; a queued
    /// datagram the kernel refuses later is counted in <see cref="UdpMuxCounters.SendErrors"/>.
    /// </summary>
    public bool TrySend(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        Socket socket = _loops[0].Socket;
        if (t_currentLoop is { } loop && ReferenceEquals(loop.Owner, this))
        {
            socket = loop.Socket;
            if (loop.SendBatch is { } batch && batch.Fits(datagram.Length))
            {
                if (batch.TryAdd(datagram, remote))
                    return true;
                loop.FlushSends();
                if (batch.TryAdd(datagram, remote))
                    return true;
            }
        }

        try
        {
            socket.SendTo(datagram, SocketFlags.None, remote);
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

    /// <summary>
    /// On a receive loop of this mux: the free slot of the loop's send batch (a full batch is sent
    /// first), for a datagram built in place and queued with <see cref="CommitBatchedSend"/>. Empty
    /// anywhere else (timers, signaling, another mux's loop, no batching): use <see cref="TrySend"/>.
    /// </summary>
    internal Span<byte> ReserveBatchedSend()
    {
        if (t_currentLoop is not { } loop || !ReferenceEquals(loop.Owner, this) || loop.SendBatch is not { } batch)
            return default;
        if (batch.Count == batch.Capacity)
            loop.FlushSends();
        return batch.NextSlot;
    }

    /// <summary>Queues what was written into the slot <see cref="ReserveBatchedSend"/> returned, on the same thread.</summary>
    internal bool CommitBatchedSend(int length, SocketAddress remote) =>
        t_currentLoop is { } loop && ReferenceEquals(loop.Owner, this) && loop.SendBatch is { } batch && batch.TryCommit(length, remote);

    /// <summary>The form of <paramref name="endPoint"/> this socket sends to and receives from (IPv4 mapped into IPv6 on a dual-stack socket).</summary>
    public SocketAddress ToSocketAddress(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (_loops[0].Socket.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.AddressFamily == AddressFamily.InterNetwork)
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

    private void DispatchSafely(Span<byte> datagram, SocketAddress remote)
    {
        try
        {
            Dispatch(datagram, remote);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A failing session or listener must not stop the port for everyone else.
            Interlocked.Increment(ref Counters.HandlerErrorCount);
        }
    }

    /// <summary>Hands one received datagram to its session. The caller has counted it in <see cref="UdpMuxCounters.Received"/>.</summary>
    internal void Dispatch(Span<byte> datagram, SocketAddress remote)
    {
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

    /// <summary>Stops receiving and closes the sockets.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;

        await _housekeeping.DisposeAsync();
        _stopping = true;
        foreach (ReceiveLoop loop in _loops)
            loop.Socket.Dispose();
        // The loops notice within one poll interval; wait for them off the caller's thread.
        await Task.Run(() =>
        {
            foreach (ReceiveLoop loop in _loops)
                loop.Thread?.Join(StopPollInterval * 5);
        });
    }

    /// <summary>One receive thread with its own socket on the shared port, and its batches.</summary>
    private sealed class ReceiveLoop(UdpMux owner, Socket socket, bool batching)
    {
        public UdpMux Owner { get; } = owner;

        public Socket Socket { get; } = socket;

        public Thread? Thread { get; set; }

        public DatagramBatch? ReceiveBatch { get; } = batching ? new DatagramBatch(owner._options.BatchSize, owner._options.ReceiveBufferSize) : null;

        public DatagramBatch? SendBatch { get; } = batching ? new DatagramBatch(owner._options.BatchSize, owner._options.ReceiveBufferSize) : null;

        public void Run()
        {
            t_currentLoop = this;
            if (ReceiveBatch is null)
                ReceiveOneAtATime();
            else
                ReceiveBatches(ReceiveBatch);
        }

        private void ReceiveOneAtATime()
        {
            byte[] buffer = GC.AllocateArray<byte>(Owner._options.ReceiveBufferSize, pinned: true);
            var remote = new SocketAddress(Socket.AddressFamily);
            while (!Owner._stopping)
            {
                int received;
                try
                {
                    received = Socket.ReceiveFrom(buffer, SocketFlags.None, remote);
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

                Interlocked.Increment(ref Owner.Counters.ReceivedCount);
                Owner.DispatchSafely(buffer.AsSpan(0, received), remote);
            }
        }

        private void ReceiveBatches(DatagramBatch batch)
        {
            var remote = new SocketAddress(Socket.AddressFamily);
            while (!Owner._stopping)
            {
                int received;
                bool added = false;
                try
                {
                    Socket.SafeHandle.DangerousAddRef(ref added);
                    received = batch.Receive(Socket.SafeHandle.DangerousGetHandle(), out _);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                finally
                {
                    if (added)
                        Socket.SafeHandle.DangerousRelease();
                }

                // EAGAIN is the poll timeout (SO_RCVTIMEO); anything else (an ICMP error from an earlier
                // send, EINTR) leaves the socket fine too. The stop flag is checked either way.
                if (received <= 0)
                    continue;

                // One shared increment per batch, not per datagram: the counter is shared by every loop.
                Interlocked.Add(ref Owner.Counters.ReceivedCount, received);
                for (int i = 0; i < received; i++)
                {
                    Span<byte> datagram = batch.Received(i, out bool truncated);
                    batch.CopySender(i, remote);
                    if (truncated)
                    {
                        Interlocked.Increment(ref Owner.Counters.DroppedTruncatedCount);
                        continue;
                    }

                    Owner.DispatchSafely(datagram, remote);
                }

                FlushSends();
            }
        }

        /// <summary>Sends what this loop queued; called on this loop's thread only.</summary>
        public void FlushSends()
        {
            DatagramBatch batch = SendBatch!;
            if (batch.Count == 0)
                return;

            bool added = false;
            try
            {
                Socket.SafeHandle.DangerousAddRef(ref added);
                batch.Flush(Socket.SafeHandle.DangerousGetHandle(), ref Owner.Counters.SendErrorCount);
            }
            catch (ObjectDisposedException)
            {
                // Closing: what was queued is dropped, as sends on a closed socket would be.
                batch.Clear();
            }
            finally
            {
                if (added)
                    Socket.SafeHandle.DangerousRelease();
            }
        }
    }
}
