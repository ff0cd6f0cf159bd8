using Sotto.Rtc.Rtcp;

namespace Sotto.Rtc.Tests.Rtcp.Feedback;

public sealed class TransportCcFeedbackBuilderTests
{
    private static List<TransportCcPacketStatus> Read(ReadOnlySpan<byte> packet, out byte feedbackCount)
    {
        Assert.True(TransportWideCcFeedback.TryParse(packet, out var feedback));
        feedbackCount = feedback.FeedbackPacketCount;
        var list = new List<TransportCcPacketStatus>();
        foreach (var status in feedback)
        {
            list.Add(status);
        }
        return list;
    }

    [Fact]
    public void Out_of_order_arrivals_produce_the_hand_computed_vector()
    {
        var builder = new TransportCcFeedbackBuilder(1, 0x12345678);
        builder.OnPacketReceived(101, 1_001_000);
        builder.OnPacketReceived(100, 1_000_000);
        builder.OnPacketReceived(104, 1_002_000);
        builder.OnPacketReceived(103, 1_003_000);
        var buffer = new byte[1200];
        Assert.True(builder.TryWriteFeedback(buffer, out var written));
        Assert.Equal(TransportWideCcFeedbackTests.FivePackets, buffer[..written]);
        Assert.Equal(0, builder.PendingCount);
        Assert.Equal(1, builder.NextFeedbackPacketCount);
        Assert.False(builder.TryWriteFeedback(buffer, out _)); // nothing pending
    }

    [Fact]
    public void Unwraps_sequence_numbers_across_65535_even_when_reordered()
    {
        var builder = new TransportCcFeedbackBuilder(1);
        builder.OnPacketReceived(65534, 10_000);
        builder.OnPacketReceived(0, 12_000);      // arrives before 65535
        builder.OnPacketReceived(65535, 11_000);
        builder.OnPacketReceived(2, 13_000);
        var buffer = new byte[1200];
        Assert.True(builder.TryWriteFeedback(buffer, out var written));
        var statuses = Read(buffer.AsSpan(0, written), out _);
        Assert.Equal(
            [(65534, 10_000L), (65535, 11_000L), (0, 12_000L), (1, 0L), (2, 13_000L)],
            statuses.Select(s => ((int)s.SequenceNumber, s.ArrivalTimeMicros)));
        Assert.False(statuses[3].IsReceived);
    }

    [Fact]
    public void A_duplicate_keeps_its_first_arrival()
    {
        var builder = new TransportCcFeedbackBuilder(1);
        builder.OnPacketReceived(5, 2_000);
        builder.OnPacketReceived(5, 1_000);
        builder.OnPacketReceived(6, 3_000);
        var buffer = new byte[1200];
        Assert.True(builder.TryWriteFeedback(buffer, out var written));
        var statuses = Read(buffer.AsSpan(0, written), out _);
        Assert.Equal([1_000L, 3_000L], statuses.Select(s => s.ArrivalTimeMicros));
    }

    [Fact]
    public void Splits_a_backlog_across_feedback_packets_reporting_each_packet_once()
    {
        var builder = new TransportCcFeedbackBuilder(1, 2);
        var expected = new Dictionary<ushort, long>();
        var rng = new Random(3);
        var time = 50_000_000L;
        for (var i = 0; i < 3000; i++)
        {
            var sequence = (ushort)(64000 + i); // wraps through 0
            time += rng.Next(0, 3) == 0 ? 70_000 : 1_000; // some large deltas
            if (rng.Next(10) == 0)
            {
                continue; // lost
            }
            builder.OnPacketReceived(sequence, time);
            expected[sequence] = time;
        }
        var buffer = new byte[300];
        var seen = new Dictionary<ushort, long>();
        var feedbacks = 0;
        while (builder.PendingCount > 0)
        {
            Assert.True(builder.TryWriteFeedback(buffer, out var written));
            Assert.True(written <= 300);
            foreach (var status in Read(buffer.AsSpan(0, written), out var count))
            {
                Assert.Equal((byte)feedbacks, count);
                if (status.IsReceived)
                {
                    Assert.True(seen.TryAdd(status.SequenceNumber, status.ArrivalTimeMicros));
                }
            }
            feedbacks++;
        }
        Assert.True(feedbacks > 5);
        Assert.Equal(expected.Count, seen.Count);
        foreach (var (sequence, arrival) in expected)
        {
            // Arrival times survive to the 250 µs tick (these are whole milliseconds).
            Assert.Equal(arrival, seen[sequence]);
        }
    }

    [Fact]
    public void Refuses_a_destination_too_small_for_one_report_and_keeps_the_packets()
    {
        var builder = new TransportCcFeedbackBuilder(1);
        builder.OnPacketReceived(1, 0);
        Assert.False(builder.TryWriteFeedback(new byte[20], out _));
        Assert.Equal(1, builder.PendingCount);
        Assert.Equal(0, builder.NextFeedbackPacketCount);
        Assert.True(builder.TryWriteFeedback(new byte[24], out var written));
        Assert.Equal(24, written);
    }

    [Fact]
    public void Steady_state_allocates_nothing()
    {
        var builder = new TransportCcFeedbackBuilder(1, 2, initialCapacity: 64);
        var buffer = new byte[1200];
        ushort sequence = 0;
        var time = 0L;
        void Round()
        {
            for (var i = 0; i < 50; i++)
            {
                builder.OnPacketReceived(sequence++, time += 1_000);
            }
            while (builder.TryWriteFeedback(buffer, out _))
            {
            }
        }
        Round();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 2000; i++)
        {
            Round(); // 100,000 packets: wraps the sequence number
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
