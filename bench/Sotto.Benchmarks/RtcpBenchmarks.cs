using BenchmarkDotNet.Attributes;
using Sotto.Rtc.Rtcp;

namespace Sotto.Benchmarks;

/// <summary>
/// RTCP parse and write costs. Run: <c>dotnet run -c Release --project bench/Sotto.Benchmarks -- --filter *Rtcp*</c>.
/// Every case must show 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class RtcpBenchmarks
{
    private readonly byte[] _compound = new byte[1500];
    private readonly byte[] _output = new byte[1500];
    private readonly TransportCcArrival[] _arrivals = new TransportCcArrival[100];
    private readonly byte[] _cname = "4TOk42mSjXCkVIa6"u8.ToArray();
    private readonly SdesEntry[] _sdes = new SdesEntry[1];
    private readonly ReportBlock[] _blocks = [new ReportBlock { Ssrc = 2, ExtendedHighestSequenceNumber = 70_000, Jitter = 30 }];
    private TransportCcFeedbackBuilder _builder = null!;
    private int _compoundLength;

    [GlobalSetup]
    public void Setup()
    {
        _sdes[0] = new SdesEntry(1, SdesItemType.Cname, _cname);
        for (var i = 0; i < _arrivals.Length; i++)
        {
            // 100 packets over ~100 ms with every tenth lost and some reordering.
            var sequence = (ushort)(65500 + i + (i / 9));
            _arrivals[i] = new TransportCcArrival(sequence, 1_000_000 + (i * 1_000) + ((i % 7) * 300));
        }
        var writer = new RtcpCompoundWriter(_compound);
        writer.TryAdd(new ReceiverReport(1, _blocks));
        writer.TryAdd(new SourceDescription(_sdes));
        writer.TryAdd(new GenericNack(1, 2, [new NackItem(100, 0x0101)]));
        writer.TryAdd(new PictureLossIndication(1, 2));
        TransportWideCcFeedback.TryWrite(_compound.AsSpan(writer.BytesWritten), 1, 2, 0, _arrivals, out var twcc, out _);
        _compoundLength = writer.BytesWritten + twcc;
        _builder = new TransportCcFeedbackBuilder(1, 2, 256);
    }

    [Benchmark(Description = "Parse RR+SDES+NACK+PLI+TWCC(100) compound, enumerate all")]
    public long ParseCompound()
    {
        long sum = 0;
        foreach (var packet in new RtcpCompoundReader(_compound.AsSpan(0, _compoundLength)))
        {
            switch (packet.PacketType)
            {
                case RtcpPacketType.ReceiverReport when ReceiverReport.TryParse(packet.Packet, out var rr):
                    foreach (var block in rr.ReportBlocks)
                    {
                        sum += block.Jitter;
                    }
                    break;
                case RtcpPacketType.SourceDescription when SourceDescription.TryParse(packet.Packet, out var sdes):
                    sum += sdes.TryGetCname(1, out var cname) ? cname.Length : 0;
                    break;
                case RtcpPacketType.TransportLayerFeedback when GenericNack.TryParse(packet.Packet, out var nack):
                    foreach (var lost in nack.EnumerateLostSequenceNumbers())
                    {
                        sum += lost;
                    }
                    break;
                case RtcpPacketType.TransportLayerFeedback when TransportWideCcFeedback.TryParse(packet.Packet, out var twcc):
                    foreach (var status in twcc)
                    {
                        sum += status.ArrivalTimeMicros;
                    }
                    break;
                case RtcpPacketType.PayloadSpecificFeedback when PictureLossIndication.TryParse(packet.Packet, out var pli):
                    sum += pli.MediaSsrc;
                    break;
            }
        }
        return sum;
    }

    [Benchmark(Description = "Write RR(1 block)+SDES(CNAME) compound")]
    public int WriteReceiverReportAndCname()
    {
        var writer = new RtcpCompoundWriter(_output);
        writer.TryAdd(new ReceiverReport(1, _blocks));
        writer.TryAdd(new SourceDescription(_sdes));
        return writer.BytesWritten;
    }

    [Benchmark(Description = "Write transport-cc feedback for 100 arrivals")]
    public int WriteTransportCc()
    {
        TransportWideCcFeedback.TryWrite(_output, 1, 2, 0, _arrivals, out var written, out _);
        return written;
    }

    [Benchmark(Description = "Builder: record 100 arrivals (shuffled) + write feedback")]
    public int BuilderRoundTrip()
    {
        for (var i = 0; i < _arrivals.Length; i++)
        {
            var arrival = _arrivals[(i * 37) % _arrivals.Length];
            _builder.OnPacketReceived(arrival.SequenceNumber, arrival.ArrivalTimeMicros);
        }
        var total = 0;
        while (_builder.TryWriteFeedback(_output, out var written))
        {
            total += written;
        }
        return total;
    }
}
