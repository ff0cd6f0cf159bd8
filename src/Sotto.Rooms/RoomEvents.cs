namespace Sotto.Rooms;

/// <summary>A participant as others see it: the opaque id and the slot (E2EE-SPEC §S2).</summary>
public readonly record struct ParticipantInfo(string Id, ushort Slot);

/// <summary>Why a member left the room, as told to the others.</summary>
public enum LeaveReason
{
    Left,
    /// <summary>The connection dropped and the seat was not resumed within the resume window.</summary>
    Timeout,
    Removed,
    /// <summary>The seat could not keep up (its connection or resume buffer overflowed).</summary>
    Dropped,
}

/// <summary>How a knock at a locked room ended, as told to the moderator.</summary>
public enum KnockOutcome
{
    Admitted,
    Denied,
    Left,
    Timeout,
}

/// <summary>Why a lobby participant was turned away.</summary>
public enum DenyReason
{
    Denied,
    Timeout,
    /// <summary>Every member left while they were waiting.</summary>
    RoomClosed,
}

/// <summary>Why a seat's connection was cut without a final event.</summary>
public enum SeatEndReason
{
    /// <summary>The seat was resumed on another connection.</summary>
    Replaced,
    /// <summary>The connection could not take more events.</summary>
    Overflow,
}

/// <summary>
/// Something a room tells one participant. Rooms create events; the host turns them into wire messages.
/// An event is delivered under the room's lock, so it is immutable and cheap to hand over.
/// </summary>
public abstract record RoomEvent
{
    /// <summary>After a terminal event the participant has no seat; the host closes the connection.</summary>
    public virtual bool IsTerminal => false;

    /// <summary>Rough size for bounding what is buffered across a seat resume.</summary>
    public virtual int ApproximateBytes => 64;
}

/// <summary>You are a member: first join, admission from the lobby, or a resumed seat.</summary>
public sealed record JoinedEvent(
    ParticipantInfo Self,
    bool IsModerator,
    ParticipantInfo Moderator,
    IReadOnlyList<ParticipantInfo> Participants,
    bool Locked,
    bool PasswordSet,
    string ResumeToken,
    string? RequestId,
    bool Resumed) : RoomEvent
{
    public override int ApproximateBytes => 128 + (Participants.Count * 40);
}

/// <summary>You wait in the lobby of a locked room.</summary>
public sealed record LobbyEvent(ParticipantInfo Self, string ResumeToken, string? RequestId, bool Resumed) : RoomEvent;

public sealed record ParticipantJoinedEvent(ParticipantInfo Participant) : RoomEvent;

public sealed record ParticipantLeftEvent(ParticipantInfo Participant, LeaveReason Reason) : RoomEvent;

/// <summary>To the moderator: someone knocks (waits in the lobby).</summary>
public sealed record KnockEvent(ParticipantInfo Participant) : RoomEvent;

/// <summary>To the moderator: a knock is over.</summary>
public sealed record KnockEndedEvent(ParticipantInfo Participant, KnockOutcome Outcome) : RoomEvent;

/// <summary>To a lobby participant: not admitted. Terminal.</summary>
public sealed record DeniedEvent(DenyReason Reason) : RoomEvent
{
    public override bool IsTerminal => true;
}

/// <summary>An opaque end-to-end blob; <see cref="To"/> is the recipient id or "*".</summary>
public sealed record E2eeEvent(string From, string To, string Blob) : RoomEvent
{
    public override int ApproximateBytes => 96 + Blob.Length;
}

public sealed record ModeratorChangedEvent(ParticipantInfo Moderator) : RoomEvent;

public sealed record RoomLockedEvent(bool Locked) : RoomEvent;

public sealed record PasswordChangedEvent(bool PasswordSet) : RoomEvent;

/// <summary>The moderator asks everyone to mute; clients decide (the server cannot touch media content).</summary>
public sealed record MuteRequestedEvent(ParticipantInfo By) : RoomEvent;

/// <summary>You were removed by the moderator. Terminal.</summary>
public sealed record RemovedEvent : RoomEvent
{
    public override bool IsTerminal => true;
}

/// <summary>The moderator ended the meeting for all. Terminal.</summary>
public sealed record RoomEndedEvent : RoomEvent
{
    public override bool IsTerminal => true;
}
