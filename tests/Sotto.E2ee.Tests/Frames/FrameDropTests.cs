using System.Collections.Concurrent;
using System.Security.Cryptography;
using Sotto.E2ee.Frames;

namespace Sotto.E2ee.Tests.Frames;

/// <summary>§S7/§S16 receiver rules: every forged, replayed or misrouted frame is dropped, the replay window only moves on success.</summary>
public sealed class FrameDropTests : IDisposable
{
    private const ushort SenderSlot = 1;
    private const ushort ReceiverSlot = 2;
    private const ushort OtherSlot = 3;
    private static readonly byte[] BaseKey = [.. Enumerable.Range(0x10, 16).Select(i => (byte)i)];
    private static readonly byte[] Vp8Key = Convert.FromHexString("502d009d012a4001f000111111111111111111111111");
    private static readonly byte[] Vp8Delta = Convert.FromHexString("310f01222222222222222222");
    private static readonly byte[] Opus = Convert.FromHexString("fc0102030405");

    private readonly FrameKeyring _sender = new();
    private readonly FrameKeyring _receiver = new();

    public FrameDropTests()
    {
        _sender.SetOwnSlot(SenderSlot);
        _sender.SetSendingKey(0, BaseKey);
        _receiver.SetOwnSlot(ReceiverSlot);
        _receiver.AddReceivingKey(SenderSlot, 0, BaseKey);
    }

    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    private static byte[] Seal(FrameKeyring ring, FrameCodec codec, MediaStream stream, byte[] plain)
    {
        var wire = new byte[SenderFrameKey.MaxSealedLength(plain.Length)];
        Assert.True(ring.TryEncrypt(codec, stream, plain, wire, out int written, out _));
        return wire[..written];
    }

    private FrameDropReason Open(FrameCodec codec, ushort owner, MediaStream stream, byte[] wire)
    {
        var output = new byte[wire.Length];
        return _receiver.TryDecrypt(codec, owner, stream, wire, output, out _, out FrameDropReason reason) ? FrameDropReason.None : reason;
    }

    private ulong? Highest(MediaStream stream) => _receiver.ReceiverKeyFor(Kid.Make(SenderSlot, stream, 0))?.HighestCounter;

    [Fact]
    public void Every_single_bit_flip_and_every_truncation_is_dropped()
    {
        foreach ((FrameCodec codec, MediaStream stream, byte[] plain) in new[] { (FrameCodec.Vp8, MediaStream.Camera, Vp8Key), (FrameCodec.Vp8, MediaStream.Camera, Vp8Delta), (FrameCodec.Opus, MediaStream.Mic, Opus) })
        {
            byte[] wire = Seal(_sender, codec, stream, plain);
            ulong? before = Highest(stream);
            for (int bit = 0; bit < wire.Length * 8; bit++)
            {
                byte[] flipped = (byte[])wire.Clone();
                flipped[bit / 8] ^= (byte)(1 << bit % 8);
                Assert.NotEqual(FrameDropReason.None, Open(codec, SenderSlot, stream, flipped));
            }
            for (int cut = 0; cut < wire.Length; cut++)
                Assert.NotEqual(FrameDropReason.None, Open(codec, SenderSlot, stream, wire[..cut]));
            Assert.Equal(before, Highest(stream)); // no drop moved the window
            Assert.Equal(FrameDropReason.None, Open(codec, SenderSlot, stream, wire)); // positive control
        }
    }

    [Fact]
    public void Replays_old_and_forged_high_counters_are_dropped_without_moving_the_window()
    {
        var frames = Enumerable.Range(0, 600).Select(_ => Seal(_sender, FrameCodec.Opus, MediaStream.Mic, Opus)).ToArray();
        Assert.Equal(FrameDropReason.None, Open(FrameCodec.Opus, SenderSlot, MediaStream.Mic, frames[0]));
        Assert.Equal(FrameDropReason.Replay, Open(FrameCodec.Opus, SenderSlot, MediaStream.Mic, frames[0]));
        Assert.Equal(FrameDropReason.None, Open(FrameCodec.Opus, SenderSlot, MediaStream.Mic, frames[599]));
        Assert.Equal(599UL, Highest(MediaStream.Mic));
        Assert.Equal(FrameDropReason.TooOld, Open(FrameCodec.Opus, SenderSlot, MediaStream.Mic, frames[50]));
        Assert.Equal(FrameDropReason.None, Open(FrameCodec.Opus, SenderSlot, MediaStream.Mic, frames[100])); // in the window, out of order
        Assert.Equal(FrameDropReason.Replay, Open(FrameCodec.Opus, SenderSlot, MediaStream.Mic, frames[100]));

        // A forged header with CTR 2^64 − 1 fails authentication and leaves the window at 599.
        byte[] forged = ForgeCounter(frames[598], ulong.MaxValue);
        Assert.Equal(FrameDropReason.AuthFailed, Open(FrameCodec.Opus, SenderSlot, MediaStream.Mic, forged));
        Assert.Equal(599UL, Highest(MediaStream.Mic));
        Assert.Equal(FrameDropReason.None, Open(FrameCodec.Opus, SenderSlot, MediaStream.Mic, frames[598])); // still accepted
    }

