namespace Sotto.Client;

/// <summary>One emoji of a pair code or the room code: its number in the Matrix SAS table, glyph, and names read aloud (§S4.6).</summary>
public sealed record CodeEmoji(int Number, string Emoji, string English, string Russian);

/// <summary>What happened in the call.</summary>
public enum CallEventKind
{
    /// <summary>The server announced a participant (<see cref="CallEvent.PeerId"/>).</summary>
    ParticipantJoined,
    /// <summary>The server says the participant left.</summary>
    ParticipantLeft,
    /// <summary>The encrypted channel with a peer is confirmed; <see cref="CallEvent.Code"/> is the pair code.</summary>
    PeerVerifiable,
    /// <summary>The peer said its name (<see cref="CallEvent.Text"/>).</summary>
    PeerNamed,
    /// <summary>The encrypted channel with a peer failed; <see cref="CallEvent.Reason"/> says why (LINK_OR_TAMPER, NO_SECRET, …).</summary>
    PeerFailed,
    /// <summary>Something only an attack causes (KEY_CHANGED, DUPLICATE_SLOT, ROOM_CODE_TAMPER, SAS_MISMATCH).</summary>
    Alarm,
    /// <summary>A chat line (<see cref="CallEvent.Text"/>) from <see cref="CallEvent.PeerId"/>.</summary>
    Chat,
    /// <summary>The room safety code (<see cref="CallEvent.Code"/>) for <see cref="CallEvent.Count"/> people.</summary>
    RoomCode,
    /// <summary>A file offer from <see cref="CallEvent.PeerId"/>: <see cref="CallEvent.Text"/> is its name, <see cref="CallEvent.Reason"/> its id, <see cref="CallEvent.Count"/> its size. Nothing is fetched until accepted.</summary>
    FileOffered,
    /// <summary>An accepted file arrived whole and checked (§S10): <see cref="HeadlessParticipant.FileContent"/> gives it.</summary>
    FileComplete,
    /// <summary>An accepted file failed a check: nothing to save.</summary>
    FileFailed,
    /// <summary>The signaling connection dropped (the seat waits for a resume).</summary>
    Disconnected,
    /// <summary>The server ended our membership (<see cref="CallEvent.Reason"/>: removed, room-ended, server-shutdown, media-closed).</summary>
    Ended,
    /// <summary>A peer's in-call state changed: <see cref="HeadlessParticipant.PeerCallState"/> gives it.</summary>
    PeerCallState,
    /// <summary>The moderator admitted us from the lobby: we are a member now.</summary>
    Admitted,
    /// <summary>We are the moderator and <see cref="CallEvent.PeerId"/> waits in the lobby (server <c>knock</c>); its name and pair code may follow from the lobby channel.</summary>
    Knock,
    /// <summary>A lobby wait we were told of ended; <see cref="CallEvent.Reason"/>: admitted, denied, left or timeout.</summary>
    KnockEnded,
    /// <summary>The moderator locked or unlocked the room; <see cref="CallEvent.Reason"/>: "locked" or "unlocked".</summary>
    RoomLockChanged,
    /// <summary>The moderator role passed to <see cref="CallEvent.PeerId"/> (maybe us: <see cref="HeadlessParticipant.IsModerator"/>).</summary>
    ModeratorChanged,
}

/// <summary>One call event; fields a kind does not use are null.</summary>
public sealed record CallEvent(CallEventKind Kind, string? PeerId = null, string? Text = null, string? Reason = null, IReadOnlyList<CodeEmoji>? Code = null, int Count = 0);

/// <summary>The server refused a moderator action (<see cref="Code"/>: not-moderator, unknown-participant, wrong-state, room-full, …, docs/protocol.md).</summary>
public sealed class ModerationRefusedException(string action, string code, string message) : InvalidOperationException($"{action} refused: {code} ({message})")
{
    /// <summary>The request's type: lock, admit, deny.</summary>
    public string Action { get; } = action;

    /// <summary>The server's stable error code.</summary>
    public string Code { get; } = code;
}

/// <summary>The server refused to seat us (docs/protocol.md error codes: wrong-password, room-full, …).</summary>
public sealed class JoinRefusedException(string code, string message) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;

    /// <summary>The server's explanation; for <c>denied</c>, its reason (denied, timeout, room-closed).</summary>
    public string Detail { get; } = message;
}

/// <summary>A snapshot of one received track.</summary>
public sealed record RemoteTrackStats(
    string OwnerId, string Source, string Kind, long PacketsReceived, long FramesDecrypted, long KeyFramesDecrypted,
    long FramesValid, long FramesDropped, string LastDropReason, int Width, int Height, long RetransmissionsReceived, long EmptyFrames = 0, string? FirstInvalidFrame = null);
