using System.Globalization;
using System.Net;
using Sotto.Load.Harness;
using Sotto.Load.Media;
using Sotto.Load.Peers;

namespace Sotto.Load.Targets;

/// <summary>The floor: <see cref="UdpRelayServer"/> as its own process (this program's "relay" verb).</summary>
internal sealed class RelayTarget(TargetHost host) : ILoadTarget
{
    private const int Port = 10002;
    private ServerProcess? _server;
    private IPEndPoint? _relay;
    private uint _room;

    public string Name => "relay";

    public string Description => "plain UDP relay (bench/Sotto.Load relay: recvfrom + sendto per subscriber, no ICE/DTLS/SRTP/RTP)";

    public int ServerProcessId => _server?.Id ?? throw new InvalidOperationException("Not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int port = host.Namespace is null ? FreeUdpPort() : Port;
        _relay = new IPEndPoint(host.ServerAddress, port);
        string dll = Path.Combine(AppContext.BaseDirectory, "Sotto.Load.dll");
        _server = ServerProcess.Start("dotnet", [dll, "relay", "--bind", _relay.ToString()], host.Namespace?.Name, host.ServerCore);
        long deadline = Environment.TickCount64 + 20_000;
        while (!_server.Tail.Contains("relay listening", StringComparison.Ordinal))
        {
            if (_server.HasExited)
                throw new InvalidOperationException("The relay exited at start:\n" + _server.Tail);
            if (Environment.TickCount64 > deadline)
                throw new TimeoutException("The relay did not start in 20 s:\n" + _server.Tail);
            await Task.Delay(50, cancellationToken);
        }
    }

    public async Task<StepSession> SetupAsync(StepPlan plan, DelayHistogram delays, CancellationToken cancellationToken)
    {
        IPEndPoint relay = _relay ?? throw new InvalidOperationException("Not started.");
        uint room = ++_room;
        var peers = new List<PlainPeer>();
        await using (var control = new PlainPeer(host.HostAddress, relay))
            control.Register(RelayRole.Reset, 0, 0);
        await Task.Delay(50, cancellationToken);

        var publishers = new List<SyntheticPublisher>();
        var counters = new List<SubscriberCounters>();
        for (int i = 0; i < plan.Participants.Count; i++)
        {
            ParticipantPlan participant = plan.Participants[i];
            uint id = (uint)i + 1;
            if (participant.Publishes is { } profile)
            {
                var peer = new PlainPeer(host.HostAddress, relay);
                peers.Add(peer);
                peer.Register(RelayRole.Publisher, room, id);
                publishers.Add(new SyntheticPublisher(peer, profile, i + 1, (uint)Random.Shared.Next(1 << 20, int.MaxValue) & ~0xFu));
            }
            if (participant.Subscribes && plan.ExpectedTracks(i) > 0)
            {
                var peer = new PlainPeer(host.HostAddress, relay) { Counters = new SubscriberCounters(delays, plan.ExpectedTracks(i)) };
                peers.Add(peer);
                peer.Register(RelayRole.Subscriber, room, id);
                counters.Add(peer.Counters);
            }
        }
        await Task.Delay(100, cancellationToken);
        return new StepSession(publishers, counters, async () =>
        {
            foreach (PlainPeer peer in peers)
                await peer.DisposeAsync();
        });
    }

    private static int FreeUdpPort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The "relay" verb: runs the relay in this process until killed.</summary>
    public static int RunServer(string bind)
    {
        using var relay = new UdpRelayServer(IPEndPoint.Parse(bind));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"relay listening on {relay.LocalEndPoint}"));
        relay.Run();
        return 0;
    }
}
