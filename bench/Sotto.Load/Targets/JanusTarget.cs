using System.Text.Json.Nodes;
using Sotto.Load.Harness;
using Sotto.Load.Media;
using Sotto.Load.Peers;
using Sotto.Rtc.Sdp;

namespace Sotto.Load.Targets;

/// <summary>
/// Janus 1.1.2's VideoRoom (Debian package janus) as the peer SFU, configured from bench/janus/
/// (copied to a temporary folder) and driven through its HTTP API with the same participants,
/// SDP and packets as Sotto: a publisher handle per publisher ("joinandconfigure" with our
/// offer), one subscriber handle per subscriber for all the feeds it wants ("join" → Janus's
/// offer → "start" with our answer). Janus runs ICE-lite on the namespace's veth address.
/// </summary>
internal sealed class JanusTarget(TargetHost host) : ILoadTarget
{
    public const string Executable = "/usr/bin/janus";
    private ServerProcess? _server;
    private JanusApi? _api;
    private string? _configFolder;
    private long _nextRoom = Random.Shared.Next(1000, 1_000_000);

    public string Name => "janus";

    public string Description { get; private set; } = "Janus VideoRoom";

    public int ServerProcessId => _server?.Id ?? throw new InvalidOperationException("Not started.");

    public static bool IsInstalled => File.Exists(Executable);

