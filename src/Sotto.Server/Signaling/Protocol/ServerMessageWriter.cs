using System.Text.Json;
using Sotto.Rooms;

namespace Sotto.Server.Signaling.Protocol;

/// <summary>Turns room events and replies into UTF-8 JSON frames.</summary>
internal static class ServerMessageWriter
{
    private static SignalingJsonContext Json => SignalingJsonContext.Default;

    public static byte[] Serialize(RoomEvent roomEvent, TimeSpan resumeWindow)
    {
        var windowMs = (long)resumeWindow.TotalMilliseconds;
        return roomEvent switch
        {
            JoinedEvent e => JsonSerializer.SerializeToUtf8Bytes(
                new JoinedMessage(Re(e.RequestId), e.Self.Id, e.Self.Slot, e.IsModerator, e.Moderator.Id,
                    [.. e.Participants.Select(p => new ParticipantDto(p.Id, p.Slot))], e.Locked, e.PasswordSet,
                    e.ResumeToken, windowMs, e.Resumed),
                Json.JoinedMessage),
            LobbyEvent e => JsonSerializer.SerializeToUtf8Bytes(
                new LobbyMessage(Re(e.RequestId), e.Self.Id, e.Self.Slot, e.ResumeToken, windowMs, e.Resumed), Json.LobbyMessage),
            ParticipantJoinedEvent e => Participant(MessageTypes.ParticipantJoined, e.Participant, null),
            ParticipantLeftEvent e => Participant(MessageTypes.ParticipantLeft, e.Participant, Wire(e.Reason)),
            KnockEvent e => Participant(MessageTypes.Knock, e.Participant, null),
            KnockEndedEvent e => Participant(MessageTypes.KnockEnded, e.Participant, Wire(e.Outcome)),
            ModeratorChangedEvent e => Participant(MessageTypes.ModeratorChanged, e.Moderator, null),
            E2eeEvent e => JsonSerializer.SerializeToUtf8Bytes(new E2eeMessage(e.From, e.To, e.Blob), Json.E2eeMessage),
            RoomLockedEvent e => JsonSerializer.SerializeToUtf8Bytes(new RoomLockedMessage(e.Locked), Json.RoomLockedMessage),
            PasswordChangedEvent e => JsonSerializer.SerializeToUtf8Bytes(new PasswordChangedMessage(e.PasswordSet), Json.PasswordChangedMessage),
            MuteRequestedEvent e => JsonSerializer.SerializeToUtf8Bytes(new MuteRequestMessage(e.By.Id), Json.MuteRequestMessage),
            DeniedEvent e => Notice(MessageTypes.Denied, null, Wire(e.Reason)),
            RemovedEvent => Notice(MessageTypes.Removed, null, null),
            RoomEndedEvent => Notice(MessageTypes.RoomEnded, null, null),
            _ => throw new ArgumentOutOfRangeException(nameof(roomEvent), roomEvent.GetType().Name, "Unmapped room event."),
        };
    }

    public static byte[] Notice(string type, string? re, string? reason) =>
        JsonSerializer.SerializeToUtf8Bytes(new NoticeMessage(type, Re(re), reason), Json.NoticeMessage);

    public static byte[] Error(string code, string? re, TimeSpan? retryAfter = null) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new ErrorMessage(code, ErrorCodes.Describe(code), Re(re), retryAfter is { } r ? (long)Math.Ceiling(r.TotalMilliseconds) : null),
            Json.ErrorMessage);

    public static byte[] PublishAnswer(string? re, string sdp) =>
        JsonSerializer.SerializeToUtf8Bytes(new PublishAnswerMessage(Re(re), sdp), Json.PublishAnswerMessage);

    public static byte[] Welcome(int maxMessageBytes, int maxBlobChars) =>
        JsonSerializer.SerializeToUtf8Bytes(new WelcomeMessage(1, maxMessageBytes, maxBlobChars), Json.WelcomeMessage);

    /// <summary>
    /// Request ids travel as their raw JSON text (a string literal or an integer), so the reply echoes
    /// them with the type the client used.
    /// </summary>
    private static JsonElement? Re(string? rawJson) => rawJson is null ? null : JsonElement.Parse(rawJson);

    private static byte[] Participant(string type, ParticipantInfo p, string? reason) =>
        JsonSerializer.SerializeToUtf8Bytes(new ParticipantEventMessage(type, p.Id, p.Slot, reason), Json.ParticipantEventMessage);

    private static string Wire(LeaveReason reason) => reason switch
    {
        LeaveReason.Left => "left",
        LeaveReason.Timeout => "timeout",
        LeaveReason.Removed => "removed",
        _ => "dropped",
    };

    private static string Wire(KnockOutcome outcome) => outcome switch
    {
        KnockOutcome.Admitted => "admitted",
        KnockOutcome.Denied => "denied",
        KnockOutcome.Left => "left",
        _ => "timeout",
    };

    private static string Wire(DenyReason reason) => reason switch
    {
        DenyReason.Denied => "denied",
        DenyReason.Timeout => "timeout",
        _ => "room-closed",
    };
}
