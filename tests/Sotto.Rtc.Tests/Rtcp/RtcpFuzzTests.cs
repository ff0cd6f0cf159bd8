using Sotto.Rtc.Rtcp;
using Sotto.Rtc.Tests.Fuzzing;

namespace Sotto.Rtc.Tests.Rtcp;

/// <summary>
/// Fuzz and property tests for the RTCP parsers. Corpus: TestData/fuzz/rtcp/ (see its README). Long pass:
/// <c>SOTTO_FUZZ_ITERATIONS=1000000 dotnet test tests/Sotto.Rtc.Tests -c Release --filter "Category=Fuzz&amp;FullyQualifiedName~Rtcp"</c>.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class RtcpFuzzTests
{
    [Fact]
    public void Compound_reader_and_every_packet_parser_never_throw_and_reparse_what_they_write()
    {
        var executed = FuzzRunner.Run("rtcp", static input => RtcpFuzzTarget.Exercise(input));
        Assert.True(executed > FuzzRunner.Iterations);
    }

    [Fact]
    public void Positive_control_the_target_reaches_the_typed_parsers()
    {
        // If dispatch were broken the fuzz pass would exercise nothing but the reader.
        var counts = RtcpFuzzTarget.Exercise(RtcpCompoundReaderTests.ChromiumReceiverReportAndCname);
        Assert.Equal(1, counts); // RR (SDES parser not written yet)
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
