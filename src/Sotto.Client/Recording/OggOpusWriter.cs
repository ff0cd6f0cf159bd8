using System.Buffers.Binary;
using System.Security.Cryptography;
using Sotto.Client.Media;

namespace Sotto.Client.Recording;

/// <summary>
/// Writes Opus packets to an Ogg Opus file (RFC 7845): an "OpusHead" page (BOS), an "OpusTags"
/// page, then one packet per page with the granule position counting 48 kHz samples (§4) and the
/// Ogg CRC (RFC 3533 §6: polynomial 0x04C11DB7, not reflected, initial value 0).
/// </summary>
internal sealed class OggOpusWriter : IDisposable
{
    private const byte BeginningOfStream = 0x02;
    private const byte EndOfStream = 0x04;
    private static readonly uint[] CrcTable = BuildCrcTable();

    private readonly FileStream _file;
    private readonly uint _serial = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
    private uint _sequence;
    private ulong _granule;
    private byte[]? _held;

    public OggOpusWriter(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write);
        byte[] head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1; // version
        head[9] = 2; // channels, as negotiated (opus/48000/2)
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), 312); // pre-skip (libopus' usual value)
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), 48_000);
        WritePage(head, 0, BeginningOfStream);
        byte[] vendor = "sotto"u8.ToArray();
        byte[] tags = new byte[8 + 4 + vendor.Length + 4];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(8), (uint)vendor.Length);
        vendor.CopyTo(tags, 12);
        WritePage(tags, 0, 0);
    }

    public void Write(ReadOnlySpan<byte> packet)
    {
        // Hold one packet back so the last page can carry the end-of-stream flag.
        if (_held is not null)
            WriteAudio(_held, 0);
        _held = packet.ToArray();
    }

    private void WriteAudio(byte[] packet, byte flags)
    {
        _granule += (ulong)(CodecChecks.OpusPacketMicros(packet) * 48L / 1000);
        WritePage(packet, _granule, flags);
    }

    private void WritePage(ReadOnlySpan<byte> packet, ulong granule, byte flags)
    {
        int segments = packet.Length / 255 + 1;
        byte[] page = new byte[27 + segments + packet.Length];
        "OggS"u8.CopyTo(page);
        page[5] = flags;
        BinaryPrimitives.WriteUInt64LittleEndian(page.AsSpan(6), granule);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), _serial);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), _sequence++);
        page[26] = (byte)segments;
        for (int i = 0; i < segments; i++)
            page[27 + i] = (byte)(i < segments - 1 ? 255 : packet.Length % 255);
        packet.CopyTo(page.AsSpan(27 + segments));
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), Crc(page));
        _file.Write(page);
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0;
        foreach (byte b in bytes)
            crc = crc << 8 ^ CrcTable[(crc >> 24) ^ b];
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint r = i << 24;
            for (int bit = 0; bit < 8; bit++)
                r = (r & 0x8000_0000) != 0 ? r << 1 ^ 0x04C1_1DB7 : r << 1;
            table[i] = r;
        }
        return table;
    }

    public void Dispose()
    {
        if (_held is not null)
            WriteAudio(_held, EndOfStream);
        _file.Dispose();
    }
}
