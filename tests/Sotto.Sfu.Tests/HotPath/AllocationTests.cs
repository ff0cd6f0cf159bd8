using Sotto.Sfu.Tests.Support;

namespace Sotto.Sfu.Tests.HotPath;

/// <summary>
/// The forwarding path allocates nothing per packet (issue 4 §6): parse, transport-cc arrival,
/// routing, statistics, NACK tracking, VP8 descriptor, fan-out to two subscribers with rewriting,
/// retransmission cache, SRTP protect and sendto — measured on the calling thread over 10,000
/// packets after a warm-up that fills the pools and grows the feedback tables.
/// </summary>
public sealed class AllocationTests
{
    private const int Packets = 10_000;

    [Fact]
    public async Task Forwarding_ten_thousand_packets_to_two_subscribers_allocates_nothing()
    {
        // The RTCP timer is driven by hand so the measured thread is the only one in the router.
        await using var call = await Call.StartAsync([], o =>
        {
            o.FeedbackInterval = TimeSpan.FromHours(1);
            o.ReportInterval = TimeSpan.FromHours(1);
        });
        var packets = new byte[2 * Packets][];
        for (var i = 0; i < packets.Length; i++)
        {
            var seq = (ushort)i;
            packets[i] = MediaPackets.Vp8(0x5151, seq, (uint)(i / 3 * 3000), "1", null, (ushort)(i / 3), (byte)(i / 9), keyFrame: i == 0, (ushort)i, 1, firstOfFrame: i % 3 == 0, marker: i % 3 == 2);
        }
        var router = call.Router;
        var publisher = call.Publisher.Media;

        for (var i = 0; i < Packets; i++)
            router.OnPublisherRtp(publisher, packets[i]);
        router.OnTick(); // drains transport-cc feedback and sends reports, as the timer would
        var forwardedBefore = router.Counters.PacketsForwarded;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = Packets; i < 2 * Packets; i++)
            router.OnPublisherRtp(publisher, packets[i]);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Positive control: every packet really went out to both subscribers.
        Assert.Equal(2 * Packets, router.Counters.PacketsForwarded - forwardedBefore);
        Assert.Equal(0, allocated);
    }
}
