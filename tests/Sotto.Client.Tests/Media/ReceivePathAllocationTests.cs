using Sotto.Client.Media;
using Sotto.E2ee.Frames;
using Sotto.Rtc.Codecs.Vp8;

namespace Sotto.Client.Tests.Media;

/// <summary>
/// The headless participant's receive path after SRTP — VP8 reassembly, SFrame decryption with the
/// owner's key, structure checks — allocates nothing per packet in steady state (a load generator
/// runs many of these), and still delivers every frame whole.
/// </summary>
public sealed class ReceivePathAllocationTests
{
    private const ushort SenderSlot = 7;

    [Fact]
    public void Reassembling_and_decrypting_real_VP8_allocates_nothing_per_packet()
    {
        using var sender = new FrameKeyring();
        using var receiver = new FrameKeyring();
        byte[] baseKey = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];
        sender.SetOwnSlot(SenderSlot);
        sender.SetSendingKey(0, baseKey);
        receiver.SetOwnSlot(1);
        receiver.AddReceivingKey(SenderSlot, 0, baseKey);

        // The fixture's frames, encrypted as the sender would, then cut into RTP payloads with a VP8 descriptor.
        var packets = new List<(uint Timestamp, bool Marker, byte[] Payload)>();
        uint timestamp = 0;
        foreach (MediaFrame source in Fixtures.Video(loop: false).ReadFrames())
        {
            byte[] wire = new byte[source.Data.Length + 64];
            Assert.True(sender.TryEncrypt(FrameCodec.Vp8, MediaStream.Camera, source.Data.Span, wire, out int length, out _));
            for (int offset = 0; offset < length; offset += RtpStreamSender.MaxPayloadPerPacket)
            {
                int size = Math.Min(RtpStreamSender.MaxPayloadPerPacket, length - offset);
                var descriptor = new Vp8PayloadDescriptor { StartOfPartition = offset == 0, PictureId = (ushort)(timestamp / 6000), LongPictureId = true };
                byte[] payload = new byte[descriptor.GetSerializedLength() + size];
                Assert.True(descriptor.TryWrite(payload, out int written));
                wire.AsSpan(offset, size).CopyTo(payload.AsSpan(written));
                packets.Add((timestamp, offset + size >= length, payload));
            }
            timestamp += 6000;
        }

        var track = new RemoteTrack("1", "sender", SenderSlot, "camera", "video", 1234, null);
        long frames = 0;
        FrameSink sink = _ => frames++;
        var nacks = new List<ushort>(64);
        int half = packets.Count / 2;
        long warmUpStart = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < half; i++) // warm up: pool buckets, the frame buffer, the keyring's receive state
            track.OnPacket((ushort)i, packets[i].Timestamp, packets[i].Marker, packets[i].Payload, false, receiver, sink, nacks);
        // Control for the detector: the first packets do allocate (pooled buffers, the key's state), and it sees that.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - warmUpStart > 0);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = half; i < packets.Count; i++)
            track.OnPacket((ushort)i, packets[i].Timestamp, packets[i].Marker, packets[i].Payload, false, receiver, sink, nacks);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        int sourceFrames = Fixtures.Video(loop: false).ReadFrames().Count();
        Assert.Equal(sourceFrames, frames); // every frame decrypted and valid: the measured loop did real work
        Assert.Equal(sourceFrames, track.FramesValid);
        Assert.True(packets.Count > sourceFrames, "the fixture's key frames span several packets");
        Assert.Empty(nacks);
    }

    [Fact]
    public void The_assembler_joins_a_frame_across_the_ring_boundary_and_one_larger_than_its_first_buffer()
    {
        var assembler = new Vp8FrameAssembler();
        byte[] big = [.. Enumerable.Range(0, 40_000).Select(i => (byte)i)];
        // 1020..1027: the ring index wraps from 1023 to 0 inside the frame; 40 KB > the initial 16 KB buffer.
        byte[]? result = null;
        for (int k = 0; k < 8; k++)
        {
            byte[] packet = [(byte)(k == 0 ? 0x90 : 0x80), 0x80, 0x80, 0x01, .. big.AsSpan(k * 5000, 5000)];
            if (assembler.TryAdd(1020 + k, 90_000, marker: k == 7, packet, out ReadOnlySpan<byte> frame))
                result = frame.ToArray();
        }
        Assert.Equal(big, result);

        // An old packet 1024 sequence numbers behind a pending one does not evict it.
        Assert.False(assembler.TryAdd(2000, 180_000, marker: false, [0x90, 0x80, 0x80, 0x02, 1], out _));
        Assert.False(assembler.TryAdd(2000 - 1024, 170_000, marker: true, [0x90, 0x80, 0x80, 0x03, 2], out _));
        Assert.True(assembler.TryAdd(2001, 180_000, marker: true, [0x80, 0x80, 0x80, 0x02, 3], out ReadOnlySpan<byte> joined));
        Assert.Equal([1, 3], joined.ToArray());
    }
}
