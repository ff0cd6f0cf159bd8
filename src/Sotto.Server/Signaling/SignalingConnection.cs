using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Sotto.Rooms;
using Sotto.Server.Media;
using Sotto.Sfu;
using Sotto.Sfu.Adaptation;
using Sotto.Sfu.Negotiation;
using Sotto.Server.Observability;
using Sotto.Server.Signaling.Protocol;

namespace Sotto.Server.Signaling;

/// <summary>
/// One client's /ws connection. A receive loop parses and validates messages and calls into its seat; a
/// send loop writes replies and room events from one ordered queue. Rooms reach it only through
/// <see cref="IParticipantSink"/>, under their lock, so nothing here blocks them.
/// </summary>
internal sealed class SignalingConnection : IParticipantSink
{
    /// <summary>E2EE blobs up to 96 KiB (E2EE-SPEC §S12), counted in characters of the opaque string.</summary>
    public const int MaxBlobChars = 96 * 1024;

    private const int MaxRequestIdLength = 64;
    private const int MaxSdpChars = 64 * 1024;
    private const int MaxPublishedTracks = 16;
    private const int MaxMidLength = 32;
    private const int MaxMediaSettingsEntries = 64;
    private const int MaxTileDimension = 16384;
    private const int InitialReceiveBuffer = 4096;
    private const int ReplacedCloseStatus = 4001;
    private const int OverflowCloseStatus = 4002;

    // Passed by argument.
    private readonly WebSocket _socket;
    private readonly SignalingServices _services;
    private readonly string _addressKey;
    private readonly string _addressForLog;

    // Allocated by this.
    private readonly Channel<Outbound> _outbox = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _lifetime;
    private readonly Func<bool> _tryKnock;
    private int _queuedEvents;
    private long _queuedBytes;
    private volatile Participant? _participant;
    private int _violations;
    private int _rateCount;
    private DateTimeOffset _rateWindowStart;
    private volatile bool _leaving;
    private volatile bool _closing;
    private volatile bool _aborted;
    private volatile bool _sendLoopDone;
    private RoomEvent? _inFlight;
    private readonly Action<byte[]> _sendMedia;
    private volatile bool _inLobby;

    public SignalingConnection(WebSocket socket, SignalingServices services, long id, string addressKey, string addressForLog, CancellationToken stopping)
    {
        _socket = socket;
        _services = services;
        Id = id;
        _addressKey = addressKey;
        _addressForLog = addressForLog;
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _tryKnock = () => _services.Guards.Knocks.TryAcquire(_addressKey, out _);
        _sendMedia = Enqueue;
    }

    public long Id { get; }

    private ILogger Log => _services.Logger;

    public async Task RunAsync()
    {
        _services.Metrics.ConnectionOpened();
        ServerLog.ConnectionOpened(Log, Id, _addressForLog);
        var sendLoop = SendLoopAsync();
        var closeStatus = "none";
        try
        {
            Enqueue(ServerMessageWriter.Welcome(_services.Options.MaxMessageBytes, MaxBlobChars));
            closeStatus = await ReceiveLoopAsync();
        }
        catch (OperationCanceledException)
        {
            closeStatus = "cancelled";
        }
        catch (WebSocketException)
        {
            closeStatus = "dropped";
        }
        catch (Exception ex)
        {
            ServerLog.ConnectionFailed(Log, Id, ex);
            closeStatus = "failed";
        }
        finally
        {
            _outbox.Writer.TryComplete();
            // Let the send loop finish its close handshake, but never wait longer than the close timeout.
            await Task.WhenAny(sendLoop, Task.Delay(_services.Options.CloseTimeout));
            await AwaitPeerCloseAsync();
            await _lifetime.CancelAsync();
            await sendLoop;
            ReleaseSeat();
            _services.Metrics.ConnectionClosed();
            ServerLog.ConnectionClosed(Log, Id, closeStatus);
            _lifetime.Dispose();
            _socket.Dispose();
        }
    }

