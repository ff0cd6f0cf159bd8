using Sotto.Rtc.Rtcp;
using Sotto.Rtc.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Sotto.Rtc.Tests.Rtcp;

/// <summary>
/// Fuzz and property tests for the RTCP parsers. Corpus: TestData/fuzz/rtcp/ (see its README). Long pass:
/// <c>SOTTO_FUZZ_ITERATIONS=1000000 dotnet test tests/Sotto.Rtc.Tests -c Release --filter "Category=Fuzz&amp;FullyQualifiedName~Rtcp"</c>.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class RtcpFuzzTests
{
    private readonly ITestOutputHelper _output;

    public RtcpFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Compound_reader_and_every_packet_parser_never_throw_and_reparse_what_they_write()
    {
        long reachedTypedParser = 0;
        var executed = FuzzRunner.Run("rtcp", input =>
        {
            if (RtcpFuzzTarget.Exercise(input) > 0)
            {
                reachedTypedParser++;
            }
        });
        _output.WriteLine($"{executed} inputs, {reachedTypedParser} with at least one packet a typed parser accepted");
        Assert.True(executed > FuzzRunner.Iterations);
        // Mutations of the corpus must keep reaching the typed parsers, or the pass only tests the reader.
        Assert.True(reachedTypedParser > executed / 5, $"only {reachedTypedParser} of {executed} inputs reached a typed parser");
    }

    [Fact]
    public void Positive_control_the_target_reaches_the_typed_parsers()
    {
        // If dispatch were broken the fuzz pass would exercise nothing but the reader.
        var counts = RtcpFuzzTarget.Exercise(RtcpCompoundReaderTests.ChromiumReceiverReportAndCname);
        Assert.Equal(2, counts); // RR and SDES
        Assert.Equal(1, RtcpFuzzTarget.Exercise(Feedback.TransportWideCcFeedbackTests.FivePackets));
        Assert.Equal(0, RtcpFuzzTarget.Exercise([0x80, 0xc9, 0x00]));
    }
}

/// <summary>The fuzz target: walk a datagram, run every parser on every packet, and check write/parse agree.</summary>
internal static class RtcpFuzzTarget
{
    /// <summary>Returns how many packets a typed parser accepted.</summary>
    public static int Exercise(ReadOnlySpan<byte> datagram)
    {
        var accepted = 0;
        Span<byte> scratch = stackalloc byte[2048];
        foreach (var packet in new RtcpCompoundReader(datagram))
        {
            // Every parser sees every packet: the wrong type must be refused, never crash.
            var bytes = packet.Packet;
            if (SenderReport.TryParse(bytes, out var sr))
            {
                accepted++;
                foreach (var block in sr.ReportBlocks)
                {
                    _ = block.CumulativeLost;
                }
                CheckRewrite(sr, bytes, scratch, static (ReadOnlySpan<byte> b) => SenderReport.TryParse(b, out _));
            }
            if (ReceiverReport.TryParse(bytes, out var rr))
            {
                accepted++;
                foreach (var block in rr.ReportBlocks)
                {
                    _ = block.Jitter;
                }
                CheckRewrite(rr, bytes, scratch, static (ReadOnlySpan<byte> b) => ReceiverReport.TryParse(b, out _));
            }
            if (GenericNack.TryParse(bytes, out var nack))
            {
                accepted++;
                var lost = 0;
                foreach (var _ in nack.EnumerateLostSequenceNumbers())
                {
                    lost++;
                }
                Check(lost == nack.CountLostPackets(), "NACK enumeration disagrees with its count");
                CheckRewrite(nack, bytes, scratch, static (ReadOnlySpan<byte> b) => GenericNack.TryParse(b, out _));
            }
            if (PictureLossIndication.TryParse(bytes, out var pli))
            {
                accepted++;
                CheckRewrite(pli, bytes, scratch, static (ReadOnlySpan<byte> b) => PictureLossIndication.TryParse(b, out _));
            }
            if (TransportWideCcFeedback.TryParse(bytes, out var twcc))
            {
                accepted++;
                var reported = 0;
                foreach (var _ in twcc)
                {
                    reported++;
                }
                Check(reported == twcc.PacketStatusCount, "transport-cc enumeration disagrees with the status count");
                CheckRewrite(twcc, bytes, scratch, static (ReadOnlySpan<byte> b) => TransportWideCcFeedback.TryParse(b, out _), exact: false);
            }
            if (SourceDescription.TryParse(bytes, out var sdes))
            {
                accepted++;
                var chunks = 0;
                foreach (var chunk in sdes)
                {
                    chunks++;
                    foreach (var item in chunk)
                    {
                        _ = item.Text.Length;
                    }
                    _ = sdes.TryGetCname(chunk.Ssrc, out _);
                }
                Check(chunks == sdes.ChunkCount, "SDES enumeration disagrees with SC");
                CheckRewrite(sdes, bytes, scratch, static (ReadOnlySpan<byte> b) => SourceDescription.TryParse(b, out _));
            }
            if (Goodbye.TryParse(bytes, out var bye))
            {
                accepted++;
                foreach (var source in bye.Sources)
                {
                    _ = source;
                }
                // Null padding after the reason may come back different (nonzero in, zero out).
                CheckRewrite(bye, bytes, scratch, static (ReadOnlySpan<byte> b) => Goodbye.TryParse(b, out _), exact: false);
            }
            if (FullIntraRequest.TryParse(bytes, out var fir))
            {
                accepted++;
                foreach (var entry in fir.Entries)
                {
                    _ = entry.SequenceNumber;
                }
                // Reserved bits are ignored on reception and written as zero (RFC 5104 §4.3.1.1).
                CheckRewrite(fir, bytes, scratch, static (ReadOnlySpan<byte> b) => FullIntraRequest.TryParse(b, out _), exact: false);
            }
            if (ReceiverEstimatedMaxBitrate.TryParse(bytes, out var remb))
            {
                accepted++;
                _ = remb.Bitrate;
                CheckRewrite(remb, bytes, scratch, static (ReadOnlySpan<byte> b) => ReceiverEstimatedMaxBitrate.TryParse(b, out _));
            }
        }
        return accepted;
    }

