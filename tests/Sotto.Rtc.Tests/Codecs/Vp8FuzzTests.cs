using Sotto.Rtc.Codecs.Vp8;
using Sotto.Rtc.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Sotto.Rtc.Tests.Codecs;

[Trait("Category", "Fuzz")]
public sealed class Vp8FuzzTests(ITestOutputHelper output)
{
    private static int _keyFrames;
    private static int _parsed;

    private static void Target(ReadOnlySpan<byte> input)
    {
        if (Vp8Packet.IsKeyFrame(input))
        {
            _keyFrames++;
        }
        _ = Vp8PayloadHeader.TryGetKeyFrameSize(input, out _, out _);
        if (Vp8PayloadDescriptor.TryParse(input, out var descriptor, out var consumed))
        {
            _parsed++;
            if (consumed < 1 || consumed > 6 || consumed > input.Length)
            {
                throw new InvalidOperationException($"consumed {consumed} of {input.Length}");
            }
            _ = Vp8PayloadHeader.IsKeyFrame(input[consumed..]);
            // Writing back never needs more bytes than were parsed (an X byte with no I/L/T/K set
            // is dropped, so it may need fewer).
            Span<byte> rewritten = stackalloc byte[8];
            if (!descriptor.TryWrite(rewritten, out var written) || written > consumed)
            {
                throw new InvalidOperationException("a parsed descriptor must write back within its length");
            }
        }
        var copy = input.ToArray();
        _ = Vp8PayloadDescriptor.TrySetPictureId(copy, 0x7FFF);
        _ = Vp8PayloadDescriptor.TrySetTl0PicIdx(copy, 1);
    }

    [Fact]
    public void Descriptor_parse_rewrite_and_key_frame_detection_never_throw()
    {
        _keyFrames = 0;
        _parsed = 0;
        var executed = FuzzRunner.Run("vp8", Target, maxRandomLength: 64);
        Assert.True(executed >= FuzzRunner.Iterations);
        output.WriteLine($"{executed} inputs: parsed {_parsed}, key frames {_keyFrames}");
        Assert.True(_parsed > executed / 2, $"only {_parsed} of {executed} inputs parsed");
        Assert.True(_keyFrames > executed / 100, $"only {_keyFrames} of {executed} inputs were key frames");
    }

    [Fact]
    public void Every_committed_seed_parses()
    {
        var corpus = FuzzRunner.LoadCorpus("vp8");
        Assert.True(corpus.Count >= 5);
        foreach (var seed in corpus)
        {
            Assert.True(Vp8PayloadDescriptor.TryParse(seed, out _, out _));
        }
    }

    [Fact]
    public void Round_trip_property_random_descriptors_parse_back_equal()
    {
        var rng = new Random(7741);
        var buffer = new byte[8];
        for (var i = 0; i < 20_000; i++)
        {
            var longId = rng.Next(2) == 0;
            var descriptor = new Vp8PayloadDescriptor
            {
                NonReference = rng.Next(2) == 0,
                StartOfPartition = rng.Next(2) == 0,
                PartitionIndex = (byte)rng.Next(8),
                PictureId = rng.Next(3) == 0 ? null : (ushort)rng.Next(longId ? 0x8000 : 0x80),
                Tl0PicIdx = rng.Next(2) == 0 ? null : (byte)rng.Next(256),
                TemporalLayerId = rng.Next(2) == 0 ? null : (byte)rng.Next(4),
                KeyIndex = rng.Next(2) == 0 ? null : (byte)rng.Next(32),
            };
            descriptor = descriptor with
            {
                LongPictureId = descriptor.PictureId.HasValue && longId,
                LayerSync = descriptor.TemporalLayerId.HasValue && rng.Next(2) == 0,
            };
            Assert.True(descriptor.TryWrite(buffer, out var written));
            var copy = buffer[..written];
            rng.NextBytes(buffer);
            Assert.True(Vp8PayloadDescriptor.TryParse(copy, out var parsed, out var consumed));
            Assert.Equal(written, consumed);
            Assert.Equal(descriptor, parsed);
        }
    }
}
