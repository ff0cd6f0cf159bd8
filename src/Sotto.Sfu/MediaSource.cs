namespace Sotto.Sfu;

/// <summary>What a published track carries, as the browser declares it in <c>publish.tracks[].source</c>.</summary>
public enum MediaSource
{
    Mic,
    Camera,
    Screen,
    ScreenAudio,
}

/// <summary>Audio or video.</summary>
public enum MediaKind
{
    Audio,
    Video,
}

/// <summary>Wire names of <see cref="MediaSource"/> and <see cref="MediaKind"/> (docs/protocol.md).</summary>
public static class MediaNames
{
    public static string ToWire(this MediaSource source) => source switch
    {
        MediaSource.Mic => "mic",
        MediaSource.Camera => "camera",
        MediaSource.Screen => "screen",
        _ => "screen-audio",
    };

    public static string ToWire(this MediaKind kind) => kind == MediaKind.Audio ? "audio" : "video";

    public static bool TryParseSource(string? text, out MediaSource source)
    {
        switch (text)
        {
            case "mic": source = MediaSource.Mic; return true;
            case "camera": source = MediaSource.Camera; return true;
            case "screen": source = MediaSource.Screen; return true;
            case "screen-audio": source = MediaSource.ScreenAudio; return true;
            default: source = default; return false;
        }
    }

    /// <summary>The kind a source must have: the browser cannot publish a microphone on a video m-line.</summary>
    public static MediaKind KindOf(MediaSource source) =>
        source is MediaSource.Mic or MediaSource.ScreenAudio ? MediaKind.Audio : MediaKind.Video;

    /// <summary>The E2EE stream number of a source (E2EE-SPEC §S7 KID = slot | stream | epoch): mic 0, camera 1, screen 2, screen-audio 3.</summary>
    public static int StreamNumber(MediaSource source) => (int)source;
}
