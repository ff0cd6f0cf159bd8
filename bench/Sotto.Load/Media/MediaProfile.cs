namespace Sotto.Load.Media;

/// <summary>What one publisher sends.</summary>
/// <param name="Audio">Opus-shaped audio: one packet every 20 ms (50 packets/s).</param>
/// <param name="VideoLayerKbps">Bitrate of each VP8 layer, low to high; one entry = no simulcast, empty = no video.</param>
/// <param name="FramesPerSecond">Video frames per second (every layer).</param>
internal sealed record MediaProfile(bool Audio, int[] VideoLayerKbps, int FramesPerSecond = 30)
{
    public const int AudioPayloadOctets = 100; // ≈ 40 kbit/s of Opus plus the SFrame header.
    public const int MaxVideoPayloadOctets = 1100;

    public bool Video => VideoLayerKbps.Length > 0;

    public bool Simulcast => VideoLayerKbps.Length > 1;

    public static MediaProfile AudioOnly { get; } = new(true, []);

    public static MediaProfile AudioVideo(int kbps) => new(true, [kbps]);

    /// <summary>Three simulcast layers like Chromium's q/h/f at 1/16, 1/4 and the full rate's share.</summary>
    public static MediaProfile AudioSimulcast(int topKbps) => new(true, [Math.Max(topKbps / 8, 50), Math.Max(topKbps / 3, 100), topKbps]);
}
