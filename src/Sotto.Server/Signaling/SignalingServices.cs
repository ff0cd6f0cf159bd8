using Microsoft.Extensions.Logging;
using Sotto.Rooms;
using Sotto.Server.Abuse;
using Sotto.Server.Media;
using Sotto.Server.Observability;
using Sotto.Server.Options;

namespace Sotto.Server.Signaling;

/// <summary>What every signaling connection shares: rooms, limits, metrics, logging, clock.</summary>
internal sealed record SignalingServices(
    RoomRegistry Rooms,
    RoomsOptions RoomsOptions,
    SottoOptions Options,
    AbuseGuards Guards,
    SottoMetrics Metrics,
    ILogger Logger,
    TimeProvider Time,
    MediaSessions Media);
