using Sotto.Rtc.Rtcp;
using Sotto.Rtc.Tests.Rtcp.Feedback;

namespace Sotto.Rtc.Tests.Rtcp;

/// <summary>The parse side must not allocate: a compound walk with every packet parsed and enumerated.</summary>
public sealed class RtcpAllocationTests
{
    private static byte[] BuildDatagram()
    {
        var buffer = new byte[1500];
        var writer = new RtcpCompoundWriter(buffer);
        Assert.True(writer.TryAdd(new SenderReport(1, 2, 3, 4, 5, [new ReportBlock { Ssrc = 9 }, new ReportBlock { Ssrc = 10 }])));
        Assert.True(writer.TryAdd(new SourceDescription([new SdesEntry(1, SdesItemType.Cname, "abcdefgh"u8.ToArray())])));
        Assert.True(writer.TryAdd(new GenericNack(1, 2, [new NackItem(1, 0xFF), new NackItem(100, 1)])));
        Assert.True(writer.TryAdd(new PictureLossIndication(1, 2)));
        Assert.True(writer.TryAdd(new FullIntraRequest(1, [new FirEntry(2, 3)])));
        Assert.True(writer.TryAdd(new ReceiverEstimatedMaxBitrate(1, 3_000_000, [2, 3])));
        Assert.True(writer.TryAddSerialized(TransportWideCcFeedbackTests.FivePackets));
        Assert.True(writer.TryAdd(new Goodbye([1], "x"u8)));
        return writer.Written.ToArray();
    }

    private static long ParseEverything(byte[] datagram)
    {
        long sum = 0;
        foreach (var packet in new RtcpCompoundReader(datagram))
        {
            if (SenderReport.TryParse(packet.Packet, out var sr))
            {
                foreach (var block in sr.ReportBlocks)
                {
                    sum += block.Ssrc;
                }
            }
            else if (SourceDescription.TryParse(packet.Packet, out var sdes))
            {
                foreach (var chunk in sdes)
                {
                    foreach (var item in chunk)
                    {
                        sum += item.Text.Length;
                    }
                }
            }
            else if (GenericNack.TryParse(packet.Packet, out var nack))
            {
                foreach (var lost in nack.EnumerateLostSequenceNumbers())
                {
                    sum += lost;
                }
            }
            else if (PictureLossIndication.TryParse(packet.Packet, out var pli))
            {
                sum += pli.MediaSsrc;
            }
            else if (FullIntraRequest.TryParse(packet.Packet, out var fir))
            {
                sum += fir.Entries[0].SequenceNumber;
            }
            else if (ReceiverEstimatedMaxBitrate.TryParse(packet.Packet, out var remb))
            {
                sum += (long)remb.Bitrate + remb.Ssrcs.Count;
            }
            else if (TransportWideCcFeedback.TryParse(packet.Packet, out var twcc))
            {
                foreach (var status in twcc)
                {
                    sum += status.DeltaTicks;
                }
            }
            else if (Goodbye.TryParse(packet.Packet, out var bye))
            {
                sum += bye.Sources[0];
            }
        }
        return sum;
    }

    [Fact]
    public void Parsing_every_packet_type_allocates_nothing()
    {
        var datagram = BuildDatagram();
        var expected = ParseEverything(datagram); // warm up (JIT, statics)
        var mismatches = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            if (ParseEverything(datagram) != expected)
            {
                mismatches++;
            }
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, mismatches);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Positive_control_the_measurement_sees_an_allocation()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var array = new byte[100];
        GC.KeepAlive(array);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before >= 100);
    }
}