    /// <summary>
    /// When we sent a close frame (ours, or the WebSocket layer's after invalid UTF-8) and the peer has not
    /// answered yet, wait briefly for its reply: tearing the TCP connection down first makes the kernel
    /// reset it, and the peer may lose our close frame and its status code with it.
    /// </summary>
    private async Task AwaitPeerCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseSent)
            return;
        var scratch = new byte[256];
        using var timeout = new CancellationTokenSource(_services.Options.CloseTimeout);
        try
        {
            while (_socket.State == WebSocketState.CloseSent)
                await _socket.ReceiveAsync(scratch.AsMemory(), timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>The server is stopping: tell the client, then close with 1001 (going away).</summary>
    public void NotifyShutdown()
    {
        _leaving = true;
        Enqueue(ServerMessageWriter.Notice(MessageTypes.ServerShutdown, null, null));
        _outbox.Writer.TryWrite(Outbound.CloseWith(WebSocketCloseStatus.EndpointUnavailable, "server shutting down"));
    }

    // ---- receiving ----

    private async Task<string> ReceiveLoopAsync()
    {
        var options = _services.Options;
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        try
        {
            while (true)
            {
                var length = 0;
                long discarded = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    var capacity = Math.Min(buffer.Length, options.MaxMessageBytes);
                    if (length == capacity && discarded == 0 && capacity < options.MaxMessageBytes)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, options.MaxMessageBytes));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                        capacity = Math.Min(buffer.Length, options.MaxMessageBytes);
                    }
                    if (length == capacity)
                    {
                        // Larger than we accept: read to the end of the message but discard it, so the connection
                        // survives; a client streaming without end is cut off.
                        discarded += length;
                        length = 0;
                        if (discarded > 16L * options.MaxMessageBytes)
                        {
                            Violation(ErrorCodes.MessageTooLarge, null, WebSocketCloseStatus.MessageTooBig, force: true);
                            return "oversize";
                        }
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length, capacity - length), _lifetime.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        var status = _socket.CloseStatus;
                        if (status is WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable)
                            _leaving = true;
                        if (!_closing)
                            _outbox.Writer.TryWrite(Outbound.CloseWith(WebSocketCloseStatus.NormalClosure, null));
                        return status?.ToString() ?? "close";
                    }
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                var oversize = discarded > 0;

                if (_closing)
                    continue;
                if (oversize)
                {
                    Violation(ErrorCodes.MessageTooLarge, null, WebSocketCloseStatus.MessageTooBig);
                    continue;
                }
                if (result.MessageType != WebSocketMessageType.Text)
                {
                    Violation(ErrorCodes.Malformed, null, WebSocketCloseStatus.InvalidMessageType);
                    continue;
                }
                if (!WithinRate())
                {
                    Violation(ErrorCodes.RateLimited, null, WebSocketCloseStatus.PolicyViolation);
                    continue;
                }
                Handle(buffer.AsSpan(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool WithinRate()
    {
        var now = _services.Time.GetUtcNow();
        if (now - _rateWindowStart >= _services.Options.MessageRateWindow)
        {
            _rateWindowStart = now;
            _rateCount = 0;
        }
        return ++_rateCount <= _services.Options.MessageRateLimit;
    }

    private void Handle(ReadOnlySpan<byte> utf8)
    {
        ClientMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(utf8, SignalingJsonContext.Default.ClientMessage);
        }
        catch (JsonException)
        {
            message = null;
        }
        if (message?.Type is not { } type)
        {
            _services.Metrics.MessageReceived("unknown");
            Violation(ErrorCodes.Malformed, null, WebSocketCloseStatus.PolicyViolation);
            return;
        }
        _services.Metrics.MessageReceived(MessageTypes.Known.Contains(type) ? type : "unknown");
        if (!TryGetRequestId(message.Id, out var re))
        {
            Violation(ErrorCodes.InvalidMessage, null, WebSocketCloseStatus.PolicyViolation);
            return;
        }
        message.RequestId = re;

        switch (type)
        {
            case MessageTypes.Ping:
                Enqueue(ServerMessageWriter.Notice(MessageTypes.Pong, re, null));
                break;
            case MessageTypes.Join:
                Join(message);
                break;
            case MessageTypes.Resume:
                Resume(message);
                break;
            case MessageTypes.Leave:
                if (_participant is not { } leaving)
                {
                    Error(ErrorCodes.WrongState, re);
                    break;
                }
                _participant = null;
                leaving.Leave();
                _services.Media.End(leaving.Info.Id);
                Enqueue(ServerMessageWriter.Notice(MessageTypes.Ok, re, null));
                break;
            case MessageTypes.Publish:
                Publish(message);
                break;
            case MessageTypes.SubscribeAnswer:
                SubscribeAnswer(message);
                break;
            case MessageTypes.MediaSettings:
                MediaSettings(message);
                break;
            case MessageTypes.E2ee:
                Relay(message);
                break;
            case MessageTypes.Admit:
                WithTarget(message, static (p, t) => p.Admit(t));
                break;
            case MessageTypes.Deny:
                WithTarget(message, static (p, t) => p.Deny(t));
                break;
            case MessageTypes.Remove:
                WithTarget(message, static (p, t) => p.Remove(t));
                break;
            case MessageTypes.Lock:
                if (message.Locked is not { } locked)
                    Error(ErrorCodes.InvalidMessage, re);
                else
                    Moderate(re, p => p.SetLocked(locked));
                break;
            case MessageTypes.SetPassword:
                var password = message.Password;
                Moderate(re, p => p.SetPassword(password));
                break;
            case MessageTypes.MuteAll:
                Moderate(re, static p => p.MuteAll());
                break;
            case MessageTypes.End:
                // Everyone, the sender included, receives room-ended instead of an ok.
                if (_participant is null)
                    Error(ErrorCodes.WrongState, re);
                else if (_participant.End() is var ended and not RoomError.None)
                    Error(ErrorCodes.FromRoomError(ended), re);
                break;
            default:
                if (MessageTypes.ReservedForMedia.Contains(type))
                    Error(ErrorCodes.NotImplemented, re);
                else
                    Violation(ErrorCodes.UnknownType, re, WebSocketCloseStatus.PolicyViolation);
                break;
        }
    }

    private void Join(ClientMessage message)
    {
        var re = message.RequestId;
        if (_participant is not null)
        {
            Error(ErrorCodes.WrongState, re);
            return;
        }
        if (!RoomKey.TryParse(message.Room, out var key))
        {
            Error(ErrorCodes.InvalidRoom, re);
            return;
        }
        var guards = _services.Guards;
        if (!guards.Joins.TryAcquire(_addressKey, out var retry))
        {
            ServerLog.Throttled(Log, "joins", _addressForLog);
            Error(ErrorCodes.JoinRateLimited, re, retry);
            return;
        }
        if (message.Password is not null && guards.Passwords.IsBlocked(_addressKey, out retry))
        {
            Error(ErrorCodes.PasswordBackoff, re, retry);
            return;
        }
        var result = _services.Rooms.Join(
            new JoinRequest(key, message.Password, _tryKnock, re), this);
        // Count the failure before answering, so the client's next attempt already sees it.
        if (result.Error == RoomError.WrongPassword)
            guards.Passwords.RecordFailure(_addressKey);
        Seat(result, re, resumed: false);
    }

    private void Resume(ClientMessage message)
    {
        var re = message.RequestId;
        if (_participant is not null)
        {
            Error(ErrorCodes.WrongState, re);
            return;
        }
        if (message.Token is null)
        {
            Error(ErrorCodes.InvalidMessage, re);
            return;
        }
        Seat(_services.Rooms.Resume(message.Token, this, re), re, resumed: true);
    }

    private void Seat(JoinResult result, string? re, bool resumed)
    {
        if (!result.Succeeded)
        {
            var code = ErrorCodes.FromRoomError(result.Error);
            _services.Metrics.JoinOutcome(code);
            ServerLog.Refused(Log, Id, code);
            Error(code, re);
            return;
        }
        _participant = result.Participant;
        _inLobby = result.InLobby;
        if (!result.InLobby)
            StartMedia(result.Participant!);
        _services.Metrics.JoinOutcome(result.InLobby ? "lobby" : resumed ? "resumed" : "member");
        ServerLog.Seated(Log, Id, result.Participant!.Info.Slot, result.Participant.Room.LogId, result.InLobby, resumed);
    }

    // ---- media (docs/protocol.md "Media") ----

    /// <summary>
    /// A member gets media at once, so it receives subscribe offers even before (or without) publishing;
    /// a resumed connection takes over the seat's existing media session.
    /// </summary>
    private void StartMedia(Participant participant)
    {
        try
        {
            _services.Media.GetOrJoin(participant).Attach(_sendMedia);
        }
        catch (SfuNegotiationException ex)
        {
            ServerLog.MediaRefused(Log, Id, ex.Code);
        }
    }

    private void Publish(ClientMessage message)
    {
        var re = message.RequestId;
        if (_participant is not { } participant || _inLobby)
        {
            Error(ErrorCodes.WrongState, re);
            return;
        }
        if (message.Sdp is not { Length: > 0 and <= MaxSdpChars } sdp || message.Tracks is not { Length: <= MaxPublishedTracks } tracks)
        {
            Error(ErrorCodes.InvalidMessage, re);
            return;
        }
        var requests = new List<PublishTrackRequest>(tracks.Length);
        foreach (var track in tracks)
        {
            if (track?.Mid is not { Length: > 0 and <= MaxMidLength } mid || !MediaNames.TryParseSource(track.Source, out var source))
            {
                Error(ErrorCodes.InvalidMessage, re);
                return;
            }
            requests.Add(new PublishTrackRequest(mid, source));
        }
        try
        {
            // Normally the session exists since the seat was taken; after media-closed this starts a new one.
            var session = _services.Media.GetOrJoin(participant);
            session.Attach(_sendMedia);
            var answer = session.Media.Publish(sdp, requests);
            Enqueue(ServerMessageWriter.PublishAnswer(re, answer));
        }
        catch (SfuNegotiationException ex)
        {
            ServerLog.MediaRefused(Log, Id, ex.Code);
            Error(ErrorCodes.FromNegotiation(ex.Code), re);
        }
    }

    private void SubscribeAnswer(ClientMessage message)
    {
        var re = message.RequestId;
        if (_participant is not { } participant || _services.Media.Find(participant.Info.Id) is not { } session)
        {
            Error(ErrorCodes.WrongState, re);
            return;
        }
        if (message.Version is not { } version || message.Sdp is not { Length: > 0 and <= MaxSdpChars } sdp)
        {
            Error(ErrorCodes.InvalidMessage, re);
            return;
        }
        try
        {
            session.ApplyAnswer(version, sdp);
            if (re is not null)
                Enqueue(ServerMessageWriter.Notice(MessageTypes.Ok, re, null));
        }
        catch (SfuNegotiationException ex)
        {
            ServerLog.MediaRefused(Log, Id, ex.Code);
            Error(ErrorCodes.FromNegotiation(ex.Code), re);
        }
    }

    /// <summary>What the member wants to receive (docs/protocol.md <c>media-settings</c>): tile sizes, hidden tiles, pins, audio only.</summary>
    private void MediaSettings(ClientMessage message)
    {
        var re = message.RequestId;
        if (_participant is not { } participant || _inLobby || _services.Media.Find(participant.Info.Id) is not { } session)
        {
            Error(ErrorCodes.WrongState, re);
            return;
        }
        if (message.Views is { Length: > MaxMediaSettingsEntries } || message.Pinned is { Length: > MaxMediaSettingsEntries })
        {
            Error(ErrorCodes.InvalidMessage, re);
            return;
        }
        var views = new List<(string, TrackView)>();
        foreach (var view in message.Views ?? [])
        {
            if (view?.Mid is not { Length: > 0 and <= MaxMidLength } mid
                || view.Width is < 0 or > MaxTileDimension || view.Height is < 0 or > MaxTileDimension)
            {
                Error(ErrorCodes.InvalidMessage, re);
                return;
            }
            views.Add((mid, view.Hidden == true ? TrackView.HiddenView : new TrackView(view.Width ?? 0, view.Height ?? 0, false)));
        }
        foreach (var id in message.Pinned ?? [])
        {
            if (id is null || !ParticipantIdFormat.IsWellFormed(id))
            {
                Error(ErrorCodes.InvalidMessage, re);
                return;
            }
        }
        if (message.Speaking is { } speaking)
            session.Media.ReportSpeaking(speaking);
        if (message.AudioOnly is not null || message.Pinned is not null || views.Count > 0)
            session.Media.SetMediaSettings(message.AudioOnly, message.Pinned, views);
        if (re is not null)
            Enqueue(ServerMessageWriter.Notice(MessageTypes.Ok, re, null));
    }

    private void Relay(ClientMessage message)
    {
        var re = message.RequestId;
        if (_participant is null)
        {
            Error(ErrorCodes.WrongState, re);
            return;
        }
        if (message.Blob is not { } blob || message.To is not { } to || (to != Room.Everyone && !ParticipantIdFormat.IsWellFormed(to)))
        {
            Error(ErrorCodes.InvalidMessage, re);
            return;
        }
        if (blob.Length > MaxBlobChars)
        {
            Error(ErrorCodes.BlobTooLarge, re);
            return;
        }
        // No acknowledgement: the relay stays light; only refusals are answered.
        if (_participant.SendBlob(to, blob) is var error and not RoomError.None)
            Error(ErrorCodes.FromRoomError(error), re);
    }

    private void WithTarget(ClientMessage message, Func<Participant, string, RoomError> action)
    {
        if (message.Target is not { } target || !ParticipantIdFormat.IsWellFormed(target))
        {
            Error(ErrorCodes.InvalidMessage, message.RequestId);
            return;
        }
        Moderate(message.RequestId, p => action(p, target));
    }

    private void Moderate(string? re, Func<Participant, RoomError> action)
    {
        if (_participant is null)
        {
            Error(ErrorCodes.WrongState, re);
            return;
        }
        var error = action(_participant);
        if (error == RoomError.None)
            Enqueue(ServerMessageWriter.Notice(MessageTypes.Ok, re, null));
        else
            Error(ErrorCodes.FromRoomError(error), re);
    }

    /// <summary>A request id is a string of up to 64 characters or an integer; kept as its raw JSON text.</summary>
    private static bool TryGetRequestId(JsonElement? id, out string? raw)
    {
        raw = null;
        if (id is not { } element || element.ValueKind == JsonValueKind.Null)
            return true;
        if (element.ValueKind == JsonValueKind.String && element.GetString()!.Length <= MaxRequestIdLength)
        {
            raw = element.GetRawText();
            return true;
        }
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out _))
        {
            raw = element.GetRawText();
            return true;
        }
        return false;
    }

    private void Error(string code, string? re, TimeSpan? retryAfter = null)
    {
        _services.Metrics.ErrorSent(code);
        Enqueue(ServerMessageWriter.Error(code, re, retryAfter));
    }

    /// <summary>
    /// Answers bad input with an error frame and keeps the connection, unless the client keeps misbehaving:
    /// then close with <paramref name="closeStatus"/> (1008 policy, 1009 too big, 1003 binary).
    /// </summary>
    private void Violation(string code, string? re, WebSocketCloseStatus closeStatus, bool force = false)
    {
        ServerLog.ProtocolError(Log, Id, code);
        Error(code, re);
        if (++_violations <= _services.Options.MaxViolations && !force)
            return;
        _closing = true;
        _leaving = true; // an abuser's seat is released at once, not kept for a resume
        ServerLog.ClosedForAbuse(Log, Id, closeStatus.ToString(), _addressForLog);
        _outbox.Writer.TryWrite(Outbound.CloseWith(closeStatus, code));
    }

    // ---- sending ----

    private void Enqueue(byte[] payload) => _outbox.Writer.TryWrite(Outbound.Frame(payload));

    private async Task SendLoopAsync()
    {
        var token = _lifetime.Token;
        try
        {
            await foreach (var item in _outbox.Reader.ReadAllAsync(token))
            {
                if (item.Event is { } roomEvent)
                {
                    Interlocked.Decrement(ref _queuedEvents);
                    Interlocked.Add(ref _queuedBytes, -roomEvent.ApproximateBytes);
                    _inFlight = roomEvent;
                    var bytes = ServerMessageWriter.Serialize(roomEvent, _services.RoomsOptions.ResumeWindow);
                    await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, token);
                    _inFlight = null;
                    if (roomEvent.IsTerminal)
                    {
                        // Removed, ended or denied: the seat is gone; say goodbye with a normal close.
                        _participant = null;
                        await CloseAsync(WebSocketCloseStatus.NormalClosure, MessageTypesFor(roomEvent), token);
                        return;
                    }
                }
                else if (item.Payload is { } payload)
                {
                    await _socket.SendAsync(payload, WebSocketMessageType.Text, true, token);
                }
                else
                {
                    await CloseAsync(item.CloseStatus, item.CloseDescription, token);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _sendLoopDone = true;
        }
    }

    private static string MessageTypesFor(RoomEvent e) => e switch
    {
        RemovedEvent => MessageTypes.Removed,
        RoomEndedEvent => MessageTypes.RoomEnded,
        _ => MessageTypes.Denied,
    };

    private async Task CloseAsync(WebSocketCloseStatus status, string? description, CancellationToken token)
    {
        _closing = true;
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            await _socket.CloseOutputAsync(status, description, token);
        // The receive loop waits for the client's close reply; do not let a silent client hold us.
        _lifetime.CancelAfter(_services.Options.CloseTimeout);
    }

    private void ReleaseSeat()
    {
        var participant = _participant;
        _participant = null;
        if (participant is null || _aborted)
            return;
        if (_leaving)
        {
            participant.Leave();
            _services.Media.End(participant.Info.Id);
        }
        else
        {
            // The seat waits for a resume; its media keeps flowing (UDP does not need this socket).
            _services.Media.Find(participant.Info.Id)?.Detach(_sendMedia);
            participant.Disconnect(this);
        }
    }

    // ---- IParticipantSink (called under a room's lock) ----

    bool IParticipantSink.TryDeliver(RoomEvent roomEvent)
    {
        ObserveForMedia(roomEvent);
        var bytes = roomEvent.ApproximateBytes;
        var queuedBytes = Interlocked.Add(ref _queuedBytes, bytes);
        if ((Interlocked.Increment(ref _queuedEvents) > _services.Options.SendQueueCapacity || queuedBytes > _services.Options.SendQueueBytes)
            && !roomEvent.IsTerminal)
        {
            Interlocked.Decrement(ref _queuedEvents);
            Interlocked.Add(ref _queuedBytes, -bytes);
            return false;
        }
        return _outbox.Writer.TryWrite(Outbound.For(roomEvent));
    }

    /// <summary>
    /// Room events that end or start someone's media. Called under the room's lock: the SFU work
    /// (closing transports, renegotiating the others) runs on the thread pool.
    /// </summary>
    private void ObserveForMedia(RoomEvent roomEvent)
    {
        switch (roomEvent)
        {
            case ParticipantLeftEvent left:
                // Left, removed, or its resume window ran out: every remaining member hears it; End is idempotent.
                _services.Media.EndSoon(left.Participant.Id);
                break;
            case JoinedEvent joined when _inLobby && !joined.Resumed:
                // Admitted from the lobby.
                _inLobby = false;
                if (_participant is { } admitted)
                    ThreadPool.UnsafeQueueUserWorkItem(static state => state.Connection.StartMedia(state.Participant), (Connection: this, Participant: admitted), preferLocal: false);
                break;
            case { IsTerminal: true } when _participant is { } self:
                _services.Media.EndSoon(self.Info.Id);
                break;
            default:
                break;
        }
    }

    void IParticipantSink.Abort(SeatEndReason reason)
    {
        _aborted = true;
        _closing = true;
        var status = (WebSocketCloseStatus)(reason == SeatEndReason.Replaced ? ReplacedCloseStatus : OverflowCloseStatus);
        _outbox.Writer.TryWrite(Outbound.CloseWith(status, reason == SeatEndReason.Replaced ? "resumed elsewhere" : "too slow"));
        if (reason == SeatEndReason.Overflow)
        {
            // Never cancel inline: we are under the room's lock.
            ThreadPool.UnsafeQueueUserWorkItem(static cts => { try { cts.Cancel(); } catch (ObjectDisposedException) { } }, _lifetime, preferLocal: false);
        }
    }

    void IParticipantSink.DrainUndelivered(ICollection<RoomEvent> into)
    {
        // The in-flight event counts only once the send loop is over (it was never confirmed sent).
        if (_sendLoopDone && _inFlight is { } inFlight)
            into.Add(inFlight);
        while (_outbox.Reader.TryRead(out var item))
        {
            if (item.Event is { } e)
                into.Add(e);
        }
    }

    private readonly record struct Outbound(RoomEvent? Event, byte[]? Payload, WebSocketCloseStatus CloseStatus, string? CloseDescription)
    {
        public static Outbound For(RoomEvent e) => new(e, null, default, null);

        public static Outbound Frame(byte[] payload) => new(null, payload, default, null);

        public static Outbound CloseWith(WebSocketCloseStatus status, string? description) => new(null, null, status, description);
    }
}
