using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Sotto.Transport.Tests.Support;

namespace Sotto.Transport.Tests;

/// <summary>
/// The mux's batched path (recvmmsg in, sendmmsg for what the receive loop sends) against real
/// sockets on loopback, next to the one-datagram-per-call path (BatchSize 1) as the control.
/// </summary>
public sealed class UdpMuxBatchingTests
{
    private const int FanOut = 8;

    [Fact]
    public void Batching_is_on_by_default_on_64_bit_Linux_and_off_with_batch_size_1()
    {
        using var batched = new MuxFixture(batchSize: 32);
        using var single = new MuxFixture(batchSize: 1);
        Assert.Equal(OperatingSystem.IsLinux() && Environment.Is64BitProcess, batched.Mux.IsBatching);
        Assert.False(single.Mux.IsBatching);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(1)]
    public async Task Every_fanned_out_datagram_arrives_once_in_order_per_receiver(int batchSize)
    {
        using var fixture = new MuxFixture(batchSize);
        var receivers = Enumerable.Range(0, FanOut).Select(_ => new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))).ToArray();
        try
        {
            fixture.Session.Targets = receivers.Select(r => fixture.Mux.ToSocketAddress((IPEndPoint)r.Client.LocalEndPoint!)).ToArray();
            // Few enough that every receiver's default socket buffer (rmem_default, ≈ 208 KiB of
            // skb truesize) holds them all before the test reads.
            const int Packets = 60;
            // Bursts, so that recvmmsg finds several datagrams queued and sendmmsg carries several.
            for (int i = 0; i < Packets; i++)
                fixture.Sender.Send(RtpLike(i), fixture.MuxEndPoint);

            foreach (UdpClient receiver in receivers)
            {
                for (int i = 0; i < Packets; i++)
                {
                    UdpReceiveResult result = await receiver.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
                    Assert.Equal(RtpLike(i), result.Buffer);
                }
            }

            Assert.Equal(Packets, fixture.Session.Received);
            Assert.Equal(0, fixture.Mux.Counters.SendErrors);
            Assert.Equal(0, fixture.Mux.Counters.HandlerErrors);
        }
        finally
        {
            foreach (UdpClient receiver in receivers)
                receiver.Dispose();
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(1)]
    public async Task A_refused_destination_is_counted_and_does_not_hold_back_the_others(int batchSize)
    {
        using var fixture = new MuxFixture(batchSize);
        using var good = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        // Port 0 is not a destination: the kernel refuses the send (EINVAL) before anything leaves.
        // (A closed port would not do: an unconnected UDP socket never hears of the ICMP error.)
        fixture.Session.Targets =
        [
            fixture.Mux.ToSocketAddress(new IPEndPoint(IPAddress.Loopback, 0)),
            fixture.Mux.ToSocketAddress((IPEndPoint)good.Client.LocalEndPoint!),
        ];

        const int Packets = 50;
        for (int i = 0; i < Packets; i++)
            fixture.Sender.Send(RtpLike(i), fixture.MuxEndPoint);

        for (int i = 0; i < Packets; i++)
        {
            UdpReceiveResult result = await good.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(RtpLike(i), result.Buffer);
        }

        // Positive control for the detector: the refusals were seen and counted, not silently lost.
        Assert.Equal(Packets, fixture.Mux.Counters.SendErrors);
        Assert.Equal(0, fixture.Mux.Counters.HandlerErrors);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(1)]
    public async Task A_datagram_larger_than_the_receive_buffer_is_dropped_as_truncated(int batchSize)
    {
        using var fixture = new MuxFixture(batchSize, receiveBufferSize: 512);
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        fixture.Session.Targets = [fixture.Mux.ToSocketAddress((IPEndPoint)receiver.Client.LocalEndPoint!)];

        byte[] large = RtpLike(1, length: 1_000);
        byte[] small = RtpLike(2, length: 100);
        fixture.Sender.Send(large, fixture.MuxEndPoint);
        fixture.Sender.Send(small, fixture.MuxEndPoint);

        UdpReceiveResult result = await receiver.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(small, result.Buffer);
        Assert.Equal(1, fixture.Mux.Counters.DroppedTruncated);
        Assert.Equal(1, fixture.Session.Received);
    }

    private static byte[] RtpLike(int sequence, int length = 200)
    {
        var packet = new byte[length];
        packet[0] = 0x80;
        packet[1] = 96;
        packet[2] = (byte)(sequence >> 8);
        packet[3] = (byte)sequence;
        for (int i = 12; i < length; i++)
            packet[i] = (byte)(sequence + i);
        return packet;
    }

    /// <summary>A mux on loopback with one session bound to a sender's address; the session forwards every datagram it gets to its targets, from the receive loop, as an SFU does.</summary>
    private sealed class MuxFixture : IDisposable
    {
        public MuxFixture(int batchSize, int receiveBufferSize = 2048)
        {
            Mux = new UdpMux(new UdpMuxOptions { BindAddress = IPAddress.Loopback, BatchSize = batchSize, ReceiveBufferSize = receiveBufferSize });
            MuxEndPoint = Mux.LocalEndPoint;
            Sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            Session = new FanOutSession(Mux);
            Mux.Bind(Mux.ToSocketAddress((IPEndPoint)Sender.Client.LocalEndPoint!), Session);
        }

        public UdpMux Mux { get; }

        public IPEndPoint MuxEndPoint { get; }

        public UdpClient Sender { get; }

        public FanOutSession Session { get; }

        public void Dispose()
        {
            Sender.Dispose();
            Mux.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private sealed class FanOutSession(UdpMux mux) : IUdpMuxSession
    {
        private int _received;

        public SocketAddress[] Targets { get; set; } = [];

        public int Received => Volatile.Read(ref _received);

        public void OnDatagram(DatagramKind kind, Span<byte> datagram, SocketAddress remote, bool isBound)
        {
            Interlocked.Increment(ref _received);
            foreach (SocketAddress target in Targets)
            {
                mux.TrySend(datagram, target);
            }
        }

        public void OnHousekeeping(long nowMilliseconds)
        {
        }
    }
}

/// <summary>Several receive loops on one port (SO_REUSEPORT): every datagram handled once, one remote address always on the same loop.</summary>
public sealed class UdpMuxReceiveLoopTests
{
    [Theory]
    [InlineData(4, 32)]
    [InlineData(4, 1)]
    [InlineData(1, 32)]
    public async Task Each_remote_address_stays_on_one_loop_and_loops_share_the_work(int loops, int batchSize)
    {
        await using var mux = new UdpMux(new UdpMuxOptions { BindAddress = IPAddress.Loopback, ReceiveLoops = loops, BatchSize = batchSize });
        Assert.Equal(OperatingSystem.IsLinux() ? loops : 1, mux.ReceiveLoopCount);
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        SocketAddress echoTo = mux.ToSocketAddress((IPEndPoint)receiver.Client.LocalEndPoint!);

        const int Senders = 16;
        // 128 small echoes: within a default socket buffer (rmem_default) even before the reader runs.
        const int PerSender = 8;
        var senders = new UdpClient[Senders];
        var sessions = new ThreadRecordingSession[Senders];
        try
        {
            for (int i = 0; i < Senders; i++)
            {
                senders[i] = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
                sessions[i] = new ThreadRecordingSession(mux, echoTo);
                mux.Bind(mux.ToSocketAddress((IPEndPoint)senders[i].Client.LocalEndPoint!), sessions[i]);
            }

            // Every datagram is echoed once, from whichever loop handled it, through the one port.
            var seen = new HashSet<(int, int)>();
            Task reading = Task.Run(async () =>
            {
                for (int n = 0; n < Senders * PerSender; n++)
                {
                    UdpReceiveResult echo = await receiver.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
                    Assert.Equal(mux.LocalEndPoint.Port, echo.RemoteEndPoint.Port);
                    Assert.True(seen.Add((echo.Buffer[2], echo.Buffer[3])), "a datagram was handled twice");
                }
            });
            for (int round = 0; round < PerSender; round++)
            {
                for (int i = 0; i < Senders; i++)
                    senders[i].Send([0x80, 96, (byte)i, (byte)round, 0, 0, 0, 0, 0, 0, 0, 0], mux.LocalEndPoint);
            }

            await reading;

            Assert.All(sessions, s => Assert.Single(s.Threads)); // one address, one loop
            int threadsUsed = sessions.SelectMany(s => s.Threads).Distinct().Count();
            if (mux.ReceiveLoopCount > 1)
                Assert.True(threadsUsed > 1, $"{Senders} addresses all hashed to one of {mux.ReceiveLoopCount} loops");
            else
                Assert.Equal(1, threadsUsed); // control: one loop, one thread
            Assert.Equal(0, mux.Counters.HandlerErrors);
        }
        finally
        {
            foreach (UdpClient? sender in senders)
                sender?.Dispose();
        }
    }

    private sealed class ThreadRecordingSession(UdpMux mux, SocketAddress echoTo) : IUdpMuxSession
    {
        private readonly ConcurrentBag<int> _threads = [];

        public IReadOnlyCollection<int> Threads => _threads.Distinct().ToList();

        public void OnDatagram(DatagramKind kind, Span<byte> datagram, SocketAddress remote, bool isBound)
        {
            _threads.Add(Environment.CurrentManagedThreadId);
            mux.TrySend(datagram, echoTo);
        }

        public void OnHousekeeping(long nowMilliseconds)
        {
        }
    }
}
