using Sotto.Rtc.Rtcp;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp;

public sealed class SenderReportTests
{
    internal static readonly byte[] WithOneBlock = Hex(
        "81 c8 00 0c", // V=2 P=0 RC=1 PT=200(SR) len=12
        "2b 4e 77 10", // SSRC of sender
        "eb 0c 5f 3a", // NTP timestamp, most significant word
        "80 00 00 00", // NTP timestamp, least significant word (0.5 s)
        "00 0b b8 00", // RTP timestamp = 768000
        "00 00 03 e8", // sender's packet count = 1000
        "00 0f 42 40", // sender's octet count = 1000000
        "5e 1a 7c 3b", // report block: SSRC_1
        "00 00 00 00", //   fraction lost 0, cumulative 0
        "00 00 27 10", //   ext highest seq = 10000
        "00 00 00 03", //   jitter
        "00 00 00 00", //   LSR
        "00 00 00 00"); //  DLSR

    [Fact]
    public void Parses_sender_info_and_report_blocks()
    {
        Assert.True(SenderReport.TryParse(WithOneBlock, out var sr));
        Assert.Equal(0x2b4e7710u, sr.Ssrc);
        Assert.Equal(0xeb0c5f3a_80000000ul, sr.NtpTimestamp);
        Assert.Equal(0x5f3a8000u, sr.CompactNtpTimestamp);
        Assert.Equal(768000u, sr.RtpTimestamp);
        Assert.Equal(1000u, sr.PacketCount);
        Assert.Equal(1_000_000u, sr.OctetCount);
        Assert.Equal(1, sr.ReportBlocks.Count);
        Assert.Equal(0x5e1a7c3bu, sr.ReportBlocks[0].Ssrc);
        Assert.Equal(10000u, sr.ReportBlocks[0].ExtendedHighestSequenceNumber);
        Assert.True(sr.ProfileExtensions.IsEmpty);
        Assert.Equal(WithOneBlock.Length, sr.GetSerializedLength());
    }

    [Fact]
    public void Writes_a_parsed_report_back_byte_for_byte_without_aliasing_the_source()
    {
        var source = Copy(WithOneBlock);
        Assert.True(SenderReport.TryParse(source, out var sr));
        var written = new byte[sr.GetSerializedLength()];
        Assert.True(sr.TryWrite(written, out var n));
        Scribble(source);
        Assert.Equal(WithOneBlock.Length, n);
        Assert.Equal(WithOneBlock, written);
    }

    public static TheoryData<int, int> BlockCounts => new() { { 0, 0 }, { 1, 0 }, { 31, 0 }, { 2, 8 } };

    [Theory]
    [MemberData(nameof(BlockCounts))]
    public void Round_trips_from_values_with_zero_to_31_blocks_and_extensions(int blockCount, int extensionLength)
    {
        var blocks = new ReportBlock[blockCount];
        for (var i = 0; i < blockCount; i++)
        {
            blocks[i] = new ReportBlock
            {
                Ssrc = (uint)(0x1000 + i),
                FractionLost = (byte)i,
                CumulativeLost = -i,
                ExtendedHighestSequenceNumber = (uint)(65536 + i),
                Jitter = (uint)i * 7,
                LastSenderReport = (uint)i << 16,
                DelaySinceLastSenderReport = (uint)i,
            };
        }
        var extensions = Enumerable.Range(1, extensionLength).Select(b => (byte)b).ToArray();
        var sr = new SenderReport(7, 0x0102030405060708, 90000, 5, 6000, blocks, extensions);
        Assert.Equal(28 + (24 * blockCount) + extensionLength, sr.GetSerializedLength());

        var first = new byte[sr.GetSerializedLength()];
        Assert.True(sr.TryWrite(first, out var n));
        Assert.Equal(first.Length, n);
        Assert.Equal(blockCount, first[0] & 0x1F);

        Assert.True(SenderReport.TryParse(first, out var parsed));
        var second = new byte[parsed.GetSerializedLength()];
        Assert.True(parsed.TryWrite(second, out _));
        Assert.Equal(7u, parsed.Ssrc);
        Assert.Equal(0x0102030405060708ul, parsed.NtpTimestamp);
        Assert.Equal(90000u, parsed.RtpTimestamp);
        Assert.Equal(5u, parsed.PacketCount);
        Assert.Equal(6000u, parsed.OctetCount);
        Assert.Equal(extensions, parsed.ProfileExtensions.ToArray());
        var i2 = 0;
        foreach (var block in parsed.ReportBlocks)
        {
            Assert.Equal(blocks[i2++], block);
        }
        Assert.Equal(blockCount, i2);

        var expected = Copy(first);
        Scribble(first);
        Assert.Equal(expected, second);
    }

    [Fact]
    public void Refuses_to_write_32_blocks_or_a_partial_word_of_extensions_or_into_a_short_buffer()
    {
        var big = new byte[2048];
        Assert.True(new SenderReport(1, 0, 0, 0, 0, new ReportBlock[31]).TryWrite(big, out _));
        Assert.False(new SenderReport(1, 0, 0, 0, 0, new ReportBlock[32]).TryWrite(big, out _));
        Assert.False(new SenderReport(1, 0, 0, 0, 0, default, new byte[3]).TryWrite(big, out _));
        var sr = new SenderReport(1, 0, 0, 0, 0);
        Assert.False(sr.TryWrite(new byte[sr.GetSerializedLength() - 1], out var n));
        Assert.Equal(0, n);
    }

    [Theory]
    [InlineData("80 c8 00 05 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00")] // sender info one word short
    [InlineData("81 c8 00 06 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00")] // RC=1 but no block
    [InlineData("80 c9 00 06 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00")] // PT=201, not SR
    public void Refuses_truncated_or_mistyped_packets(string hex)
    {
        Assert.False(SenderReport.TryParse(Hex(hex), out _));
    }

    [Fact]
    public void Positive_control_the_minimal_sender_report_parses()
    {
        Assert.True(SenderReport.TryParse(Hex("80 c8 00 06 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"), out var sr));
        Assert.Equal(0, sr.ReportBlocks.Count);
    }
}
