using System.Text;
using Sotto.Rtc.Rtcp;
using Sotto.Rtc.Tests.Rtcp.Feedback;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp;

public sealed class RtcpCompoundWriterTests
{
    [Fact]
    public void Writes_the_chromium_shaped_receiver_report_and_cname()
    {
        var buffer = new byte[1500];
        var writer = new RtcpCompoundWriter(buffer);
        ReportBlock[] blocks =
        [
            new ReportBlock
            {
                Ssrc = 0x5e1a7c3b,
                FractionLost = 2,
                CumulativeLost = 5,
                ExtendedHighestSequenceNumber = 0x0001_1388,
                Jitter = 28,
                LastSenderReport = 0xa1b2c3d4,
                DelaySinceLastSenderReport = 0x0001_8000,
            },
        ];
        Assert.True(writer.TryAdd(new ReceiverReport(1, blocks)));
        Assert.True(writer.TryAdd(new SourceDescription([new SdesEntry(1, SdesItemType.Cname, "4TOk42mSjXCkVIa6"u8.ToArray())])));
        Assert.Equal(2, writer.PacketCount);
        Assert.Equal(RtcpCompoundReaderTests.ChromiumReceiverReportAndCname, writer.Written.ToArray());
    }

    [Fact]
    public void Writes_reports_sdes_feedback_and_bye_that_read_back_in_order()
    {
        var twcc = new byte[64];
        Assert.True(TransportWideCcFeedback.TryWrite(twcc, 1, 0x12345678, 0, TransportWideCcFeedbackTests.FiveArrivals, out var twccLength, out _));

        var buffer = new byte[1500];
        var writer = new RtcpCompoundWriter(buffer);
        Assert.True(writer.TryAdd(new SenderReport(1, 0xeb0c5f3a_80000000, 90000, 10, 12000, [new ReportBlock { Ssrc = 2 }])));
        Assert.True(writer.TryAdd(new ReceiverReport(1, [new ReportBlock { Ssrc = 3 }])));
        Assert.True(writer.TryAdd(new SourceDescription([new SdesEntry(1, SdesItemType.Cname, "sotto"u8.ToArray())])));
        Assert.True(writer.TryAdd(new PictureLossIndication(1, 2)));
        Assert.True(writer.TryAdd(new GenericNack(1, 2, [new NackItem(100, 0b11)])));
        Assert.True(writer.TryAdd(new FullIntraRequest(1, [new FirEntry(2, 1)])));
        Assert.True(writer.TryAdd(new ReceiverEstimatedMaxBitrate(1, 2_000_000, [2])));
        Assert.True(writer.TryAddSerialized(twcc.AsSpan(0, twccLength)));
        Assert.True(writer.TryAdd(new Goodbye([1], "done"u8)));
        Assert.Equal(9, writer.PacketCount);

        var datagram = writer.Written.ToArray();
        Assert.True(RtcpCompoundReader.IsStrictCompound(datagram));
        var types = new List<(RtcpPacketType, byte)>();
        foreach (var packet in new RtcpCompoundReader(datagram))
        {
            types.Add((packet.PacketType, packet.Count));
            switch (types.Count)
            {
                case 1: Assert.True(SenderReport.TryParse(packet.Packet, out var sr) && sr.RtpTimestamp == 90000); break;
                case 2: Assert.True(ReceiverReport.TryParse(packet.Packet, out var rr) && rr.ReportBlocks[0].Ssrc == 3); break;
                case 3: Assert.True(SourceDescription.TryParse(packet.Packet, out var sdes) && sdes.TryGetCname(1, out var c) && Encoding.ASCII.GetString(c) == "sotto"); break;
                case 4: Assert.True(PictureLossIndication.TryParse(packet.Packet, out _)); break;
                case 5: Assert.True(GenericNack.TryParse(packet.Packet, out var nack) && nack.CountLostPackets() == 3); break;
                case 6: Assert.True(FullIntraRequest.TryParse(packet.Packet, out var fir) && fir.Entries[0].SequenceNumber == 1); break;
                case 7: Assert.True(ReceiverEstimatedMaxBitrate.TryParse(packet.Packet, out var remb) && remb.Bitrate == 2_000_000); break;
                case 8: Assert.True(TransportWideCcFeedback.TryParse(packet.Packet, out var tcc) && tcc.CountReceived() == 4); break;
                case 9: Assert.True(Goodbye.TryParse(packet.Packet, out var bye) && bye.Sources[0] == 1); break;
            }
        }
        Assert.Equal(9, types.Count);
    }

    [Fact]
    public void Refuses_packets_out_of_order_and_leaves_the_buffer_as_it_was()
    {
        var buffer = new byte[256];
        var writer = new RtcpCompoundWriter(buffer);
        Assert.True(writer.TryAdd(new SourceDescription([new SdesEntry(1, SdesItemType.Cname, "a"u8.ToArray())])));
        var before = writer.BytesWritten;
        Assert.False(writer.TryAdd(new ReceiverReport(1)));     // report after SDES
        Assert.True(writer.TryAdd(new Goodbye([1])));
        Assert.False(writer.TryAdd(new PictureLossIndication(1, 2))); // feedback after BYE
        Assert.False(writer.TryAddSerialized(RtcpCompoundReaderTests.ChromiumLonePli));
        Assert.Equal(before + 8, writer.BytesWritten);
        Assert.Equal(2, writer.PacketCount);
    }

    [Fact]
    public void Feedback_alone_is_allowed_for_reduced_size_rtcp()
    {
        var buffer = new byte[64];
        var writer = new RtcpCompoundWriter(buffer);
        Assert.True(writer.TryAdd(new PictureLossIndication(1, 0x5e1a7c3b)));
        Assert.Equal(RtcpCompoundReaderTests.ChromiumLonePli, writer.Written.ToArray());
    }

    [Fact]
    public void Refuses_what_does_not_fit_or_is_not_one_packet()
    {
        var buffer = new byte[20];
        var writer = new RtcpCompoundWriter(buffer);
        Assert.True(writer.TryAdd(new PictureLossIndication(1, 2)));
        Assert.False(writer.TryAdd(new PictureLossIndication(1, 2))); // 24 > 20
        Assert.Equal(12, writer.BytesWritten);
        Assert.True(writer.TryAdd(new ReceiverEstimatedMaxBitrate(1, 1, [])) is false);
        var roomy = new RtcpCompoundWriter(new byte[100]);
        Assert.False(roomy.TryAddSerialized(RtcpCompoundReaderTests.ChromiumLonePli.AsSpan(0, 8)));  // truncated
        Assert.False(roomy.TryAddSerialized(RtcpCompoundReaderTests.ChromiumReceiverReportAndCname)); // two packets
        Assert.True(roomy.TryAddSerialized(RtcpCompoundReaderTests.ChromiumLonePli));
    }
}
