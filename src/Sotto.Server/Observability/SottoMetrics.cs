using System.Diagnostics.Metrics;
using Sotto.Rooms;
using Sotto.Sfu;

namespace Sotto.Server.Observability;

/// <summary>
/// Aggregate figures only (rooms, participants, connections, messages by type, errors by code): never a
/// room name, id or address. Exposed at /metrics by the OpenTelemetry Prometheus exporter.
/// </summary>
internal sealed class SottoMetrics : IDisposable
{
    public const string MeterName = "Sotto.Server";

    private readonly Meter _meter;
    private readonly Counter<long> _messagesIn;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _joins;
    private int _connections;

    public SottoMetrics(IMeterFactory meterFactory, RoomRegistry rooms, SfuHost sfu)
    {
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("sotto.rooms", () => rooms.RoomCount, description: "Rooms open on this node");
        _meter.CreateObservableGauge("sotto.participants", () => rooms.ParticipantCount, description: "Seats (members and lobby) on this node");
        _meter.CreateObservableGauge("sotto.connections", () => Volatile.Read(ref _connections), description: "Open signaling connections");
        _messagesIn = _meter.CreateCounter<long>("sotto.signaling.messages", description: "Signaling messages received, by type");
        _errors = _meter.CreateCounter<long>("sotto.signaling.errors", description: "Error replies sent, by code");
        _joins = _meter.CreateCounter<long>("sotto.joins", description: "Join and resume outcomes");

        // The SFU: sums over all rooms, never per room.
        _meter.CreateObservableGauge("sotto.media.rooms", () => sfu.GetMetrics().Rooms, description: "Rooms with media");
        _meter.CreateObservableGauge("sotto.media.producers", () => sfu.GetMetrics().Producers, description: "Published tracks");
        _meter.CreateObservableGauge("sotto.media.consumers", () => sfu.GetMetrics().Consumers, description: "Forwarded tracks (one per subscriber per remote track)");
        _meter.CreateObservableGauge("sotto.media.transports", () => sfu.GetMetrics().Transports, description: "ICE/DTLS transports");
        _meter.CreateObservableCounter("sotto.media.packets.received", () => sfu.GetMetrics().Totals.PacketsReceived, description: "RTP packets from publishers");
        _meter.CreateObservableCounter("sotto.media.packets.forwarded", () => sfu.GetMetrics().Totals.PacketsForwarded, description: "RTP packets to subscribers");
        _meter.CreateObservableCounter("sotto.media.bytes.forwarded", () => sfu.GetMetrics().Totals.BytesForwarded, description: "RTP bytes to subscribers");
        _meter.CreateObservableCounter("sotto.media.packets.lost", () => sfu.GetMetrics().Totals.PacketsLost, description: "Upstream packets found missing");
        _meter.CreateObservableCounter("sotto.media.nacks", () => sfu.GetMetrics().Totals.NacksReceived, description: "NACKs from subscribers");
        _meter.CreateObservableCounter("sotto.media.retransmissions", () => sfu.GetMetrics().Totals.RetransmissionsSent, description: "RTX packets to subscribers");
        _meter.CreateObservableCounter("sotto.media.plis", () => sfu.GetMetrics().Totals.PlisSent, description: "Key-frame requests to publishers");
    }

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    /// <param name="type">A known type or "unknown": label values stay a small fixed set.</param>
    public void MessageReceived(string type) => _messagesIn.Add(1, new KeyValuePair<string, object?>("type", type));

    public void ErrorSent(string code) => _errors.Add(1, new KeyValuePair<string, object?>("code", code));

    public void JoinOutcome(string outcome) => _joins.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
