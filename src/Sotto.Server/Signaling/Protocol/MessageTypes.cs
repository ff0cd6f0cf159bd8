using System.Collections.Frozen;

namespace Sotto.Server.Signaling.Protocol;

/// <summary>Wire names of message types (docs/protocol.md). Constants, never strings scattered in code.</summary>
internal static class MessageTypes
{
    // Client → server.
    public const string Join = "join";
    public const string Resume = "resume";
    public const string Leave = "leave";
    public const string E2ee = "e2ee";
    public const string Ping = "ping";
    public const string Admit = "admit";
    public const string Deny = "deny";
    public const string Lock = "lock";
    public const string SetPassword = "set-password";
    public const string Remove = "remove";
    public const string MuteAll = "mute-all";
    public const string End = "end";
    public const string Publish = "publish";
    public const string SubscribeAnswer = "subscribe-answer";
    public const string MediaSettings = "media-settings";

    // Reserved for later media work (layer selection, trickle): answered with not-implemented.
    public static readonly FrozenSet<string> ReservedForMedia = FrozenSet.ToFrozenSet(
        ["publish-offer", "publish-answer", "subscribe-offer", "ice-candidate", "track-update", "layer-select"],
        StringComparer.Ordinal);

    /// <summary>Every type a client may send; metrics label anything else "unknown" (bounded cardinality).</summary>
    public static readonly FrozenSet<string> Known = FrozenSet.ToFrozenSet(
        new[] { Join, Resume, Leave, E2ee, Ping, Admit, Deny, Lock, SetPassword, Remove, MuteAll, End, Publish, SubscribeAnswer, MediaSettings }.Concat(ReservedForMedia),
        StringComparer.Ordinal);

    // Server → client.
    public const string Welcome = "welcome";
    public const string Joined = "joined";
    public const string Lobby = "lobby";
    public const string ParticipantJoined = "participant-joined";
    public const string ParticipantLeft = "participant-left";
    public const string Knock = "knock";
    public const string KnockEnded = "knock-ended";
    public const string Denied = "denied";
    public const string ModeratorChanged = "moderator-changed";
    public const string RoomLocked = "room-locked";
    public const string PasswordChanged = "password-changed";
    public const string MuteRequest = "mute-request";
    public const string Removed = "removed";
    public const string RoomEnded = "room-ended";
    public const string Ok = "ok";
    public const string Pong = "pong";
    public const string Error = "error";
    public const string ServerShutdown = "server-shutdown";
    public const string PublishAnswer = "publish-answer";
    public const string SubscribeOffer = "subscribe-offer";
    public const string MediaClosed = "media-closed";
    public const string DominantSpeaker = "dominant-speaker";
    public const string Bandwidth = "bandwidth";
    public const string PublishLayers = "publish-layers";
}
