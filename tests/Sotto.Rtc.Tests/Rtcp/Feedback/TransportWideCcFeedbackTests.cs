using Sotto.Rtc.Rtcp;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp.Feedback;

public sealed class TransportWideCcFeedbackTests
{
    /// <summary>
    /// Five packets, hand-computed from draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1:
    /// seq 100 at 1,000,000 µs, 101 at 1,001,000, 102 lost, 103 at 1,003,000, 104 at 1,002,000
    /// (reordered: a negative delta). Reference time = floor(1 s / 64 ms) = 15 (960 ms).
    /// </summary>
    internal static readonly byte[] FivePackets = Hex(
        "8f cd 00 06", // V=2 P=0 FMT=15 PT=205 len=6
        "00 00 00 01", // SSRC of packet sender
        "12 34 56 78", // SSRC of media source
        "00 64 00 05", // base sequence number 100, packet status count 5
        "00 00 0f 00", // reference time 15, fb pkt count 0
        "d4 60 a0 04", // 2-bit vector: 01 01 00 01 10 (00 00); deltas: 160 ticks (40 ms), 4 ticks (1 ms)
        "08 ff fc 00"); // deltas: 8 ticks (2 ms), -4 ticks as large (-1 ms); zero padding

    internal static readonly TransportCcArrival[] FiveArrivals =
    [
        new(100, 1_000_000),
        new(101, 1_001_000),
        new(103, 1_003_000),
        new(104, 1_002_000),
    ];

    [Fact]
    public void Writes_the_hand_computed_vector()
    {
        var buffer = new byte[64];
        Assert.True(TransportWideCcFeedback.TryWrite(buffer, 1, 0x12345678, 0, FiveArrivals, out var written, out var consumed));
        Assert.Equal(4, consumed);
        Assert.Equal(FivePackets, buffer[..written]);
    }

    [Fact]
    public void Parses_the_hand_computed_vector()
    {
        Assert.True(TransportWideCcFeedback.TryParse(FivePackets, out var feedback));
        Assert.Equal(1u, feedback.SenderSsrc);
        Assert.Equal(0x12345678u, feedback.MediaSsrc);
        Assert.Equal(100, feedback.BaseSequenceNumber);
        Assert.Equal(5, feedback.PacketStatusCount);
        Assert.Equal(15, feedback.ReferenceTime);
        Assert.Equal(960_000, feedback.ReferenceTimeMicros);
        Assert.Equal(0, feedback.FeedbackPacketCount);
        Assert.Equal(1, feedback.ChunkCount);
        Assert.Equal(4, feedback.CountReceived());

        var statuses = new List<TransportCcPacketStatus>();
        foreach (var status in feedback)
        {
            statuses.Add(status);
        }
        Assert.Equal(
            [
                new(100, TransportCcStatusSymbol.ReceivedSmallDelta, 160, 1_000_000),
                new(101, TransportCcStatusSymbol.ReceivedSmallDelta, 4, 1_001_000),
                new(102, TransportCcStatusSymbol.NotReceived, 0, 0),
                new(103, TransportCcStatusSymbol.ReceivedSmallDelta, 8, 1_003_000),
                new(104, TransportCcStatusSymbol.ReceivedLargeDelta, -4, 1_002_000),
            ],
            statuses);
        Assert.Equal(-1000, statuses[4].DeltaMicros);
    }

    [Fact]
    public void Parses_libwebrtc_style_padding_with_the_p_bit()
    {
        // libwebrtc pads with P=1 and the count in the last octet instead of zero padding.
        var padded = Copy(FivePackets);
        padded[0] |= 0x20;
        padded[^1] = 1;
        Assert.True(TransportWideCcFeedback.TryParse(padded, out var feedback));
        Assert.Equal(4, feedback.CountReceived());
        var rewritten = new byte[feedback.GetSerializedLength()];
        Assert.True(feedback.TryWrite(rewritten, out _));
        Assert.Equal(FivePackets, rewritten);
    }

    [Fact]
    public void Round_trips_a_parsed_feedback_without_aliasing()
    {
        var source = Copy(FivePackets);
        Assert.True(TransportWideCcFeedback.TryParse(source, out var feedback));
        var written = new byte[feedback.GetSerializedLength()];
        Assert.True(feedback.TryWrite(written, out var n));
        Scribble(source);
        Assert.Equal(FivePackets.Length, n);
        Assert.Equal(FivePackets, written);
    }

