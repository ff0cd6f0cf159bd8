namespace Sotto.Client.Media;

/// <summary>One encoded frame from a file: VP8 frame or Opus packet, and how long it plays.</summary>
public readonly record struct MediaFrame(ReadOnlyMemory<byte> Data, TimeSpan Duration);

/// <summary>A source of encoded frames to publish: what kind it is and its frames in order.</summary>
public interface IMediaSource
{
    /// <summary>"audio" (Opus) or "video" (VP8).</summary>
    string Kind { get; }

    /// <summary>The frames, in playing order; a looping source never ends.</summary>
    IEnumerable<MediaFrame> ReadFrames();
}
