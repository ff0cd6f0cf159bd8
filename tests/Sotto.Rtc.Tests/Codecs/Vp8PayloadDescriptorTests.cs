using Sotto.Rtc.Codecs.Vp8;

namespace Sotto.Rtc.Tests.Codecs;

public sealed class Vp8PayloadDescriptorTests
{
    private static byte[] Hex(string text) => Convert.FromHexString(string.Concat(text.Where(Uri.IsHexDigit)));

    private static byte[] Seed(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz", "vp8", name));

    [Fact]
    public void Chromium_shaped_key_frame_first_packet()
    {
        // 90: X=1 S=1 PID=0 | e0: I L T | 92 34: M=1 picture id 0x1234 | 07: TL0PICIDX | 20: TID=0 Y=1
        // then the clear VP8 key frame header: 10 02 00 (P=0) 9d 01 2a, 640x480.
        var payload = Seed("key-first-packet.bin");
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out var descriptor, out var consumed));
        Assert.Equal(6, consumed);
        Assert.True(descriptor.StartOfPartition);
        Assert.Equal(0, descriptor.PartitionIndex);
        Assert.False(descriptor.NonReference);
        Assert.Equal((ushort)0x1234, descriptor.PictureId);
        Assert.True(descriptor.LongPictureId);
        Assert.Equal((byte)7, descriptor.Tl0PicIdx);
        Assert.Equal((byte)0, descriptor.TemporalLayerId);
        Assert.True(descriptor.LayerSync);
        Assert.Null(descriptor.KeyIndex);
        Assert.True(Vp8Packet.IsKeyFrame(payload));
        Assert.True(Vp8PayloadHeader.TryGetKeyFrameSize(payload.AsSpan(consumed), out var width, out var height));
        Assert.Equal((640, 480), (width, height));
    }

    [Fact]
    public void Real_chromium_key_frame_descriptor_and_size()
    {
        // Captured from Chromium 156 (capture_chromium_media.py): rid "q" of a 960x540 canvas, scaled by 4.
        var payload = Seed("chromium156-key.bin");
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out var descriptor, out var consumed));
        Assert.Equal(6, consumed);
        Assert.True(descriptor.IsFirstPacketOfFrame);
        Assert.True(descriptor.LongPictureId);
        Assert.Equal((byte)0, descriptor.TemporalLayerId);
        Assert.True(descriptor.LayerSync);
        Assert.True(Vp8Packet.IsKeyFrame(payload));
        Assert.True(Vp8PayloadHeader.TryGetKeyFrameSize(payload.AsSpan(consumed), out var width, out var height));
        Assert.Equal((240, 135), (width, height));

        // The picture id and TL0PICIDX continue across the delta frames that follow.
        Assert.True(Vp8PayloadDescriptor.TryParse(Seed("chromium156-delta-tid1.bin"), out var delta, out _));
        Assert.True(delta.PictureId > descriptor.PictureId);
        Assert.Equal(descriptor.Tl0PicIdx, delta.Tl0PicIdx);
        Assert.False(Vp8Packet.IsKeyFrame(Seed("chromium156-delta-tid1.bin")));
    }

    [Fact]
    public void Delta_frame_and_continuation_packets_are_not_key_frames()
    {
        var delta = Seed("delta-first-packet.bin");
        Assert.True(Vp8PayloadDescriptor.TryParse(delta, out var descriptor, out _));
        Assert.Equal((byte)2, descriptor.TemporalLayerId);
        Assert.True(descriptor.IsFirstPacketOfFrame);
        Assert.False(Vp8Packet.IsKeyFrame(delta));

        var continuation = Seed("continuation.bin");
        Assert.True(Vp8PayloadDescriptor.TryParse(continuation, out var cont, out _));
        Assert.False(cont.StartOfPartition);
        Assert.False(Vp8Packet.IsKeyFrame(continuation));
        Assert.True(Vp8Packet.IsKeyFrame(Seed("key-first-packet.bin"))); // positive control
    }

    [Fact]
    public void Key_frame_needs_s_pid_zero_p_zero_and_the_start_code()
    {
        var key = Hex("10 10 02 00 9d 01 2a 80 02 e0 01"); // descriptor without X, S=1 PID=0
        Assert.True(Vp8Packet.IsKeyFrame(key));
        Assert.False(Vp8Packet.IsKeyFrame(Hex("11 10 02 00 9d 01 2a 80 02 e0 01"))); // PID=1
        Assert.False(Vp8Packet.IsKeyFrame(Hex("00 10 02 00 9d 01 2a 80 02 e0 01"))); // S=0
        Assert.False(Vp8Packet.IsKeyFrame(Hex("10 11 02 00 9d 01 2a 80 02 e0 01"))); // P=1
        Assert.False(Vp8Packet.IsKeyFrame(Hex("10 10 02 00 9d 01 2b 80 02 e0 01"))); // no start code
        Assert.False(Vp8Packet.IsKeyFrame(Hex("10 10 02 00 9d 01")));                // cut short
        Assert.False(Vp8Packet.IsKeyFrame([]));
    }

    [Fact]
    public void Short_picture_id_and_non_reference_layouts_parse()
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(Seed("short-picture-id.bin"), out var shortId, out var consumed));
        Assert.Equal(3, consumed);
        Assert.Equal((ushort)0x12, shortId.PictureId);
        Assert.False(shortId.LongPictureId);
        Assert.Null(shortId.Tl0PicIdx);

        Assert.True(Vp8PayloadDescriptor.TryParse(Seed("non-reference.bin"), out var nonRef, out consumed));
        Assert.Equal(4, consumed);
        Assert.True(nonRef.NonReference);
        Assert.Null(nonRef.PictureId);
        Assert.Equal((byte)7, nonRef.Tl0PicIdx);
        Assert.Equal((byte)2, nonRef.TemporalLayerId);
        Assert.False(nonRef.LayerSync);
    }

    [Fact]
    public void An_extension_byte_without_fields_is_accepted_and_written_back_shorter()
    {
        // Regression seed: X=1 but I, L, T, K all 0. Valid per RFC 7741 §4.2, and a key frame here.
        var payload = Seed("extension-byte-without-fields.bin");
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out var descriptor, out var consumed));
        Assert.Equal(2, consumed);
        Assert.Null(descriptor.PictureId);
        Assert.Equal(1, descriptor.GetSerializedLength());
        Assert.True(Vp8Packet.IsKeyFrame(payload));
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]            // X without extension byte
    [InlineData("80 80")]         // I without picture id
    [InlineData("80 80 80")]      // M without second byte
    [InlineData("80 40")]         // L without TL0PICIDX
    [InlineData("80 20")]         // T without TID byte
    [InlineData("80 f0 92 34 07")] // all four, T/K byte missing
    public void Truncated_descriptors_are_refused(string hex)
    {
        Assert.False(Vp8PayloadDescriptor.TryParse(Hex(hex), out _, out _));
        Assert.True(Vp8PayloadDescriptor.TryParse(Hex("80 f0 92 34 07 25"), out var full, out _)); // positive control
        Assert.Equal((byte)5, full.KeyIndex);
    }

    [Fact]
    public void Every_field_combination_round_trips_without_aliasing()
    {
        var count = 0;
        foreach (var pictureId in new ushort?[] { null, 0, 0x7F, 0x80, 0x7FFF })
        foreach (var tl0 in new byte?[] { null, 0, 255 })
        foreach (var tid in new byte?[] { null, 0, 3 })
        foreach (var keyIdx in new byte?[] { null, 0, 31 })
        foreach (var flags in new[] { 0, 1, 2, 3, 4, 7 })
        {
            var descriptor = new Vp8PayloadDescriptor
            {
                NonReference = (flags & 1) != 0,
                StartOfPartition = (flags & 2) != 0,
                PartitionIndex = (byte)(flags & 4),
                PictureId = pictureId,
                LongPictureId = pictureId > 0x7F || (flags & 1) != 0 && pictureId.HasValue,
                Tl0PicIdx = tl0,
                TemporalLayerId = tid,
                LayerSync = tid.HasValue && (flags & 2) != 0,
                KeyIndex = keyIdx,
            };
            var buffer = new byte[8];
            Assert.True(descriptor.TryWrite(buffer, out var written));
            Assert.Equal(descriptor.GetSerializedLength(), written);
            var copy = buffer[..written];
            Array.Fill(buffer, (byte)0xFF);
            Assert.True(Vp8PayloadDescriptor.TryParse(copy, out var parsed, out var consumed));
            Assert.Equal(written, consumed);
            Assert.Equal(descriptor, parsed);
            count++;
        }
        Assert.Equal(5 * 3 * 3 * 3 * 6, count);
    }

    [Fact]
    public void Out_of_range_fields_are_not_written()
    {
        var buffer = new byte[8];
        Assert.False(new Vp8PayloadDescriptor { PictureId = 0x8000 }.TryWrite(buffer, out _));
        Assert.False(new Vp8PayloadDescriptor { TemporalLayerId = 4 }.TryWrite(buffer, out _));
        Assert.False(new Vp8PayloadDescriptor { KeyIndex = 32 }.TryWrite(buffer, out _));
        Assert.False(new Vp8PayloadDescriptor { PartitionIndex = 8 }.TryWrite(buffer, out _));
        Assert.False(new Vp8PayloadDescriptor { PictureId = 1, LongPictureId = true }.TryWrite(buffer.AsSpan(0, 3), out _));
        Assert.True(new Vp8PayloadDescriptor { PictureId = 1, LongPictureId = true }.TryWrite(buffer.AsSpan(0, 4), out _));
    }

    [Fact]
    public void Picture_id_and_tl0picidx_are_rewritten_in_place_keeping_width()
    {
        var payload = Seed("key-first-packet.bin");
        var frame = payload[6..];
        Assert.True(Vp8PayloadDescriptor.TrySetPictureId(payload, 0x8001)); // wraps to 15 bits
        Assert.True(Vp8PayloadDescriptor.TrySetTl0PicIdx(payload, 200));
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out var parsed, out _));
        Assert.Equal((ushort)1, parsed.PictureId);
        Assert.True(parsed.LongPictureId);
        Assert.Equal((byte)200, parsed.Tl0PicIdx);
        Assert.Equal((byte)0, parsed.TemporalLayerId);
        Assert.Equal(frame, payload[6..]); // frame untouched
        Assert.True(Vp8Packet.IsKeyFrame(payload));

        var shortId = Seed("short-picture-id.bin");
        Assert.True(Vp8PayloadDescriptor.TrySetPictureId(shortId, 0x1FF));
        Assert.True(Vp8PayloadDescriptor.TryParse(shortId, out var shortParsed, out _));
        Assert.Equal((ushort)0x7F, shortParsed.PictureId);
        Assert.False(Vp8PayloadDescriptor.TrySetTl0PicIdx(shortId, 1)); // has none

        var nonRef = Seed("non-reference.bin");
        Assert.False(Vp8PayloadDescriptor.TrySetPictureId(nonRef, 1));
        Assert.False(Vp8PayloadDescriptor.TrySetPictureId(Hex("80 80"), 1));
    }
}