    [Fact]
    public void Empty_feedback_parses_as_zero_packets()
    {
        var empty = Hex(
            "8f cd 00 04", // V=2 P=0 FMT=15 PT=205 len=4
            "00 00 00 01", "00 00 00 02",
            "00 07 00 00", // base 7, status count 0
            "ff ff ff 09"); // reference time -1 (sign-extended), fb pkt count 9
        Assert.True(TransportWideCcFeedback.TryParse(empty, out var feedback));
        Assert.Equal(0, feedback.PacketStatusCount);
        Assert.Equal(-1, feedback.ReferenceTime);
        Assert.Equal(9, feedback.FeedbackPacketCount);
        Assert.Equal(0, feedback.ChunkCount);
        foreach (var status in feedback)
        {
            Assert.Fail($"unexpected {status}");
        }
        Assert.False(TransportWideCcFeedback.TryWrite(new byte[64], 1, 2, 0, [], out _, out _));
    }

    [Fact]
    public void Large_deltas_use_two_octets_and_survive_the_round_trip()
    {
        TransportCcArrival[] arrivals =
        [
            new(1, 10_000_000),
            new(2, 10_000_000 + 64_000),     // 256 ticks: one past the small range
            new(3, 10_000_000 + 64_000),     // 0 ticks: small
            new(4, 10_000_000 - 8_000_000),  // 8.064 s before #3: -32256 ticks, large negative
            new(5, 10_000_000 + 191_750),    // +8.19175 s after #4 = 32767 ticks: largest large
        ];
        var buffer = new byte[128];
        Assert.True(TransportWideCcFeedback.TryWrite(buffer, 9, 9, 3, arrivals, out var written, out var consumed));
        Assert.Equal(5, consumed);
        Assert.True(TransportWideCcFeedback.TryParse(buffer.AsSpan(0, written), out var feedback));
        var symbols = new List<TransportCcStatusSymbol>();
        var index = 0;
        foreach (var status in feedback)
        {
            Assert.Equal(arrivals[index].SequenceNumber, status.SequenceNumber);
            Assert.Equal(arrivals[index].ArrivalTimeMicros, status.ArrivalTimeMicros);
            symbols.Add(status.Symbol);
            index++;
        }
        Assert.Equal(5, index);
        Assert.Equal(
            [TransportCcStatusSymbol.ReceivedSmallDelta, TransportCcStatusSymbol.ReceivedLargeDelta, TransportCcStatusSymbol.ReceivedSmallDelta,
             TransportCcStatusSymbol.ReceivedLargeDelta, TransportCcStatusSymbol.ReceivedLargeDelta],
            symbols);
    }

    [Fact]
    public void A_delta_beyond_16_bits_ends_the_packet_and_the_rest_goes_in_the_next()
    {
        TransportCcArrival[] arrivals = [new(1, 0), new(2, 1_000), new(3, 1_000 + 8_192_000), new(4, 8_194_000)];
        var buffer = new byte[128];
        Assert.True(TransportWideCcFeedback.TryWrite(buffer, 1, 2, 0, arrivals, out var written, out var consumed));
        Assert.Equal(2, consumed); // 32768 ticks after #2 does not fit a signed 16-bit delta
        Assert.True(TransportWideCcFeedback.TryParse(buffer.AsSpan(0, written), out var first));
        Assert.Equal(2, first.PacketStatusCount);

        Assert.True(TransportWideCcFeedback.TryWrite(buffer, 1, 2, 1, arrivals.AsSpan(consumed), out written, out consumed));
        Assert.Equal(2, consumed);
        Assert.True(TransportWideCcFeedback.TryParse(buffer.AsSpan(0, written), out var second));
        Assert.Equal(3, second.BaseSequenceNumber);
        var arrivalsSeen = new List<long>();
        foreach (var status in second)
        {
            arrivalsSeen.Add(status.ArrivalTimeMicros);
        }
        Assert.Equal([8_193_000, 8_194_000], arrivalsSeen);
    }

    [Fact]
    public void Sequence_numbers_wrap_through_zero()
    {
        TransportCcArrival[] arrivals = [new(65533, 5_000), new(65535, 6_000), new(0, 7_000), new(2, 8_000)];
        var buffer = new byte[128];
        Assert.True(TransportWideCcFeedback.TryWrite(buffer, 1, 2, 0, arrivals, out var written, out var consumed));
        Assert.Equal(4, consumed);
        Assert.True(TransportWideCcFeedback.TryParse(buffer.AsSpan(0, written), out var feedback));
        Assert.Equal(65533, feedback.BaseSequenceNumber);
        Assert.Equal(6, feedback.PacketStatusCount);
        var seen = new List<(ushort, bool)>();
        foreach (var status in feedback)
        {
            seen.Add((status.SequenceNumber, status.IsReceived));
        }
        Assert.Equal([(65533, true), (65534, false), (65535, true), (0, true), (1, false), (2, true)], seen);
    }

