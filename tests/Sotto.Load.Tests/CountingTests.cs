using System.Diagnostics;
using Sotto.Load.Media;
using Sotto.Load.Peers;
using Sotto.Rtc.Rtp;

namespace Sotto.Load.Tests;

public sealed class CountingTests
{
    /// <summary>A packet of source stream <paramref name="stream"/> numbered <paramref name="counter"/> by the publisher; the RTP sequence number is the server's and means nothing to the count.</summary>
    private static byte[] Packet(uint stream, uint counter, long sentTicks)
    {
        var payload = new byte[60];
        ProbeTrailer.TryWrite(payload, stream, counter, sentTicks);
        ushort seq = (ushort)Random.Shared.Next();
        uint ssrc = 1234;
        var buffer = new byte[200];
        Assert.True(RtpPacketWriter.TryCreate(buffer, new RtpHeader(96, seq, 0, ssrc), default, RtpExtensionProfile.OneByte, out RtpPacketWriter writer));
        Assert.True(writer.TryWritePayload(payload));
        Assert.True(writer.TryComplete(0, out int length));
        return buffer[..length];
    }

    [Fact]
    public void Loss_is_counted_from_gaps_in_each_streams_counter_across_the_wrap()
    {
        var counters = new SubscriberCounters(new DelayHistogram(), expectedStreams: 2);
        long now = Stopwatch.GetTimestamp();
        // Control: a contiguous stream across the 32-bit wrap expects exactly what arrived.
        foreach (uint seq in new uint[] { uint.MaxValue - 1, uint.MaxValue, 0, 1 })
            counters.OnRtp(Packet(7, seq, now), 100);
        Assert.Equal(4, counters.Packets);
        Assert.Equal(4, counters.Expected);
        Assert.False(counters.AllStreamsFlowing); // one of two streams so far

        // Two packets missing on a second stream; a late duplicate does not count as expected again.
        foreach (uint seq in new uint[] { 10, 11, 14, 15, 11 })
            counters.OnRtp(Packet(8, seq, now), 100);
        Assert.Equal(9, counters.Packets);
        Assert.Equal(4 + 6, counters.Expected);
        Assert.Equal(2, counters.StreamCount);
        Assert.True(counters.AllStreamsFlowing);
        Assert.Equal(900, counters.Octets);
    }

    [Fact]
    public void A_packet_without_the_trailer_is_not_counted()
    {
        var counters = new SubscriberCounters(new DelayHistogram(), expectedStreams: 2);
        byte[] packet = Packet(7, 1, Stopwatch.GetTimestamp());
        packet[^ProbeTrailer.Length] ^= 0xFF;
        counters.OnRtp(packet, 100);
        Assert.Equal(0, counters.Packets);
        counters.OnRtp(Packet(7, 2, Stopwatch.GetTimestamp()), 100);
        Assert.Equal(1, counters.Packets);
    }

    [Fact]
    public void Histogram_percentiles_come_from_the_recorded_delays()
    {
        var histogram = new DelayHistogram();
        Assert.True(double.IsNaN(histogram.Percentile(0.5)));
        long ticksPerMs = Stopwatch.Frequency / 1000;
        for (int i = 0; i < 98; i++)
            histogram.Record(0, ticksPerMs); // 1 ms
        histogram.Record(0, 30 * ticksPerMs);
        histogram.Record(0, 5000 * ticksPerMs); // beyond the last bucket (1 s)
        Assert.Equal(100, histogram.Count);
        Assert.InRange(histogram.Percentile(0.5), 1.0, 1.02);
        Assert.InRange(histogram.Percentile(0.99), 30.0, 30.02);
        Assert.Equal(1000.0, histogram.Percentile(1.0));
        histogram.Reset();
        Assert.Equal(0, histogram.Count);
    }

    [Fact]
    public void Relay_hello_round_trips_and_rtp_is_never_taken_for_one()
    {
        Span<byte> hello = stackalloc byte[RelayProtocol.HelloLength];
        RelayProtocol.WriteHello(hello, RelayRole.Subscriber, 7, 9);
        Assert.True(RelayProtocol.TryReadHello(hello, out RelayRole role, out uint room, out uint participant));
        Assert.Equal((RelayRole.Subscriber, 7u, 9u), (role, room, participant));
        Assert.False(RelayProtocol.TryReadHello(Packet(1, 1, 1).AsSpan(0, RelayProtocol.HelloLength), out _, out _, out _));
    }
}
