using System.Text.Json.Serialization;

namespace Sotto.Server.Signaling.Protocol;

/// <summary>Source-generated (de)serializers for every signaling message: no reflection at run time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 8)]
[JsonSerializable(typeof(ClientMessage))]
[JsonSerializable(typeof(WelcomeMessage))]
[JsonSerializable(typeof(JoinedMessage))]
[JsonSerializable(typeof(LobbyMessage))]
[JsonSerializable(typeof(ParticipantEventMessage))]
[JsonSerializable(typeof(E2eeMessage))]
[JsonSerializable(typeof(RoomLockedMessage))]
[JsonSerializable(typeof(PasswordChangedMessage))]
[JsonSerializable(typeof(MuteRequestMessage))]
[JsonSerializable(typeof(NoticeMessage))]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(PublishAnswerMessage))]
[JsonSerializable(typeof(SubscribeOfferWire))]
[JsonSerializable(typeof(MediaClosedMessage))]
[JsonSerializable(typeof(DominantSpeakerMessage))]
[JsonSerializable(typeof(BandwidthMessage))]
[JsonSerializable(typeof(PublishLayersMessage))]
internal sealed partial class SignalingJsonContext : JsonSerializerContext;
