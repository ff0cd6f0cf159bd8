using System.Buffers.Binary;

namespace Sotto.Client.Recording;

/// <summary>Writes VP8 frames to an IVF file (time base 1/90000: RTP timestamps as they are); the frame count is patched on dispose.</summary>
internal sealed class IvfWriter : IDisposable
{
    private readonly FileStream _file;
    private uint? _firstTimestamp;
    private uint _frames;

    public IvfWriter(string path, int width, int height)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write);
        Span<byte> header = stackalloc byte[32];
        header.Clear();
        "DKIF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 32);
        "VP80"u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(header[14..], (ushort)height);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 90_000);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1);
        _file.Write(header);
    }

    public void Write(ReadOnlySpan<byte> frame, uint rtpTimestamp)
    {
        _firstTimestamp ??= rtpTimestamp;
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)frame.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[4..], unchecked(rtpTimestamp - _firstTimestamp.Value));
        _file.Write(header);
        _file.Write(frame);
        _frames++;
    }

    public void Dispose()
    {
        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(count, _frames);
        _file.Position = 24;
        _file.Write(count);
        _file.Dispose();
    }
}