    private static byte[] ForgeCounter(byte[] opusWire, ulong counter)
    {
        Assert.True(SFrameHeader.TryParse(opusWire, out SFrameHeader header));
        var forgedHeader = new byte[SFrameHeader.MaxLength];
        SFrameHeader.TryWrite(header.Kid, counter, forgedHeader, out int n);
        return [.. forgedHeader.AsSpan(0, n), .. opusWire.AsSpan(header.Length)];
    }

    [Fact]
    public void Unknown_kid_wrong_owner_wrong_stream_and_reflected_frames_are_dropped()
    {
        byte[] camera = Seal(_sender, FrameCodec.Vp8, MediaStream.Camera, Vp8Delta);
        Assert.Equal(FrameDropReason.WrongOwner, Open(FrameCodec.Vp8, OtherSlot, MediaStream.Camera, camera)); // B's frame on C's track
        Assert.Equal(FrameDropReason.WrongStream, Open(FrameCodec.Vp8, SenderSlot, MediaStream.ScreenVideo, camera));
        Assert.Equal(FrameDropReason.CodecStreamMismatch, Open(FrameCodec.Opus, SenderSlot, MediaStream.Camera, camera));

        using var unknownSender = new FrameKeyring();
        unknownSender.SetOwnSlot(OtherSlot);
        unknownSender.SetSendingKey(0, BaseKey);
        Assert.Equal(FrameDropReason.UnknownKid, Open(FrameCodec.Vp8, OtherSlot, MediaStream.Camera, Seal(unknownSender, FrameCodec.Vp8, MediaStream.Camera, Vp8Delta)));
        using var laterEpoch = new FrameKeyring();
        laterEpoch.SetOwnSlot(SenderSlot);
        laterEpoch.SetSendingKey(1, BaseKey);
        Assert.Equal(FrameDropReason.UnknownKid, Open(FrameCodec.Vp8, SenderSlot, MediaStream.Camera, Seal(laterEpoch, FrameCodec.Vp8, MediaStream.Camera, Vp8Delta)));

        using var reflecting = new FrameKeyring();
        reflecting.SetOwnSlot(ReceiverSlot);
        reflecting.SetSendingKey(0, BaseKey);
        _receiver.AddReceivingKey(ReceiverSlot, 0, BaseKey); // even with the key installed
        Assert.Equal(FrameDropReason.WrongOwner, Open(FrameCodec.Vp8, ReceiverSlot, MediaStream.Camera, Seal(reflecting, FrameCodec.Vp8, MediaStream.Camera, Vp8Delta)));

        Assert.Null(Highest(MediaStream.Camera));
        Assert.Equal(FrameDropReason.None, Open(FrameCodec.Vp8, SenderSlot, MediaStream.Camera, camera)); // positive control
    }

    [Fact]
    public void No_key_means_no_output_and_short_key_frames_are_dropped()
    {
        using var keyless = new FrameKeyring();
        keyless.SetOwnSlot(SenderSlot);
        var wire = new byte[64];
        Assert.False(keyless.TryEncrypt(FrameCodec.Opus, MediaStream.Mic, Opus, wire, out int written, out FrameDropReason reason));
        Assert.Equal((0, FrameDropReason.NoKey), (written, reason));
        Assert.False(_sender.TryEncrypt(FrameCodec.Vp8, MediaStream.Camera, Vp8Key.AsSpan(0, 9), wire, out _, out reason));
        Assert.Equal(FrameDropReason.ShortKeyFrame, reason);
        Assert.True(_sender.TryEncrypt(FrameCodec.Vp8, MediaStream.Camera, Vp8Key.AsSpan(0, 10), wire, out _, out _)); // control
        // Clear prefixes: 10 bytes for a key frame, 1 for a delta frame, none for Opus.
        Assert.Equal(Vp8Key[..10], Seal(_sender, FrameCodec.Vp8, MediaStream.Camera, Vp8Key)[..10]);
        Assert.Equal(Vp8Delta[0], Seal(_sender, FrameCodec.Vp8, MediaStream.Camera, Vp8Delta)[0]);
        Assert.NotEqual(Opus[0], Seal(_sender, FrameCodec.Opus, MediaStream.Mic, Opus)[0]);
    }

