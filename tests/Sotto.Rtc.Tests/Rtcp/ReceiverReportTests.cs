using Sotto.Rtc.Rtcp;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp;

public sealed class ReceiverReportTests
{
    [Fact]
    public void Parses_the_chromium_shaped_receiver_report()
    {
        var reader = new RtcpCompoundReader(RtcpCompoundReaderTests.ChromiumReceiverReportAndCname);
        Assert.True(reader.MoveNext());
        Assert.True(ReceiverReport.TryParse(reader.Current.Packet, out var rr));
        Assert.Equal(1u, rr.Ssrc);
        Assert.Equal(1, rr.ReportBlocks.Count);
        var block = rr.ReportBlocks[0];
        Assert.Equal(0x5e1a7c3bu, block.Ssrc);
        Assert.Equal(2, block.FractionLost);
        Assert.Equal(5, block.CumulativeLost);
        Assert.Equal(0x0001_1388u, block.ExtendedHighestSequenceNumber);
        Assert.Equal(28u, block.Jitter);
        Assert.Equal(0xa1b2c3d4u, block.LastSenderReport);
        Assert.Equal(0x0001_8000u, block.DelaySinceLastSenderReport);
    }

    [Fact]
    public void Zero_block_report_is_eight_octets()
    {
        var expected = Hex(
            "80 c9 00 01", // V=2 P=0 RC=0 PT=201 len=1
            "de ad be ef"); // SSRC of packet sender
        var rr = new ReceiverReport(0xdeadbeef);
        var written = new byte[rr.GetSerializedLength()];
        Assert.True(rr.TryWrite(written, out var n));
        Assert.Equal(8, n);
        Assert.Equal(expected, written);
        Assert.True(ReceiverReport.TryParse(written, out var parsed));
        Assert.Equal(0, parsed.ReportBlocks.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    public void Round_trips_without_aliasing(int blockCount)
    {
        var blocks = Enumerable.Range(0, blockCount)
            .Select(i => new ReportBlock { Ssrc = (uint)i + 1, CumulativeLost = i * 1000, Jitter = (uint)i })
            .ToArray();
        var first = new byte[new ReceiverReport(42, blocks).GetSerializedLength()];
        Assert.True(new ReceiverReport(42, blocks).TryWrite(first, out _));
        Assert.True(ReceiverReport.TryParse(first, out var parsed));
        var second = new byte[parsed.GetSerializedLength()];
        Assert.True(parsed.TryWrite(second, out _));
        var expected = Copy(first);
        Scribble(first);
        Assert.Equal(expected, second);
        Assert.Equal(8 + (24 * blockCount), second.Length);
    }

    [Fact]
    public void Refuses_a_report_count_larger_than_the_body()
    {
        // V=2 P=0 RC=2 PT=201 len=7: room for one block only.
        var bytes = Hex("82 c9 00 07", "00 00 00 01").Concat(new byte[24]).ToArray();
        Assert.False(ReceiverReport.TryParse(bytes, out _));
        bytes[0] = 0x81; // positive control: RC=1 fits
        Assert.True(ReceiverReport.TryParse(bytes, out _));
    }

    [Fact]
    public void Refuses_profile_extensions_that_are_not_whole_words()
    {
        // Fuzz regression (crash-211c5d73ac0ae0f1.bin): V=2 P=1 RC=0 PT=201 len=4 with a padding count
        // of 2 leaves 10 octets of extensions, which cannot be written back.
        var bytes = RtcpTestBytes.Hex("a0 c9 00 04", "01 de ad be", "ef a1 ce 00", "03 00 00 00", "01 00 00 02");
        Assert.False(ReceiverReport.TryParse(bytes, out _));
        bytes[^1] = 4; // positive control: a padding count of 4 leaves two whole words
        Assert.True(ReceiverReport.TryParse(bytes, out var rr));
        Assert.Equal(8, rr.ProfileExtensions.Length);
    }
}