    private delegate bool Reparse(ReadOnlySpan<byte> bytes);

    /// <summary>A parsed packet must write back, the result must parse, and writing is idempotent in length.</summary>
    /// <remarks>Unless <paramref name="exact"/> is false, an unpadded input must come back byte for byte.</remarks>
    private static void CheckRewrite<T>(in T packet, ReadOnlySpan<byte> input, Span<byte> scratch, Reparse reparse, bool exact = true)
        where T : IRtcpSerializable, allows ref struct
    {
        var length = packet.GetSerializedLength();
        if (length > scratch.Length)
        {
            return;
        }
        Check(packet.TryWrite(scratch, out var written), $"{packet.PacketType} parsed but does not write back");
        Check(written == length, $"{packet.PacketType} wrote {written} octets, announced {length}");
        Check(reparse(scratch[..written]), $"{packet.PacketType} wrote a packet it does not parse");
        Check(RtcpCompoundReader.IsWellFormed(scratch[..written]), $"{packet.PacketType} wrote a malformed packet");
        if (exact && (input[0] & 0x20) == 0)
        {
            Check(scratch[..written].SequenceEqual(input), $"{packet.PacketType} did not write back the octets it parsed");
        }
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}

/// <summary>Random valid packets: whatever is built must write, parse and come back equal.</summary>
[Trait("Category", "Fuzz")]
public sealed class RtcpRoundTripPropertyTests
{
    private static int Rounds => Math.Max(1000, FuzzRunner.Iterations / 20);

