namespace Sotto.Rooms;

/// <summary>Why a room operation was refused. The host maps each to a stable wire code.</summary>
public enum RoomError
{
    None,
    InvalidRoomName,
    WeakRoomName,
    RoomFull,
    ServerFull,
    LobbyFull,
    SlotsExhausted,
    PasswordRequired,
    WrongPassword,
    InvalidPassword,
    /// <summary>The room is locked and the caller may not knock now (per-address knock limit).</summary>
    KnockRefused,
    NotModerator,
    UnknownParticipant,
    InvalidTarget,
    /// <summary>The seat is gone (left, removed, ended) or in the wrong place (lobby) for this operation.</summary>
    WrongState,
    ResumeFailed,
}