    [Fact]
    public void Ten_thousand_concurrent_frames_over_three_layers_and_four_streams_repeat_no_kid_and_counter()
    {
        var seen = new ConcurrentDictionary<(ulong Kid, ulong Ctr), byte>();
        var streams = new[] { MediaStream.Mic, MediaStream.Camera, MediaStream.ScreenVideo, MediaStream.ScreenAudio };
        int duplicates = 0;
        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i =>
        {
            MediaStream stream = streams[i % 4];
            FrameCodec codec = ClearPrefix.IsAudio(stream) ? FrameCodec.Opus : FrameCodec.Vp8;
            byte[] plain = codec == FrameCodec.Opus ? Opus : Vp8Delta; // 3 "layers" interleave on the video streams
            if (i == 5_000)
                _sender.SetSendingKey(0, BaseKey); // a transform re-created mid-run keeps the same key object
            var wire = new byte[SenderFrameKey.MaxSealedLength(plain.Length)];
            Assert.True(_sender.TryEncrypt(codec, stream, plain, wire, out _, out _));
            int prefix = codec == FrameCodec.Opus ? 0 : 1;
            Assert.True(SFrameHeader.TryParse(wire.AsSpan(prefix), out SFrameHeader header));
            if (!seen.TryAdd((header.Kid, header.Counter), 0))
                Interlocked.Increment(ref duplicates);
        });
        Assert.Equal(0, duplicates);
        Assert.Equal(10_000, seen.Count);

        // Positive control: two key objects for one KID (a per-transform counter) do repeat.
        using var a = new SenderFrameKey(BaseKey, Kid.Make(SenderSlot, MediaStream.Camera, 0));
        using var b = new SenderFrameKey(BaseKey, Kid.Make(SenderSlot, MediaStream.Camera, 0));
        var buffer = new byte[64];
        a.TrySeal(Vp8Delta, 1, buffer, out _, out ulong ca, out _);
        b.TrySeal(Vp8Delta, 1, buffer, out _, out ulong cb, out _);
        Assert.Equal(ca, cb);
    }

    [Fact]
    public void The_last_counter_is_used_once_then_the_key_refuses()
    {
        using var key = new SenderFrameKey(BaseKey, Kid.Make(SenderSlot, MediaStream.Mic, 0), ulong.MaxValue - 1);
        var buffer = new byte[64];
        Assert.True(key.TrySeal(Opus, 0, buffer, out _, out ulong first, out _));
        Assert.True(key.TrySeal(Opus, 0, buffer, out _, out ulong last, out _));
        Assert.Equal((ulong.MaxValue - 1, ulong.MaxValue), (first, last));
        Assert.False(key.TrySeal(Opus, 0, buffer, out _, out _, out FrameDropReason reason));
        Assert.Equal(FrameDropReason.CounterExhausted, reason);
    }

    [Fact]
    public void Only_three_epochs_are_kept_per_sender()
    {
        for (uint epoch = 1; epoch <= 3; epoch++)
            _receiver.AddReceivingKey(SenderSlot, epoch, RandomNumberGenerator.GetBytes(16));
        // Epoch 0 fell out: its frames are now from an unknown KID.
        Assert.Equal(FrameDropReason.UnknownKid, Open(FrameCodec.Opus, SenderSlot, MediaStream.Mic, Seal(_sender, FrameCodec.Opus, MediaStream.Mic, Opus)));
    }
}

/// <summary>The per-frame paths allocate nothing once the keys exist (checked by allocation count, not by time).</summary>
public sealed class FrameAllocationTests
{
    [Fact]
    public void Encrypt_and_decrypt_allocate_nothing_per_frame()
    {
        byte[] key = RandomNumberGenerator.GetBytes(16);
        using var sender = new FrameKeyring();
        sender.SetOwnSlot(1);
        sender.SetSendingKey(0, key);
        using var receiver = new FrameKeyring();
        receiver.SetOwnSlot(2);
        receiver.AddReceivingKey(1, 0, key);
        byte[] frame = new byte[1200];
        frame[0] = 0x31; // VP8 delta frame
        var wire = new byte[SenderFrameKey.MaxSealedLength(frame.Length)];
        var plain = new byte[wire.Length];
        void OneFrame()
        {
            Assert.True(sender.TryEncrypt(FrameCodec.Vp8, MediaStream.Camera, frame, wire, out int n, out _));
            Assert.True(receiver.TryDecrypt(FrameCodec.Vp8, 1, MediaStream.Camera, wire.AsSpan(0, n), plain, out _, out _));
        }
        for (int i = 0; i < 10; i++)
            OneFrame(); // creates the per-KID keys
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            OneFrame();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        // Positive control: the counter does see a per-frame allocation.
        before = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(wire.AsSpan(0, 10).ToArray());
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before > 0);
    }
}