    [Fact]
    public void Random_reports_round_trip()
    {
        var rng = new Random(11);
        var buffer = new byte[2048];
        var again = new byte[2048];
        for (var round = 0; round < Rounds; round++)
        {
            var blocks = new ReportBlock[rng.Next(0, 32)];
            for (var i = 0; i < blocks.Length; i++)
            {
                blocks[i] = new ReportBlock
                {
                    Ssrc = (uint)rng.NextInt64(),
                    FractionLost = (byte)rng.Next(256),
                    CumulativeLost = rng.Next(ReportBlock.MinCumulativeLost, ReportBlock.MaxCumulativeLost + 1),
                    ExtendedHighestSequenceNumber = (uint)rng.NextInt64(),
                    Jitter = (uint)rng.NextInt64(),
                    LastSenderReport = (uint)rng.NextInt64(),
                    DelaySinceLastSenderReport = (uint)rng.NextInt64(),
                };
            }
            var ntp = (ulong)rng.NextInt64() << 1;
            var sr = new SenderReport((uint)rng.NextInt64(), ntp, (uint)rng.NextInt64(), (uint)rng.NextInt64(), (uint)rng.NextInt64(), blocks);
            Assert.True(sr.TryWrite(buffer, out var n));
            Assert.True(SenderReport.TryParse(buffer.AsSpan(0, n), out var parsed));
            Assert.Equal(sr.Ssrc, parsed.Ssrc);
            Assert.Equal(ntp, parsed.NtpTimestamp);
            Assert.Equal(sr.RtpTimestamp, parsed.RtpTimestamp);
            Assert.Equal(sr.PacketCount, parsed.PacketCount);
            Assert.Equal(sr.OctetCount, parsed.OctetCount);
            Assert.Equal(blocks.Length, parsed.ReportBlocks.Count);
            for (var i = 0; i < blocks.Length; i++)
            {
                Assert.Equal(blocks[i], parsed.ReportBlocks[i]);
            }
            Assert.True(parsed.TryWrite(again, out var m));
            Assert.True(buffer.AsSpan(0, n).SequenceEqual(again.AsSpan(0, m)));
        }
    }

    [Fact]
    public void Random_sdes_bye_fir_and_remb_round_trip()
    {
        var rng = new Random(14);
        var buffer = new byte[8192];
        for (var round = 0; round < Rounds; round++)
        {
            var entries = new SdesEntry[rng.Next(0, 10)];
            var ssrc = (uint)rng.NextInt64();
            for (var i = 0; i < entries.Length; i++)
            {
                if (rng.Next(3) == 0)
                {
                    ssrc = (uint)rng.NextInt64();
                }
                var text = new byte[rng.Next(0, 256)];
                rng.NextBytes(text);
                entries[i] = new SdesEntry(ssrc, (SdesItemType)rng.Next(1, 256), text);
            }
            Assert.True(new SourceDescription(entries).TryWrite(buffer, out var n));
            Assert.True(SourceDescription.TryParse(buffer.AsSpan(0, n), out var sdes));
            var index = 0;
            foreach (var chunk in sdes)
            {
                foreach (var item in chunk)
                {
                    Assert.Equal(entries[index].Ssrc, chunk.Ssrc);
                    Assert.Equal(entries[index].Type, item.Type);
                    Assert.True(item.Text.SequenceEqual(entries[index].Text.Span));
                    index++;
                }
            }
            Assert.Equal(entries.Length, index);

            var sources = Enumerable.Range(0, rng.Next(0, 32)).Select(_ => (uint)rng.NextInt64()).ToArray();
            var reason = new byte[rng.Next(0, 2) == 0 ? 0 : rng.Next(1, 256)];
            rng.NextBytes(reason);
            Assert.True(new Goodbye(sources, reason).TryWrite(buffer, out n));
            Assert.True(Goodbye.TryParse(buffer.AsSpan(0, n), out var bye));
            Assert.Equal(sources.Length, bye.Sources.Count);
            for (var i = 0; i < sources.Length; i++)
            {
                Assert.Equal(sources[i], bye.Sources[i]);
            }
            Assert.True(bye.Reason.SequenceEqual(reason));

            var firEntries = Enumerable.Range(0, rng.Next(1, 20)).Select(_ => new FirEntry((uint)rng.NextInt64(), (byte)rng.Next(256))).ToArray();
            Assert.True(new FullIntraRequest(5, firEntries).TryWrite(buffer, out n));
            Assert.True(FullIntraRequest.TryParse(buffer.AsSpan(0, n), out var fir));
            Assert.Equal(firEntries.Length, fir.Entries.Count);
            for (var i = 0; i < firEntries.Length; i++)
            {
                Assert.Equal(firEntries[i], fir.Entries[i]);
            }

            var bitrate = (ulong)rng.NextInt64() >> rng.Next(0, 64);
            var rembSsrcs = Enumerable.Range(0, rng.Next(0, 256)).Select(_ => (uint)rng.NextInt64()).ToArray();
            Assert.True(new ReceiverEstimatedMaxBitrate(6, bitrate, rembSsrcs).TryWrite(buffer, out n));
            Assert.True(ReceiverEstimatedMaxBitrate.TryParse(buffer.AsSpan(0, n), out var remb));
            Assert.True(remb.Bitrate <= bitrate && bitrate - remb.Bitrate < (1ul << remb.Exponent));
            Assert.Equal(rembSsrcs.Length, remb.Ssrcs.Count);
        }
    }

