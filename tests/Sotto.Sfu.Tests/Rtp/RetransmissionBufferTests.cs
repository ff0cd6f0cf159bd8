using Sotto.Sfu.Rtp;

namespace Sotto.Sfu.Tests.Rtp;

/// <summary>
/// The per-subscriber RTX history: packets stay answerable for the configured history and their
/// pooled buffers go back afterwards, so memory follows the packet rate rather than the ring size.
/// </summary>
public sealed class RetransmissionBufferTests
{
    private static readonly long Millisecond = TimeSpan.TicksPerMillisecond;

    private static void Send(RetransmissionBuffer buffer, ushort sequenceNumber, long nowTicks, byte fill = 0)
    {
        var slot = buffer.Reserve(sequenceNumber);
        slot[..100].Fill(fill == 0 ? (byte)sequenceNumber : fill);
        buffer.Commit(sequenceNumber, 100, 12, nowTicks);
    }

    [Fact]
    public void Packets_older_than_the_history_are_given_back_and_younger_ones_still_answer_a_nack()
    {
        var pool = new RetransmissionSlotPool();
        using var buffer = new RetransmissionBuffer(512, pool);
        for (ushort sequence = 0; sequence < 200; sequence++)
            Send(buffer, sequence, sequence * 10 * Millisecond); // 100 packets per second for 2 s
        Assert.Equal(200, pool.Held);

        var now = 1995 * Millisecond;
        buffer.Trim(now - 1000 * Millisecond); // keep what was sent in the last second: 100 (at 1000 ms) to 199
        Assert.Equal(100, pool.Held);
        Assert.Equal(100, buffer.HeldSlots);
        Assert.False(buffer.TryGet(99, out _, out _));
        Assert.True(buffer.TryGet(100, out var packet, out var payloadOffset));
        Assert.Equal(100, packet.Length);
        Assert.Equal(12, payloadOffset);
        Assert.Equal(100, packet[50]);

        // Control: a cutoff before everything gives nothing back.
        buffer.Trim(0);
        Assert.Equal(100, pool.Held);
    }

    [Fact]
    public void A_steady_stream_trimmed_every_200_ms_holds_about_one_second_of_packets_not_the_whole_ring()
    {
        var pool = new RetransmissionSlotPool();
        using var buffer = new RetransmissionBuffer(512, pool);
        long now = 0;
        ushort sequence = 60_000; // crosses the sequence-number wrap on the way
        long most = 0;
        for (int tick = 0; tick < 100; tick++) // 20 s, 20 packets per 200 ms tick = 100 packets/s
        {
            for (int i = 0; i < 20; i++)
            {
                now += 10 * Millisecond;
                Send(buffer, sequence++, now);
            }
            buffer.Trim(now - 1000 * Millisecond);
            most = Math.Max(most, pool.Held);
        }

        Assert.InRange(most, 100, 101);
        Assert.Equal(pool.Held, buffer.HeldSlots);
        Assert.True(buffer.TryGet((ushort)(sequence - 1), out _, out _));
        Assert.True(buffer.TryGet((ushort)(sequence - 101), out _, out _)); // sent exactly 1 s ago: kept
        Assert.False(buffer.TryGet((ushort)(sequence - 102), out _, out _));
    }

    [Fact]
    public void Without_trimming_the_ring_fills_to_its_capacity_positive_control_for_the_bound_above()
    {
        var pool = new RetransmissionSlotPool();
        using var buffer = new RetransmissionBuffer(512, pool);
        for (ushort sequence = 0; sequence < 2000; sequence++)
            Send(buffer, sequence, sequence * 10 * Millisecond);
        Assert.Equal(512, pool.Held);
    }

    [Fact]
    public void More_packets_than_the_ring_between_two_trims_and_gaps_in_the_sequence_leave_nothing_behind()
    {
        var pool = new RetransmissionSlotPool();
        var buffer = new RetransmissionBuffer(64, pool);
        for (ushort sequence = 0; sequence < 300; sequence++)
        {
            if (sequence % 7 == 3)
                continue; // never sent (a duplicate skipped, a layer switch): no slot for it
            Send(buffer, sequence, 0);
        }
        _ = buffer.Reserve(300); // reserved, then the packet was refused: an empty slot with a buffer
        Assert.Equal(64, pool.Held);

        buffer.Trim(long.MaxValue); // everything has expired
        Assert.Equal(0, pool.Held);
        Assert.Equal(0, buffer.HeldSlots);

        // The next packet starts afresh, and Dispose returns what is left.
        Send(buffer, 301, 0);
        Assert.True(buffer.TryGet(301, out _, out _));
        Assert.Equal(1, pool.Held);
        buffer.Dispose();
        Assert.Equal(0, pool.Held);
    }

    [Fact]
    public void Trimmed_buffers_are_reused_by_the_next_packets_so_steady_forwarding_allocates_nothing_and_a_stopped_stream_lets_them_go()
    {
        var pool = new RetransmissionSlotPool();
        var streams = new RetransmissionBuffer[8];
        for (var i = 0; i < streams.Length; i++)
            streams[i] = new RetransmissionBuffer(512, pool);
        long now = 0;
        ushort sequence = 0;
        void RunFor(int ticks) // 200 ms ticks; every stream sends 100 packets per second
        {
            for (var tick = 0; tick < ticks; tick++)
            {
                for (var i = 0; i < 20; i++)
                {
                    now += 10 * Millisecond;
                    foreach (var stream in streams)
                        Send(stream, sequence, now);
                    sequence++;
                }
                foreach (var stream in streams)
                    stream.Trim(now - 1000 * Millisecond);
                pool.Settle();
            }
        }

        // Control for the allocation measurement: filling the histories takes new buffers.
        var before = GC.GetAllocatedBytesForCurrentThread();
        RunFor(10);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before > 0, "filling the histories allocated nothing: the measurement sees nothing");

        before = GC.GetAllocatedBytesForCurrentThread();
        RunFor(25); // 5 s more: every packet reuses a buffer a trim gave back
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.InRange(pool.Held, 8 * 100, 8 * 101);
        Assert.InRange(pool.Spare, 1, 8 * 21);

        // The stream stops: everything expires, and two passes later no spare is kept either.
        foreach (var stream in streams)
            stream.Trim(long.MaxValue);
        pool.Settle();
        pool.Settle();
        Assert.Equal(0, pool.Held);
        Assert.Equal(0, pool.Spare);
    }
}
