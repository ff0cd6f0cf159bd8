using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sotto.Server.Signaling.Protocol;

// Messages the server sends (docs/protocol.md). Property names are camelCase on the wire; null fields are omitted.

internal sealed record ParticipantDto(string Id, int Slot);

internal sealed record WelcomeMessage(int Protocol, int MaxMessageBytes, int MaxBlobChars)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.Welcome;
}

internal sealed record JoinedMessage(
    JsonElement? Re, string Id, int Slot, bool Moderator, string ModeratorId, ParticipantDto[] Participants,
    bool Locked, bool PasswordSet, string ResumeToken, long ResumeWindowMs, bool Resumed)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.Joined;
}

internal sealed record LobbyMessage(JsonElement? Re, string Id, int Slot, string ResumeToken, long ResumeWindowMs, bool Resumed)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.Lobby;
}

/// <summary>participant-joined, participant-left, knock, knock-ended, moderator-changed.</summary>
internal sealed record ParticipantEventMessage([property: JsonPropertyOrder(-1)] string Type, string Id, int Slot, string? Reason);

internal sealed record E2eeMessage(string From, string To, string Blob)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.E2ee;
}

internal sealed record RoomLockedMessage(bool Locked)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.RoomLocked;
}

internal sealed record PasswordChangedMessage(bool PasswordSet)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.PasswordChanged;
}

internal sealed record MuteRequestMessage(string By)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.MuteRequest;
}

/// <summary>ok, pong, removed, room-ended, denied, server-shutdown.</summary>
internal sealed record NoticeMessage([property: JsonPropertyOrder(-1)] string Type, JsonElement? Re, string? Reason);

internal sealed record ErrorMessage(string Code, string Message, JsonElement? Re, long? RetryAfterMs)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.Error;
}

internal sealed record PublishAnswerMessage(JsonElement? Re, string Sdp)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.PublishAnswer;
}

/// <summary>One active m-line of a subscribe offer: its owner's id and slot pick the E2EE key (E2EE-SPEC §S7).</summary>
internal sealed record SubscribeTrackDto(string Mid, string Owner, int Slot, string Source, string Kind);

internal sealed record SubscribeOfferWire(int Version, string Sdp, SubscribeTrackDto[] Tracks)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.SubscribeOffer;
}

/// <summary>The seat's media ended without a leave (consent expired, transport failed): publish again to restart it.</summary>
internal sealed record MediaClosedMessage(string Reason)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.MediaClosed;
}

/// <summary>The room's dominant speaker changed (from Opus packet flow, docs/media.md).</summary>
internal sealed record DominantSpeakerMessage(string Id)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.DominantSpeaker;
}

/// <summary>The member's downlink is too narrow for some videos: those m-lines are paused, audio flows.</summary>
internal sealed record BandwidthMessage(bool Low, string[] Paused)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.Bandwidth;
}

/// <summary>Which simulcast layers of the member's published track anyone needs: the others may stop encoding.</summary>
internal sealed record PublishLayersMessage(string Mid, string[] Rids)
{
    [JsonPropertyOrder(-1)] public string Type { get; } = MessageTypes.PublishLayers;
}
