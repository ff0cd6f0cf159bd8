using System.Buffers.Binary;

namespace Sotto.Client.Media;

/// <summary>
/// VP8 frames from an IVF file (the libvpx container: a 32-byte "DKIF" header with the fourcc, size
/// and time base, then per frame a 12-byte header of a little-endian u32 size and u64 timestamp).
/// The whole file is read into memory; files used here are small fixtures.
/// </summary>
public sealed class IvfFileSource : IMediaSource
{
    private const int FileHeaderLength = 32;
    private const int FrameHeaderLength = 12;
    private const int FourCcOffset = 8;
    private const int WidthOffset = 12;
    private const int HeightOffset = 14;
    private const int RateOffset = 16;
    private const int ScaleOffset = 20;

    private readonly List<MediaFrame> _frames = [];
    private readonly bool _loop;

    private IvfFileSource(bool loop) => _loop = loop;

    public string Kind => "video";

    public int Width { get; private set; }

    public int Height { get; private set; }

    public int FrameCount => _frames.Count;

    /// <summary>Reads <paramref name="path"/>; false (with a reason) if it is not a VP8 IVF file.</summary>
    public static bool TryOpen(string path, bool loop, out IvfFileSource? source, out string? problem) =>
        TryParse(File.ReadAllBytes(path), loop, out source, out problem);

    public static bool TryParse(ReadOnlySpan<byte> file, bool loop, out IvfFileSource? source, out string? problem)
    {
        source = null;
        problem = null;
        if (file.Length < FileHeaderLength || !file[..4].SequenceEqual("DKIF"u8))
        {
            problem = "not an IVF file";
            return false;
        }
        if (!file.Slice(FourCcOffset, 4).SequenceEqual("VP80"u8))
        {
            problem = "the IVF file is not VP8";
            return false;
        }
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(file[RateOffset..]);
        uint scale = BinaryPrimitives.ReadUInt32LittleEndian(file[ScaleOffset..]);
        if (rate == 0 || scale == 0)
        {
            problem = "the IVF time base is zero";
            return false;
        }
        int headerLength = Math.Max(FileHeaderLength, (int)BinaryPrimitives.ReadUInt16LittleEndian(file[6..]));
        var result = new IvfFileSource(loop)
        {
            Width = BinaryPrimitives.ReadUInt16LittleEndian(file[WidthOffset..]),
            Height = BinaryPrimitives.ReadUInt16LittleEndian(file[HeightOffset..]),
        };
        var frames = new List<(byte[] Data, ulong Pts)>();
        for (int offset = headerLength; offset + FrameHeaderLength <= file.Length;)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(file[offset..]);
            ulong pts = BinaryPrimitives.ReadUInt64LittleEndian(file[(offset + 4)..]);
            offset += FrameHeaderLength;
            if (size > file.Length - offset)
            {
                problem = "a frame runs past the end of the file";
                return false;
            }
            frames.Add((file.Slice(offset, (int)size).ToArray(), pts));
            offset += (int)size;
        }
        if (frames.Count == 0)
        {
            problem = "the IVF file has no frames";
            return false;
        }
        TimeSpan tick = TimeSpan.FromSeconds((double)scale / rate);
        for (int i = 0; i < frames.Count; i++)
        {
            ulong delta = i + 1 < frames.Count && frames[i + 1].Pts > frames[i].Pts ? frames[i + 1].Pts - frames[i].Pts : 1;
            result._frames.Add(new MediaFrame(frames[i].Data, tick * delta));
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
