using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sotto.Server.Signaling.Protocol;

/// <summary>
/// Any message a client sends: one flat shape, validated per <see cref="Type"/> (docs/protocol.md).
/// A field of the wrong JSON type makes the whole message malformed.
/// </summary>
internal sealed class ClientMessage
{
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>Request id echoed as "re" in the reply: a string (up to 64 characters) or an integer.</summary>
    [JsonPropertyName("id")] public JsonElement? Id { get; set; }

    /// <summary>The validated <see cref="Id"/> as raw JSON text; set by the connection, never read from the wire.</summary>
    [JsonIgnore] public string? RequestId { get; set; }

    [JsonPropertyName("room")] public string? Room { get; set; }

    [JsonPropertyName("password")] public string? Password { get; set; }

    [JsonPropertyName("token")] public string? Token { get; set; }

    [JsonPropertyName("to")] public string? To { get; set; }

    [JsonPropertyName("blob")] public string? Blob { get; set; }

    [JsonPropertyName("target")] public string? Target { get; set; }

    [JsonPropertyName("locked")] public bool? Locked { get; set; }

    /// <summary>publish: the offer; subscribe-answer: the answer.</summary>
    [JsonPropertyName("sdp")] public string? Sdp { get; set; }

    /// <summary>publish: which m-line carries which source.</summary>
    [JsonPropertyName("tracks")] public PublishTrackDto[]? Tracks { get; set; }

    /// <summary>subscribe-answer: the version of the offer it answers.</summary>
    [JsonPropertyName("version")] public int? Version { get; set; }

    /// <summary>media-settings: receive no video at all.</summary>
    [JsonPropertyName("audioOnly")] public bool? AudioOnly { get; set; }

    /// <summary>media-settings: participants whose video is always wanted (last-N exception).</summary>
    [JsonPropertyName("pinned")] public string[]? Pinned { get; set; }

    /// <summary>media-settings: whether the member's own microphone carries speech now (dominant speaker).</summary>
    [JsonPropertyName("speaking")] public bool? Speaking { get; set; }

    /// <summary>media-settings: how each remote video m-line is shown.</summary>
    [JsonPropertyName("views")] public TrackViewDto[]? Views { get; set; }
}

/// <summary>One entry of <c>media-settings.views</c>: a subscribe m-line's tile size in device pixels, or hidden.</summary>
internal sealed class TrackViewDto
{
    [JsonPropertyName("mid")] public string? Mid { get; set; }

    [JsonPropertyName("width")] public int? Width { get; set; }

    [JsonPropertyName("height")] public int? Height { get; set; }

    [JsonPropertyName("hidden")] public bool? Hidden { get; set; }
}

/// <summary>One entry of <c>publish.tracks</c>.</summary>
internal sealed class PublishTrackDto
{
    [JsonPropertyName("mid")] public string? Mid { get; set; }

    [JsonPropertyName("source")] public string? Source { get; set; }
}