    [Fact]
    public void Many_packets_with_long_gaps_use_run_length_chunks()
    {
        // 1000 received, a gap of 20000 lost (three run length chunks of at most 8191), 1000 received.
        var arrivals = new List<TransportCcArrival>();
        for (var i = 0; i < 1000; i++)
        {
            arrivals.Add(new TransportCcArrival((ushort)(60000 + i), 1_000_000 + (i * 1000)));
        }
        for (var i = 0; i < 1000; i++)
        {
            arrivals.Add(new TransportCcArrival((ushort)(60000 + 21000 + i), 3_000_000 + (i * 1000)));
        }
        var buffer = new byte[8192];
        Assert.True(TransportWideCcFeedback.TryWrite(buffer, 1, 2, 0, arrivals.ToArray(), out var written, out var consumed));
        Assert.Equal(2000, consumed);
        Assert.True(TransportWideCcFeedback.TryParse(buffer.AsSpan(0, written), out var feedback));
        Assert.Equal(22000, feedback.PacketStatusCount);
        Assert.Equal(2000, feedback.CountReceived());
        // A run of 1000 small deltas, 20000 lost as runs of 8191 + 8191 + 3618, then the 1 s jump is a
        // large delta: a two-bit vector takes it with the next 6, and a run takes the remaining 993.
        Assert.Equal(1 + 3 + 1 + 1, feedback.ChunkCount);
        var index = 0;
        foreach (var status in feedback)
        {
            if (status.IsReceived)
            {
                Assert.Equal(arrivals[index].SequenceNumber, status.SequenceNumber);
                Assert.Equal(arrivals[index].ArrivalTimeMicros, status.ArrivalTimeMicros);
                index++;
            }
        }
        Assert.Equal(2000, index);
    }

    [Fact]
    public void Stops_at_the_buffer_size_and_reports_how_many_fit()
    {
        var arrivals = Enumerable.Range(0, 500).Select(i => new TransportCcArrival((ushort)i, i * 3_000L)).ToArray();
        var buffer = new byte[100];
        Assert.True(TransportWideCcFeedback.TryWrite(buffer, 1, 2, 0, arrivals, out var written, out var consumed));
        Assert.InRange(consumed, 1, 499);
        Assert.True(written <= 100);
        Assert.True(TransportWideCcFeedback.TryParse(buffer.AsSpan(0, written), out var feedback));
        Assert.Equal(consumed, feedback.CountReceived());
        // One more packet would not have fit.
        var bigger = new byte[1000];
        Assert.True(TransportWideCcFeedback.TryWrite(bigger, 1, 2, 0, arrivals.AsSpan(0, consumed + 1), out var longer, out _));
        Assert.True(longer > 100);
        // Not even the header and one report: refuse.
        Assert.False(TransportWideCcFeedback.TryWrite(new byte[23], 1, 2, 0, arrivals, out _, out _));
    }

    [Fact]
    public void Stops_at_an_arrival_that_is_not_newer()
    {
        TransportCcArrival[] arrivals = [new(10, 0), new(11, 1000), new(11, 2000), new(12, 3000)];
        var buffer = new byte[128];
        Assert.True(TransportWideCcFeedback.TryWrite(buffer, 1, 2, 0, arrivals, out _, out var consumed));
        Assert.Equal(2, consumed);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "receive deltas missing", "8f cd 00 05 00 00 00 01 00 00 00 02 00 01 00 0f 00 00 00 00 20 0f 00 00" }, // run of 15 small but 15 deltas missing
        { "reserved symbol", "8f cd 00 05 00 00 00 01 00 00 00 02 00 01 00 01 00 00 00 00 60 01 00 00" },
        { "reserved in a two-bit vector", "8f cd 00 05 00 00 00 01 00 00 00 02 00 01 00 01 00 00 00 00 f0 00 00 00" },
        { "no chunk for a nonzero count", "8f cd 00 04 00 00 00 01 00 00 00 02 00 01 00 01 00 00 00 00" },
        { "more than three octets after the deltas", "8f cd 00 06 00 00 00 01 00 00 00 02 00 01 00 01 00 00 00 00 20 01 05 00 00 00 00 00" },
        { "feedback header cut short", "8f cd 00 03 00 00 00 01 00 00 00 02 00 01 00 01" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Refuses_malformed_feedback(string what, string hex)
    {
        Assert.False(TransportWideCcFeedback.TryParse(Hex(hex), out _), what);
    }

    [Fact]
    public void Positive_control_for_the_malformed_cases()
    {
        // One packet, run length chunk of 1 small delta, delta 5, two octets of zero padding.
        Assert.True(TransportWideCcFeedback.TryParse(Hex("8f cd 00 05 00 00 00 01 00 00 00 02 00 01 00 01 00 00 00 00 20 01 05 00"), out var feedback));
        Assert.Equal(1, feedback.CountReceived());
    }
}
