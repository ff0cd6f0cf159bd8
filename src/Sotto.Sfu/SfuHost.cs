using System.Collections.Concurrent;
using System.Net;
using Sotto.Sfu.Stages;
using Sotto.Transport;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Sfu;

/// <summary>
/// The selective forwarding unit of one process: the shared UDP port (<see cref="UdpMux"/>), the
/// DTLS certificate, and a <see cref="Router"/> per room with media. Test-only
/// <see cref="IMediaPathStage"/>s come in through the constructor (DI) and nowhere else.
/// </summary>
public sealed class SfuHost : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Router> _routers = new(StringComparer.Ordinal);
    private readonly object _routersGate = new();
    private readonly IMediaPathStage[] _stages;

    public SfuHost(SfuOptions options, IEnumerable<IMediaPathStage>? stages = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _stages = stages?.ToArray() ?? [];
        Certificate = DtlsCertificate.Generate();
        var announced = options.AnnouncedAddress
            ?? (options.BindAddress.Equals(IPAddress.IPv6Any) || options.BindAddress.Equals(IPAddress.Any) ? IPAddress.Loopback : options.BindAddress);
        Mux = new UdpMux(new UdpMuxOptions { BindAddress = options.BindAddress, Port = options.Port, AnnouncedAddress = announced, ReceiveLoops = options.ReceiveLoops });
        AnnouncedEndPoint = new IPEndPoint(announced, Mux.LocalEndPoint.Port);
        TransportOptions = new WebRtcTransportOptions { Ice = new IceOptions { ConsentTimeout = options.ConsentTimeout } };
    }

    public SfuOptions Options { get; }

    /// <summary>The bound UDP endpoint (port 0 in options becomes the real port here).</summary>
    public IPEndPoint LocalEndPoint => Mux.LocalEndPoint;

    /// <summary>The candidate address and port written into every SDP.</summary>
    public IPEndPoint AnnouncedEndPoint { get; }

    internal UdpMux Mux { get; }

    internal DtlsCertificate Certificate { get; }

    internal WebRtcTransportOptions TransportOptions { get; }

    /// <summary>True when test-only stages are installed (never in a production host).</summary>
    public bool HasStages => _stages.Length > 0;

    /// <summary>Gives a participant media in a room; the room's router is created on first use.</summary>
    public SfuParticipant Join(string roomId, string participantId, int slot, ISfuSignal signal)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        ArgumentException.ThrowIfNullOrEmpty(participantId);
        ArgumentNullException.ThrowIfNull(signal);
        lock (_routersGate)
        {
            var router = _routers.GetOrAdd(roomId, id => new Router(id, this, Options, _stages));
            return router.Join(participantId, slot, signal);
        }
    }

    /// <summary>The router of a room, if it has media (tests and diagnostics).</summary>
    public Router? FindRouter(string roomId) => _routers.GetValueOrDefault(roomId);

    /// <summary>Every room's router (tests and diagnostics).</summary>
    public IReadOnlyCollection<Router> Routers => [.. _routers.Values];

    /// <summary>Aggregate figures across all rooms for /metrics: no room names, no participant ids.</summary>
    public SfuMetrics GetMetrics()
    {
        var totals = new MediaCounters();
        int rooms = 0, participants = 0, producers = 0, consumers = 0, transports = 0;
        long buffers = 0;
        foreach (var router in _routers.Values)
        {
            rooms++;
            participants += router.ParticipantCount;
            producers += router.LiveProducers;
            consumers += router.LiveConsumers;
            transports += router.LiveTransports;
            buffers += router.BuffersHeld;
            router.Counters.AddTo(totals);
        }
        return new SfuMetrics(rooms, participants, producers, consumers, transports, buffers, totals);
    }

    internal void OnParticipantRemoved(Router router)
    {
        lock (_routersGate)
        {
            if (router.TryMarkDisposedIfEmpty())
                _routers.TryRemove(new KeyValuePair<string, Router>(router.RoomId, router));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var router in _routers.Values)
            router.Dispose();
        _routers.Clear();
        await Mux.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Process-wide SFU figures (aggregates only, DESIGN.md §1 invariant 3).</summary>
public sealed record SfuMetrics(int Rooms, int Participants, int Producers, int Consumers, int Transports, long BuffersHeld, MediaCounters Totals);