    /// <summary>SOTTO_LOAD_JANUS_DEBUG=1: Janus logs at level 5 and a failed setup prints its log and the SDP.</summary>
    private static bool Debug => Environment.GetEnvironmentVariable("SOTTO_LOAD_JANUS_DEBUG") == "1";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (host.Namespace is null)
            throw new InvalidOperationException("Janus needs the benchmark's network namespace: it never uses loopback candidates.");
        _configFolder = Directory.CreateTempSubdirectory("sotto-janus-").FullName;
        foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "janus"), "*.jcfg"))
            File.Copy(file, Path.Combine(_configFolder, Path.GetFileName(file)));
        _server = ServerProcess.Start(Executable,
            ["-F", _configFolder, "-C", Path.Combine(_configFolder, "janus.jcfg"), "-E", host.Namespace.InnerLink, "-o", "-d", Debug ? "5" : "1"],
            host.Namespace.Name, host.ServerCore);
        _api = new JanusApi(new Uri($"http://{host.ServerAddress}:8088"));
        long deadline = Environment.TickCount64 + 30_000;
        while (true)
        {
            if (_server.HasExited)
                throw new InvalidOperationException("Janus exited at start:\n" + _server.Tail);
            try
            {
                JsonObject info = await _api.InfoAsync(cancellationToken);
                Description = $"Janus {(string?)info["version_string"]} VideoRoom (libnice {(string?)info["dependencies"]?["libnice"]}, {(string?)info["dependencies"]?["libsrtp"]}, {(string?)info["dependencies"]?["crypto"]})";
                break;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            if (Environment.TickCount64 > deadline)
                throw new TimeoutException("Janus did not answer /janus/info in 30 s:\n" + _server.Tail);
            await Task.Delay(100, cancellationToken);
        }
        await _api.CreateSessionAsync(cancellationToken);
    }

    public async Task<StepSession> SetupAsync(StepPlan plan, DelayHistogram delays, CancellationToken cancellationToken)
    {
        JanusApi api = _api ?? throw new InvalidOperationException("Not started.");
        long room = Interlocked.Increment(ref _nextRoom);
        long admin = await api.AttachVideoRoomAsync(cancellationToken);
        await api.MessageAsync(admin, new JsonObject
        {
            ["request"] = "create",
            ["room"] = room,
            ["publishers"] = 1000, // the default is 3 (DESIGN.md §9)
            ["bitrate"] = 0,
            ["fir_freq"] = 0,
            ["audiocodec"] = "opus",
            ["videocodec"] = "vp8",
            ["notify_joining"] = false,
            ["record"] = false,
            ["permanent"] = false,
        }, null, null, cancellationToken);

        var peers = new List<SrtpPeer>();
        var handles = new List<long> { admin };
        var feeds = new long?[plan.Participants.Count];
        var publishers = new List<SyntheticPublisher>();
        var counters = new List<SubscriberCounters>();
        string? profileName = null;
        try
        {
            // Publishers first, so each subscriber's one offer carries every feed it wants.
            var publishing = new List<(int Index, MediaProfile Profile)>();
            for (int i = 0; i < plan.Participants.Count; i++)
            {
                if (plan.Participants[i].Publishes is { } p)
                    publishing.Add((i, p));
            }
            await SottoTarget.ParallelAsync(publishing, async item =>
            {
                var peer = new SrtpPeer(host.HostAddress);
                lock (peers)
                    peers.Add(peer);
                var publisher = new SyntheticPublisher(peer, item.Profile, item.Index + 1, (uint)Random.Shared.Next(1 << 20, int.MaxValue) & ~0xFu);
                peer.Publisher = publisher;
                long handle = await api.AttachVideoRoomAsync(cancellationToken);
                lock (handles)
                    handles.Add(handle);
                long feed = room * 10_000 + item.Index + 1;
                // a=setup:active: on an actpass offer Janus takes the DTLS client role (DESIGN.md §9); our
                // client transport is the DTLS client, so we offer active and Janus answers passive.
                string offer = SdpShapes.PublishOffer(item.Profile, peer.LocalIce, SrtpPeer.Certificate, "active", publisher, peer.LocalEndPoint);
                JsonObject joined = await api.MessageAsync(handle, new JsonObject
                {
                    ["request"] = "joinandconfigure",
                    ["ptype"] = "publisher",
                    ["room"] = room,
                    ["id"] = feed,
                    ["audio"] = item.Profile.Audio,
                    ["video"] = item.Profile.Video,
                }, "offer", offer, cancellationToken);
                string answer = (string?)joined["jsep"]?["sdp"] ?? throw new InvalidOperationException("Janus sent no answer: " + joined.ToJsonString());
                if (Debug)
                    Console.Error.WriteLine("offer:\n" + offer + "\nanswer:\n" + answer);
                var (ice, fingerprint, candidate) = SdpShapes.RemoteTransport(SessionDescription.Parse(answer));
                await peer.ConnectAsync(ice, fingerprint, candidate).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                feeds[item.Index] = feed;
                lock (publishers)
                    publishers.Add(publisher);
                profileName ??= peer.Transport?.SrtpProfile?.ToString();
            });

            var subscribing = Enumerable.Range(0, plan.Participants.Count).Where(i => plan.Participants[i].Subscribes && plan.ExpectedTracks(i) > 0).ToList();
            await SottoTarget.ParallelAsync(subscribing, async index =>
            {
                var peer = new SrtpPeer(host.HostAddress) { Counters = new SubscriberCounters(delays, plan.ExpectedTracks(index)) };
                lock (peers)
                    peers.Add(peer);
                long handle = await api.AttachVideoRoomAsync(cancellationToken);
                lock (handles)
                    handles.Add(handle);
                var streams = new JsonArray();
                for (int i = 0; i < feeds.Length; i++)
                {
                    if (i != index && feeds[i] is { } feed)
                        streams.Add(new JsonObject { ["feed"] = feed });
                }
                JsonObject attached;
                for (int attempt = 1; ; attempt++)
                {
                    try
                    {
                        attached = await api.MessageAsync(handle, new JsonObject
                        {
                            ["request"] = "join",
                            ["ptype"] = "subscriber",
                            ["room"] = room,
                            ["streams"] = streams.DeepClone(),
                        }, null, null, cancellationToken);
                        break;
                    }
                    catch (InvalidOperationException exception) when (attempt < 50 && exception.Message.Contains("\"error_code\":428", StringComparison.Ordinal))
                    {
                        // 428 "No such feed": Janus lists a publisher only after its own "webrtcup", which
                        // may come a moment after our side of the handshake completed.
                        await Task.Delay(100, cancellationToken);
                    }
                }
                var offer = SessionDescription.Parse((string?)attached["jsep"]?["sdp"] ?? throw new InvalidOperationException("Janus sent no offer: " + attached.ToJsonString()));
                string answer = SdpShapes.SubscribeAnswer(offer, peer.LocalIce, SrtpPeer.Certificate, 1);
                await api.MessageAsync(handle, new JsonObject { ["request"] = "start" }, "answer", answer, cancellationToken);
                var (ice, fingerprint, candidate) = SdpShapes.RemoteTransport(offer);
                await peer.ConnectAsync(ice, fingerprint, candidate).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                lock (counters)
                    counters.Add(peer.Counters);
            });
        }
        catch
        {
            if (Debug)
                Console.Error.WriteLine("Janus log:\n" + _server!.Tail);
            await TeardownAsync(api, room, admin, handles, peers);
            throw;
        }

        return new StepSession(publishers, counters, () => new ValueTask(TeardownAsync(api, room, admin, handles, peers))) { SrtpProfile = profileName };
    }

    private static async Task TeardownAsync(JanusApi api, long room, long admin, List<long> handles, List<SrtpPeer> peers)
    {
        foreach (SrtpPeer peer in peers)
            await peer.DisposeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await api.MessageAsync(admin, new JsonObject { ["request"] = "destroy", ["room"] = room }, null, null, timeout.Token);
            foreach (long handle in handles)
                await api.DetachAsync(handle, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            // Janus reaps what is left when the session ends.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
            await _api.DisposeAsync();
        _server?.Dispose();
        if (_configFolder is not null)
            Directory.Delete(_configFolder, recursive: true);
    }
}
