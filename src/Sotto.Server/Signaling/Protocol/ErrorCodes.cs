using Sotto.Rooms;

namespace Sotto.Server.Signaling.Protocol;

/// <summary>Stable error codes of the signaling protocol, with the English text sent beside them.</summary>
internal static class ErrorCodes
{
    public const string Malformed = "malformed";
    public const string UnknownType = "unknown-type";
    public const string InvalidMessage = "invalid-message";
    public const string WrongState = "wrong-state";
    public const string MessageTooLarge = "message-too-large";
    public const string BlobTooLarge = "blob-too-large";
    public const string RateLimited = "rate-limited";
    public const string NotImplemented = "not-implemented";
    public const string InvalidRoom = "invalid-room";
    public const string WeakRoomName = "weak-room-name";
    public const string RoomFull = "room-full";
    public const string ServerFull = "server-full";
    public const string LobbyFull = "lobby-full";
    public const string SlotsExhausted = "slots-exhausted";
    public const string PasswordRequired = "password-required";
    public const string WrongPassword = "wrong-password";
    public const string InvalidPassword = "invalid-password";
    public const string PasswordBackoff = "password-backoff";
    public const string JoinRateLimited = "join-rate-limited";
    public const string KnockRateLimited = "knock-rate-limited";
    public const string NotModerator = "not-moderator";
    public const string UnknownParticipant = "unknown-participant";
    public const string InvalidTarget = "invalid-target";
    public const string ResumeFailed = "resume-failed";
    public const string BadSdp = "bad-sdp";
    public const string BadTracks = "bad-tracks";
    public const string BadVersion = "bad-version";

    /// <summary>The signaling code for an SFU negotiation refusal (docs/protocol.md "Media").</summary>
    public static string FromNegotiation(string sfuCode) => sfuCode switch
    {
        BadSdp => BadSdp,
        BadTracks => BadTracks,
        BadVersion => BadVersion,
        RoomFull => RoomFull,
        _ => WrongState,
    };

    public static string FromRoomError(RoomError error) => error switch
    {
        RoomError.InvalidRoomName => InvalidRoom,
        RoomError.WeakRoomName => WeakRoomName,
        RoomError.RoomFull => RoomFull,
        RoomError.ServerFull => ServerFull,
        RoomError.LobbyFull => LobbyFull,
        RoomError.SlotsExhausted => SlotsExhausted,
        RoomError.PasswordRequired => PasswordRequired,
        RoomError.WrongPassword => WrongPassword,
        RoomError.InvalidPassword => InvalidPassword,
        RoomError.KnockRefused => KnockRateLimited,
        RoomError.NotModerator => NotModerator,
        RoomError.UnknownParticipant => UnknownParticipant,
        RoomError.InvalidTarget => InvalidTarget,
        RoomError.ResumeFailed => ResumeFailed,
        _ => WrongState,
    };

    public static string Describe(string code) => code switch
    {
        Malformed => "The message is not a JSON object of the expected shape.",
        UnknownType => "Unknown message type.",
        InvalidMessage => "A required field is missing or invalid.",
        WrongState => "This message is not allowed in the current state.",
        MessageTooLarge => "The message is larger than the server accepts.",
        BlobTooLarge => "The end-to-end blob is larger than 96 KiB.",
        RateLimited => "Too many messages; slow down.",
        NotImplemented => "This media message is reserved and not available yet.",
        BadSdp => "The session description was refused (not valid SDP, no BUNDLE, ICE restart, wrong DTLS role, or m-lines not matching the offer).",
        BadTracks => "publish.tracks must name every sending m-line once, with a source of the right kind.",
        BadVersion => "No subscribe offer with this version is waiting for an answer.",
        InvalidRoom => "The room name is empty, too long (over 256 bytes) or malformed.",
        WeakRoomName => "This server requires a hard-to-guess room name.",
        RoomFull => "The room is full.",
        ServerFull => "The server has reached its room limit.",
        LobbyFull => "Too many people are waiting in this room's lobby.",
        SlotsExhausted => "This room has used all of its participant slots.",
        PasswordRequired => "The room needs a password.",
        WrongPassword => "Wrong password.",
        InvalidPassword => "A password must be 1 to 256 characters.",
        PasswordBackoff => "Too many wrong passwords; wait before trying again.",
        JoinRateLimited => "Too many join attempts from your address; wait a little.",
        KnockRateLimited => "Too many lobby knocks from your address; wait a little.",
        NotModerator => "Only the moderator can do this.",
        UnknownParticipant => "No such participant in this room.",
        InvalidTarget => "This participant cannot be addressed this way.",
        ResumeFailed => "The seat cannot be resumed (unknown or expired token); join again.",
        _ => code,
    };
}
