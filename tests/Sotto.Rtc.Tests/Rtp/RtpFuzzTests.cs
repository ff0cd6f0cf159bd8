using Sotto.Rtc.Rtp;
using Sotto.Rtc.Rtp.Extensions;
using Sotto.Rtc.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Sotto.Rtc.Tests.Rtp;

[Trait("Category", "Fuzz")]
public sealed class RtpFuzzTests(ITestOutputHelper output)
{
    private static int _parsed;
    private static int _elements;

    private static void Target(ReadOnlySpan<byte> input)
    {
        if (RtpPacket.TryParse(input, out var packet))
        {
            _parsed++;
            _ = packet.Marker;
            _ = packet.PayloadType;
            _ = packet.SequenceNumber;
            _ = packet.Timestamp;
            _ = packet.Ssrc;
            for (var i = 0; i < packet.CsrcCount; i++)
            {
                _ = packet.GetCsrc(i);
            }
            _ = packet.ExtensionProfile;
            _ = packet.Payload;
            _ = packet.IsPaddingOnly;
            var total = packet.HeaderLength + packet.Payload.Length + packet.PaddingLength;
            if (total != input.Length)
            {
                throw new InvalidOperationException($"header {packet.HeaderLength} + payload {packet.Payload.Length} + padding {packet.PaddingLength} != {input.Length}");
            }
            foreach (var element in packet.Extensions)
            {
                _elements++;
                _ = AbsSendTime.TryRead(element.Value, out _);
                _ = TransportSequenceNumber.TryRead(element.Value, out _);
                _ = AudioLevel.TryRead(element.Value, out _);
                _ = RtpStreamId.TryRead(element.Value, out _);
            }
            _ = packet.TryGetExtension(3, out _);
        }

        // The mutable view over a private copy: rewrite, then check that only the rewritten fields moved.
        var copy = input.ToArray();
        if (MutableRtpPacket.TryParse(copy, out var mutable))
        {
            mutable.Ssrc = ~mutable.Ssrc;
            mutable.SequenceNumber++;
            mutable.Timestamp += 90;
            mutable.Marker = !mutable.Marker;
            if (mutable.TryGetExtension(3, out var twcc) && twcc.Length == 2)
            {
                TransportSequenceNumber.TryOverwrite(twcc, 1);
            }
            _ = mutable.Payload;
            if (!RtpPacket.TryParse(copy, out var after) || after.Payload.Length != packet.Payload.Length)
            {
                throw new InvalidOperationException("rewrite changed the packet layout");
            }
        }
    }

    [Fact]
    public void Parse_rewrite_and_extension_walk_never_throw_on_mutated_and_random_input()
    {
        _parsed = 0;
        _elements = 0;
        var executed = FuzzRunner.Run("rtp", Target);
        Assert.True(executed >= FuzzRunner.Iterations);
        output.WriteLine($"{executed} inputs: parsed {_parsed}, extension elements {_elements}");
        Assert.True(_parsed > executed / 10, $"only {_parsed} of {executed} inputs parsed");
        Assert.True(_elements > executed / 10, $"only {_elements} extension elements walked in {executed} inputs");
    }

    [Fact]
    public void Every_committed_seed_parses()
    {
        var corpus = FuzzRunner.LoadCorpus("rtp");
        Assert.True(corpus.Count >= 6);
        foreach (var seed in corpus)
        {
            Assert.True(RtpPacket.TryParse(seed, out _));
        }
    }

    [Fact]
    public void Round_trip_property_random_headers_parse_back_equal()
    {
        var rng = new Random(3550);
        var buffer = new byte[2048];
        for (var i = 0; i < 5_000; i++)
        {
            var header = new RtpHeader((byte)rng.Next(128), (ushort)rng.Next(65536), (uint)rng.NextInt64(0, 1L << 32), (uint)rng.NextInt64(0, 1L << 32), rng.Next(2) == 0);
            var csrcs = new uint[rng.Next(16)];
            for (var c = 0; c < csrcs.Length; c++)
            {
                csrcs[c] = (uint)rng.NextInt64(0, 1L << 32);
            }
            var profile = rng.Next(3) switch { 0 => (ushort)0, 1 => RtpExtensionProfile.OneByte, _ => (ushort)(RtpExtensionProfile.TwoByte | rng.Next(16)) };
            var elements = new List<(byte Id, byte[] Value)>();
            if (profile != 0)
            {
                var oneByte = profile == RtpExtensionProfile.OneByte;
                for (var e = rng.Next(6); e > 0; e--)
                {
                    var value = new byte[oneByte ? rng.Next(1, 17) : rng.Next(0, 40)];
                    rng.NextBytes(value);
                    elements.Add(((byte)(oneByte ? rng.Next(1, 15) : rng.Next(1, 256)), value));
                }
            }
            var payload = new byte[rng.Next(0, 1200)];
            rng.NextBytes(payload);
            var padding = (byte)(rng.Next(4) == 0 ? rng.Next(1, 256) : 0);

            Assert.True(RtpPacketWriter.TryCreate(buffer, header, csrcs, profile, out var writer));
            foreach (var (id, value) in elements)
            {
                Assert.True(writer.TryAddExtension(id, value));
            }
            Assert.True(writer.TryWritePayload(payload));
            Assert.True(writer.TryComplete(padding, out var written));
            var datagram = buffer[..written];
            rng.NextBytes(buffer); // no aliasing

            Assert.True(RtpPacket.TryParse(datagram, out var packet));
            Assert.Equal(header, new RtpHeader(packet.PayloadType, packet.SequenceNumber, packet.Timestamp, packet.Ssrc, packet.Marker));
            Assert.Equal(csrcs.Length, packet.CsrcCount);
            for (var c = 0; c < csrcs.Length; c++)
            {
                Assert.Equal(csrcs[c], packet.GetCsrc(c));
            }
            Assert.Equal(profile, packet.ExtensionProfile);
            var parsed = new List<(byte, byte[])>();
            foreach (var element in packet.Extensions)
            {
                parsed.Add((element.Id, element.Value.ToArray()));
            }
            Assert.Equal(elements.Count, parsed.Count);
            for (var e = 0; e < elements.Count; e++)
            {
                Assert.Equal(elements[e].Id, parsed[e].Item1);
                Assert.Equal(elements[e].Value, parsed[e].Item2);
            }
            Assert.Equal(payload, packet.Payload.ToArray());
            Assert.Equal(padding, packet.PaddingLength);
        }
    }
}
