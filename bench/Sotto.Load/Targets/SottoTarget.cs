using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Sotto.Load.Harness;
using Sotto.Load.Media;
using Sotto.Load.Peers;
using Sotto.Rtc.Sdp;

namespace Sotto.Load.Targets;

/// <summary>
/// Sotto's own server (src/Sotto.Server, the real host) as a child process, driven through /ws
/// exactly as the browser drives it: join, publish (offer → publish-answer), answer every
/// subscribe-offer. Limits that protect a real server from one address (joins per minute) are
/// raised, since every participant here comes from the generator's one address.
/// </summary>
/// <remarks>With <paramref name="lastN"/> the server runs with <c>Sotto:Media:LastN</c> (target name <c>sotto-last&lt;N&gt;</c>).</remarks>
internal sealed class SottoTarget(TargetHost host, int? lastN = null) : ILoadTarget
{
    private ServerProcess? _server;
    private Uri? _ws;
    private int _room;

    public string Name => lastN is { } n ? $"sotto-last{n}" : "sotto";

    public int? LastN => lastN;

    public string Description => "Sotto (src/Sotto.Server, this commit)" + (lastN is { } n ? $" with Sotto:Media:LastN={n}" : "");

    public int ServerProcessId => _server?.Id ?? throw new InvalidOperationException("Not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int httpPort = host.Namespace is null ? FreeTcpPort(host.ServerAddress) : 8080;
        int mediaPort = host.Namespace is null ? 0 : 10000;
        string dll = Path.Combine(AppContext.BaseDirectory, "Sotto.Server.dll");
        string[] arguments =
        [
            dll,
            "--urls", $"http://{host.ServerAddress}:{httpPort}",
            "--Sotto:Media:BindAddress=" + host.ServerAddress,
            "--Sotto:Media:Port=" + mediaPort.ToString(CultureInfo.InvariantCulture),
            "--Sotto:JoinLimit=1000000",
            "--Sotto:MessageRateLimit=100000",
            "--Rooms:MaxParticipantsPerRoom=10000",
            "--Sotto:Media:MaxParticipantsPerRoom=1000",
            "--Logging:LogLevel:Default=Warning",
            .. lastN is { } n ? new[] { "--Sotto:Media:LastN=" + n.ToString(CultureInfo.InvariantCulture) } : [],
        ];
        // Perf maps let `perf record -p <pid>` name JIT-compiled frames (the profile in docs/performance.md).
        var environment = new Dictionary<string, string> { ["DOTNET_PerfMapEnabled"] = "1" };
        // SOTTO_LOAD_SOTTO_ENV="K=V;K2=V2": runtime settings for the server only (e.g. thread-pool spinning, see docs/performance.md).
        foreach (string pair in (Environment.GetEnvironmentVariable("SOTTO_LOAD_SOTTO_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
                environment[pair[..equals]] = pair[(equals + 1)..];
        }
        _server = ServerProcess.Start("dotnet", arguments, host.Namespace?.Name, host.ServerCore, environment);
        var baseUri = new Uri($"http://{host.ServerAddress}:{httpPort}");
        _ws = new Uri($"ws://{host.ServerAddress}:{httpPort}/ws");
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(2) };
        long deadline = Environment.TickCount64 + 30_000;
        while (true)
        {
            if (_server.HasExited)
                throw new InvalidOperationException("Sotto exited at start:\n" + _server.Tail);
            try
            {
                if ((await http.GetStringAsync("/healthz", cancellationToken)).Trim() == "ok")
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            if (Environment.TickCount64 > deadline)
                throw new TimeoutException("Sotto did not answer /healthz in 30 s:\n" + _server.Tail);
            await Task.Delay(100, cancellationToken);
        }
    }

    public async Task<StepSession> SetupAsync(StepPlan plan, DelayHistogram delays, CancellationToken cancellationToken)
    {
        string room = $"load-{plan.Scenario}-{plan.Size}-{Interlocked.Increment(ref _room)}-{Guid.NewGuid():N}";
        var participants = new List<Participant>();
        try
        {
            for (int i = 0; i < plan.Participants.Count; i++)
            {
                var participant = new Participant(this, plan.Participants[i], plan.ExpectedTracks(i), delays);
                participants.Add(participant);
                await participant.JoinAsync(room, cancellationToken);
            }

            await ParallelAsync(participants.Where(p => p.Plan.Publishes is not null), p => p.PublishAsync(cancellationToken));
            await Task.WhenAll(participants.Select(p => p.Ready)).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            foreach (Participant participant in participants)
                await participant.DisposeAsync();
            throw;
        }

        return new StepSession(
            [.. participants.Where(p => p.Publisher is not null).Select(p => p.Publisher!)],
            [.. participants.Where(p => p.Counters is not null).Select(p => p.Counters!)],
            async () =>
            {
                foreach (Participant participant in participants)
                    await participant.DisposeAsync();
            })
        {
            SrtpProfile = participants.Select(p => p.Profile).FirstOrDefault(p => p is not null),
        };
    }

    /// <summary>Runs <paramref name="work"/> with a few in flight: DTLS handshakes are CPU-bound on both sides.</summary>
    internal static async Task ParallelAsync<T>(IEnumerable<T> items, Func<T, Task> work, int parallelism = 4)
    {
        using var gate = new SemaphoreSlim(parallelism);
        await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                await work(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static int FreeTcpPort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>One headless member: signaling, a publish peer and a subscribe peer.</summary>
    private sealed class Participant(SottoTarget target, ParticipantPlan plan, int expectedTracks, DelayHistogram delays) : IAsyncDisposable
    {
        private readonly SottoSignaling _signaling = new();
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private SrtpPeer? _publish;
        private SrtpPeer? _subscribe;
        private int _slot;

        public ParticipantPlan Plan { get; } = plan;

        public SyntheticPublisher? Publisher { get; private set; }

        public SubscriberCounters? Counters { get; } = plan.Subscribes && expectedTracks > 0 ? new SubscriberCounters(delays, expectedTracks) : null;

        public Task Ready => _ready.Task;

        public string? Profile => (_publish ?? _subscribe)?.Transport?.SrtpProfile?.ToString();

        public async Task JoinAsync(string room, CancellationToken cancellationToken)
        {
            _signaling.OnEvent = OnEventAsync;
            await _signaling.ConnectAsync(target._ws!, cancellationToken);
            JsonObject joined = await _signaling.RequestAsync(new JsonObject { ["type"] = "join", ["room"] = room }, cancellationToken);
            _slot = (int)joined["slot"]!;
            if (Counters is null && Plan.Publishes is null)
                _ready.TrySetResult();
        }

        public async Task PublishAsync(CancellationToken cancellationToken)
        {
            MediaProfile profile = Plan.Publishes!;
            _publish = new SrtpPeer(target.HostAddress);
            Publisher = new SyntheticPublisher(_publish, profile, _slot, (uint)Random.Shared.Next(1 << 20, int.MaxValue) & ~0xFu);
            _publish.Publisher = Publisher;
            string offer = SdpShapes.PublishOffer(profile, _publish.LocalIce, SrtpPeer.Certificate, "actpass", Publisher, candidate: null);
            var tracks = new JsonArray();
            if (profile.Audio)
                tracks.Add(new JsonObject { ["mid"] = "0", ["source"] = "mic" });
            if (profile.Video)
                tracks.Add(new JsonObject { ["mid"] = "1", ["source"] = "camera" });
            JsonObject answer = await _signaling.RequestAsync(new JsonObject { ["type"] = "publish", ["sdp"] = offer, ["tracks"] = tracks }, cancellationToken);
            var (ice, fingerprint, candidate) = SdpShapes.RemoteTransport(SessionDescription.Parse((string)answer["sdp"]!));
            await _publish.ConnectAsync(ice, fingerprint, candidate).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            if (Counters is null)
                _ready.TrySetResult();
            else
                CheckReady();
        }

        private async Task OnEventAsync(JsonObject frame)
        {
            if ((string?)frame["type"] != "subscribe-offer")
                return;
            int version = (int)frame["version"]!;
            var offer = SessionDescription.Parse((string)frame["sdp"]!);
            // A member that counts nothing (a webinar's presenter) still answers, as a browser would.
            _subscribe ??= new SrtpPeer(target.HostAddress) { Counters = Counters };
            string answer = SdpShapes.SubscribeAnswer(offer, _subscribe.LocalIce, SrtpPeer.Certificate, version);
            await _signaling.SendAsync(new JsonObject { ["type"] = "subscribe-answer", ["version"] = version, ["sdp"] = answer }, CancellationToken.None);
            if (_subscribe.Transport is null)
            {
                var (ice, fingerprint, candidate) = SdpShapes.RemoteTransport(offer);
                _ = _subscribe.ConnectAsync(ice, fingerprint, candidate).ContinueWith(_ => CheckReady(), TaskScheduler.Default);
            }
            int tracks = frame["tracks"] is JsonArray list ? list.Count : 0;
            Volatile.Write(ref _tracks, tracks);
            CheckReady();
        }

        private int _tracks;

        private void CheckReady()
        {
            if (Counters is not null && Volatile.Read(ref _tracks) >= expectedTracks && _subscribe?.Transport?.Connected.IsCompletedSuccessfully == true
                && (Plan.Publishes is null || _publish?.Transport?.Connected.IsCompletedSuccessfully == true))
            {
                _ready.TrySetResult();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _signaling.DisposeAsync();
            if (_publish is not null)
                await _publish.DisposeAsync();
            if (_subscribe is not null)
                await _subscribe.DisposeAsync();
        }
    }

    private IPAddress HostAddress => host.HostAddress;
}

/// <summary>Where the servers run and the generator sends from.</summary>
/// <param name="Namespace">The benchmark's namespace, or null to run on loopback (tests).</param>
/// <param name="ServerCore">The core the server is pinned to (null: not pinned).</param>
internal sealed record TargetHost(NetworkNamespace? Namespace, int? ServerCore)
{
    public IPAddress ServerAddress => Namespace?.ServerAddress ?? IPAddress.Loopback;

    public IPAddress HostAddress => Namespace?.HostAddress ?? IPAddress.Loopback;
}
