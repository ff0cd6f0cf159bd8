using Sotto.Client.Media;

namespace Sotto.Client.Tests.Media;

/// <summary>The frame assembler, the codec structure checks and the file readers, each negative with its positive control.</summary>
public sealed class MediaParsingTests
{
    // VP8 payload descriptor (RFC 7741 §4.2): X=1, S=1 (first) or 0, PID 0; I=1 with a 15-bit picture id.
    private static byte[] Packet(bool start, params byte[] data) => [(byte)(start ? 0x90 : 0x80), 0x80, 0x80, 0x01, .. data];

    [Fact]
    public void The_assembler_joins_a_frame_whose_packets_arrive_out_of_order_and_not_one_with_a_hole()
    {
        var assembler = new Vp8FrameAssembler();
        byte[]? Add(long sequence, uint timestamp, bool marker, byte[] packet) =>
            assembler.TryAdd(sequence, timestamp, marker, packet, out ReadOnlySpan<byte> frame) ? frame.ToArray() : null;
        Assert.Null(Add(12, 900, marker: true, Packet(false, 5, 6)));
        Assert.Null(Add(10, 900, marker: false, Packet(true, 1, 2)));
        Assert.Equal([1, 2, 3, 4, 5, 6], Add(11, 900, marker: false, Packet(false, 3, 4)));
        Assert.Null(Add(12, 900, marker: true, Packet(false, 5, 6))); // a late duplicate does not deliver the frame twice

        // A hole (14 never comes) keeps the frame back; the next complete frame drops it and counts it.
        Assert.Null(Add(13, 1800, marker: false, Packet(true, 7)));
        Assert.Null(Add(15, 1800, marker: true, Packet(false, 9)));
        Assert.Equal([10], Add(16, 2700, marker: true, Packet(true, 10)));
        Assert.Equal(1, assembler.IncompleteFrames);
    }

    [Fact]
    public void Vp8_structure_check_accepts_real_frames_and_refuses_broken_ones()
    {
        Assert.True(Fixtures.Video(loop: false).ReadFrames().All(f => CodecChecks.IsValidVp8Frame(f.Data.Span, out _, out _, out _)));
        byte[] key = Fixtures.Video(loop: false).ReadFrames().First().Data.ToArray();
        Assert.True(CodecChecks.IsValidVp8Frame(key, out bool isKey, out int width, out int height));
        Assert.Equal((true, 320, 240), (isKey, width, height));
        byte[] badStart = (byte[])key.Clone();
        badStart[3] ^= 0xFF; // start code 9d 01 2a broken
        Assert.False(CodecChecks.IsValidVp8Frame(badStart, out _, out _, out _));
        Assert.False(CodecChecks.IsValidVp8Frame(key.AsSpan(0, 8), out _, out _, out _)); // truncated key frame
        Assert.False(CodecChecks.IsValidVp8Frame([0x31, 0xFF, 0xFF, 0], out _, out _, out _)); // delta whose first partition overruns
        Assert.True(CodecChecks.IsValidVp8Frame([0x31, 0x00, 0x00, 0], out _, out _, out _)); // control: a delta that fits
    }

    [Fact]
    public void Opus_structure_check_follows_the_frame_count_codes()
    {
        Assert.True(Fixtures.Audio(loop: false).ReadFrames().All(f => CodecChecks.IsValidOpusPacket(f.Data.Span)));
        Assert.Equal(20_000, CodecChecks.OpusPacketMicros([0xF8, 0xFF, 0xFE]));
        Assert.True(CodecChecks.IsValidOpusPacket([0xF9, 1, 2])); // code 1: two equal frames
        Assert.False(CodecChecks.IsValidOpusPacket([0xF9, 1, 2, 3])); // code 1 with an odd remainder
        Assert.False(CodecChecks.IsValidOpusPacket([0xFA, 200, 1])); // code 2: first length past the end
        Assert.False(CodecChecks.IsValidOpusPacket([0xFB, 0])); // code 3: zero frames
        Assert.False(CodecChecks.IsValidOpusPacket([0xFB, 7])); // code 3: 7 × 20 ms > 120 ms
        Assert.True(CodecChecks.IsValidOpusPacket([0xFB, 6])); // control: 6 × 20 ms = 120 ms
        Assert.False(CodecChecks.IsValidOpusPacket([]));
    }

    [Fact]
    public void File_readers_read_the_fixtures_and_refuse_damaged_files_without_throwing()
    {
        byte[] ivf = File.ReadAllBytes(Fixtures.Path("testsrc-320x240-15fps.ivf"));
        byte[] ogg = File.ReadAllBytes(Fixtures.Path("sine-440hz.ogg"));
        Assert.True(IvfFileSource.TryParse(ivf, false, out var video, out _));
        Assert.Equal(60, video!.FrameCount); // 4 s at 15 fps
        Assert.Equal(TimeSpan.FromSeconds(1.0 / 15), video.ReadFrames().First().Duration);
        Assert.True(OggOpusFileSource.TryParse(ogg, false, out var audio, out _));
        Assert.InRange(audio!.FrameCount, 199, 201); // 4 s of 20 ms packets

        Assert.False(IvfFileSource.TryParse(ivf.AsSpan(0, ivf.Length - 5), false, out _, out string? problem));
        Assert.Equal("a frame runs past the end of the file", problem);
        Assert.False(OggOpusFileSource.TryParse(ogg.AsSpan(0, 200), false, out _, out _));
        var random = new Random(8);
        for (int i = 0; i < 2000; i++)
        {
            byte[] bytes = (i % 2 == 0 ? ivf : ogg)[..random.Next(0, 400)];
            if (bytes.Length > 40)
                bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
            IvfFileSource.TryParse(bytes, false, out _, out _);
            OggOpusFileSource.TryParse(bytes, false, out _, out _);
            CodecChecks.IsValidVp8Frame(bytes, out _, out _, out _);
            CodecChecks.IsValidOpusPacket(bytes);
        }
    }
}
