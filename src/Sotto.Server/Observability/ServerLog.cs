using Microsoft.Extensions.Logging;

namespace Sotto.Server.Observability;

/// <summary>
/// Every log line of the server. Rooms appear only as a keyed hash, participants only by slot, clients by
/// address only when the operator opted in (otherwise "-"); no tokens, no blobs, no names (DESIGN.md §1.3).
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Sotto listening; web client from {WebRoot}")]
    public static partial void Started(ILogger logger, string webRoot);

    [LoggerMessage(2, LogLevel.Debug, "Connection {ConnectionId} opened from {ClientAddress}")]
    public static partial void ConnectionOpened(ILogger logger, long connectionId, string clientAddress);

    [LoggerMessage(3, LogLevel.Debug, "Connection {ConnectionId} closed ({CloseStatus})")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId, string closeStatus);

    [LoggerMessage(4, LogLevel.Information, "Connection {ConnectionId} took slot {Slot} in room {RoomHash} (lobby: {InLobby}, resumed: {Resumed})")]
    public static partial void Seated(ILogger logger, long connectionId, int slot, string roomHash, bool inLobby, bool resumed);

    [LoggerMessage(5, LogLevel.Information, "Connection {ConnectionId} refused: {ErrorCode}")]
    public static partial void Refused(ILogger logger, long connectionId, string errorCode);

    [LoggerMessage(6, LogLevel.Debug, "Connection {ConnectionId} protocol error {ErrorCode}")]
    public static partial void ProtocolError(ILogger logger, long connectionId, string errorCode);

    [LoggerMessage(7, LogLevel.Warning, "Connection {ConnectionId} closed for abuse ({CloseStatus}) from {ClientAddress}")]
    public static partial void ClosedForAbuse(ILogger logger, long connectionId, string closeStatus, string clientAddress);

    [LoggerMessage(8, LogLevel.Information, "Room {RoomHash} closed")]
    public static partial void RoomClosed(ILogger logger, string roomHash);

    [LoggerMessage(9, LogLevel.Warning, "WebSocket refused: origin not allowed, from {ClientAddress}")]
    public static partial void OriginRefused(ILogger logger, string clientAddress);

    [LoggerMessage(10, LogLevel.Information, "Shutting down: telling {Count} connections")]
    public static partial void ShuttingDown(ILogger logger, int count);

    [LoggerMessage(11, LogLevel.Warning, "Rate limit {Limit} hit from {ClientAddress}")]
    public static partial void Throttled(ILogger logger, string limit, string clientAddress);

    [LoggerMessage(12, LogLevel.Warning, "Web client folder {WebRoot} not found; only the API is served")]
    public static partial void WebRootMissing(ILogger logger, string webRoot);

    [LoggerMessage(13, LogLevel.Error, "Connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(14, LogLevel.Information, "Media on UDP port {Port}, announced as {Announced}")]
    public static partial void MediaListening(ILogger logger, int port, string announced);

    [LoggerMessage(15, LogLevel.Debug, "Connection {ConnectionId} media negotiation refused: {ErrorCode}")]
    public static partial void MediaRefused(ILogger logger, long connectionId, string errorCode);

    [LoggerMessage(16, LogLevel.Information, "Rooms:MaxParticipantsPerRoom {Configured} is above Sotto:Media:MaxParticipantsPerRoom: rooms take at most {Limit} members")]
    public static partial void RoomSizeLimitedByMedia(ILogger logger, int configured, int limit);
}
