namespace Sotto.Client.Media;

/// <summary>
/// Opus packets from an Ogg file (RFC 3533 pages, RFC 7845 Ogg Opus: the first packet is
/// "OpusHead", the second "OpusTags", every further packet one Opus packet). Each page: "OggS",
/// version, header type, granule position, serial, sequence, CRC, a segment table of lacing values
/// (a packet ends at the first value below 255, and may continue on the next page).
/// </summary>
public sealed class OggOpusFileSource : IMediaSource
{
    private const int PageHeaderLength = 27;
    private const int SegmentCountOffset = 26;

    private readonly List<MediaFrame> _frames = [];
    private readonly bool _loop;

    private OggOpusFileSource(bool loop) => _loop = loop;

    public string Kind => "audio";

    public int FrameCount => _frames.Count;

    public static bool TryOpen(string path, bool loop, out OggOpusFileSource? source, out string? problem) =>
        TryParse(File.ReadAllBytes(path), loop, out source, out problem);

    public static bool TryParse(ReadOnlySpan<byte> file, bool loop, out OggOpusFileSource? source, out string? problem)
    {
        source = null;
        problem = null;
        var packets = new List<byte[]>();
        var current = new List<byte>();
        int offset = 0;
        while (offset + PageHeaderLength <= file.Length)
        {
            if (!file.Slice(offset, 4).SequenceEqual("OggS"u8))
            {
                problem = "not an Ogg file (no page capture pattern)";
                return false;
            }
            int segments = file[offset + SegmentCountOffset];
            int tableStart = offset + PageHeaderLength;
            if (tableStart + segments > file.Length)
            {
                problem = "a page header runs past the end of the file";
                return false;
            }
            ReadOnlySpan<byte> lacing = file.Slice(tableStart, segments);
            int data = tableStart + segments;
            foreach (byte value in lacing)
            {
                if (data + value > file.Length)
                {
                    problem = "a page runs past the end of the file";
                    return false;
                }
                current.AddRange(file.Slice(data, value));
                data += value;
                if (value < 255)
                {
                    packets.Add([.. current]);
                    current.Clear();
                }
            }
            offset = data;
        }
        if (packets.Count < 3 || !packets[0].AsSpan().StartsWith("OpusHead"u8) || !packets[1].AsSpan().StartsWith("OpusTags"u8))
        {
            problem = "not an Ogg Opus file (OpusHead, OpusTags and at least one packet expected)";
            return false;
        }
        var result = new OggOpusFileSource(loop);
        foreach (byte[] packet in packets.Skip(2))
        {
            int micros = CodecChecks.OpusPacketMicros(packet);
            if (micros == 0)
            {
                problem = "a malformed Opus packet";
                return false;
            }
            result._frames.Add(new MediaFrame(packet, TimeSpan.FromMicroseconds(micros)));
        }
        source = result;
        return true;
    }

    public IEnumerable<MediaFrame> ReadFrames()
    {
        do
        {
            foreach (MediaFrame frame in _frames)
                yield return frame;
        }
        while (_loop);
    }
}
