namespace Sotto.Client.Media;

/// <summary>
/// Opus silence, forever: the 3-byte packet <c>f8 ff fe</c> — TOC config 31 (CELT fullband 20 ms),
/// mono, one frame (RFC 6716 §3.1), whose range-coded body decodes to silence. What the connectivity
/// check publishes: it needs packets to flow, not sound.
/// </summary>
public sealed class SilenceSource : IMediaSource
{
    private static readonly byte[] Packet = [0xF8, 0xFF, 0xFE];

    public string Kind => "audio";

    public IEnumerable<MediaFrame> ReadFrames()
    {
        while (true)
            yield return new MediaFrame(Packet, TimeSpan.FromMilliseconds(20));
    }
}