    [Fact]
    public void Random_nacks_round_trip_and_expand_to_the_lost_set()
    {
        var rng = new Random(12);
        var buffer = new byte[4096];
        for (var round = 0; round < Rounds; round++)
        {
            var start = rng.Next(65536);
            var lost = Enumerable.Range(0, rng.Next(1, 200)).Select(_ => (ushort)(start + rng.Next(0, 400))).Distinct().ToArray();
            var items = new NackItem[NackItem.CountItems(lost)];
            Assert.True(NackItem.TryCreate(lost, items, out _));
            Assert.True(new GenericNack(1, 2, items).TryWrite(buffer, out var n));
            Assert.True(GenericNack.TryParse(buffer.AsSpan(0, n), out var parsed));
            var expanded = new HashSet<ushort>();
            foreach (var s in parsed.EnumerateLostSequenceNumbers())
            {
                expanded.Add(s);
            }
            Assert.True(expanded.SetEquals(lost));
        }
    }

    [Fact]
    public void Random_transport_cc_arrivals_round_trip_to_the_tick()
    {
        var rng = new Random(13);
        var buffer = new byte[1200];
        for (var round = 0; round < Rounds / 10; round++)
        {
            var builder = new TransportCcFeedbackBuilder((uint)round, 7);
            var expected = new Dictionary<ushort, long>();
            var sequence = (ushort)rng.Next(65536);
            var time = rng.NextInt64(0, 1L << 40);
            var packets = rng.Next(1, 3000);
            for (var i = 0; i < packets; i++)
            {
                sequence += (ushort)(rng.Next(20) == 0 ? rng.Next(2, 300) : 1);
                time += rng.Next(8) switch
                {
                    0 => -rng.Next(0, 20_000),          // reordered: negative delta
                    1 => rng.Next(64_000, 9_000_000),   // large, sometimes beyond 16 bits
                    _ => rng.Next(0, 5_000),
                };
                if (expected.TryAdd(sequence, time))
                {
                    builder.OnPacketReceived(sequence, time);
                }
            }
            var seen = new Dictionary<ushort, long>();
            while (builder.PendingCount > 0)
            {
                Assert.True(builder.TryWriteFeedback(buffer, out var n));
                Assert.True(TransportWideCcFeedback.TryParse(buffer.AsSpan(0, n), out var feedback));
                var firstArrival = long.MinValue;
                foreach (var status in feedback)
                {
                    if (status.IsReceived)
                    {
                        Assert.True(seen.TryAdd(status.SequenceNumber, status.ArrivalTimeMicros));
                        if (firstArrival == long.MinValue)
                        {
                            firstArrival = status.ArrivalTimeMicros;
                        }
                    }
                }
            }
            Assert.Equal(expected.Count, seen.Count);
            foreach (var (s, t) in expected)
            {
                // The reference time wraps every 2^24 × 64 ms; compare modulo that, to the nearest tick.
                const long wrap = (1L << 24) * TransportWideCcFeedback.ReferenceTimeUnitMicros;
                var difference = ((seen[s] - t) % wrap + wrap) % wrap;
                Assert.True(difference <= 125 || wrap - difference <= 125, $"seq {s}: sent {t}, read {seen[s]}");
            }
        }
    }
}
