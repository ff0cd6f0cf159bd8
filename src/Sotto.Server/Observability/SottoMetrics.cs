using System.Diagnostics.Metrics;
using Sotto.Rooms;

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

    public SottoMetrics(IMeterFactory meterFactory, RoomRegistry rooms)
    {
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("sotto.rooms", () => rooms.RoomCount, description: "Rooms open on this node");
        _meter.CreateObservableGauge("sotto.participants", () => rooms.ParticipantCount, description: "Seats (members and lobby) on this node");
        _meter.CreateObservableGauge("sotto.connections", () => Volatile.Read(ref _connections), description: "Open signaling connections");
        _messagesIn = _meter.CreateCounter<long>("sotto.signaling.messages", description: "Signaling messages received, by type");
        _errors = _meter.CreateCounter<long>("sotto.signaling.errors", description: "Error replies sent, by code");
        _joins = _meter.CreateCounter<long>("sotto.joins", description: "Join and resume outcomes");
    }

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    /// <param name="type">A known type or "unknown": label values stay a small fixed set.</param>
    public void MessageReceived(string type) => _messagesIn.Add(1, new KeyValuePair<string, object?>("type", type));

    public void ErrorSent(string code) => _errors.Add(1, new KeyValuePair<string, object?>("code", code));

    public void JoinOutcome(string outcome) => _joins.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
