using Sotto.Sfu.Adaptation;
using Sotto.Sfu.Adaptation.Allocation;

namespace Sotto.Sfu.Tests.Adaptation;

/// <summary>Allocation tables: estimate and tile sizes in, chosen layers out (docs/media.md "Allocation").</summary>
public sealed class BandwidthAllocatorTests
{
    /// <summary>A 960x540 camera in three rid layers, L1T3 (measured shares on this machine, rounded): q 240x135, h 480x270, f 960x540.</summary>
    private static readonly AllocationLayer[] Camera =
    [
        Layer(0, 0, 60_000, 135), Layer(0, 1, 90_000, 135), Layer(0, 2, 120_000, 135),
        Layer(1, 0, 200_000, 270), Layer(1, 1, 300_000, 270), Layer(1, 2, 400_000, 270),
        Layer(2, 0, 700_000, 540), Layer(2, 1, 1_000_000, 540), Layer(2, 2, 1_400_000, 540),
    ];

    private static AllocationLayer Layer(int spatial, int temporal, long bits, int height) => new(new VideoLayer(spatial, temporal), bits, height);

    [Theory]
    // estimate, tile height (0 = not reported, -1 = hidden) → chosen layer
    [InlineData(10_000_000, 0, "S2T2")]     // plenty, size unknown: the top
    [InlineData(10_000_000, 540, "S2T2")]
    [InlineData(10_000_000, 270, "S1T2")]   // a 270-pixel tile gains nothing from 540 lines
    [InlineData(10_000_000, 180, "S1T2")]   // the lowest layer at least as tall (with 10 % slack)
    [InlineData(10_000_000, 120, "S0T2")]   // a thumbnail
    [InlineData(10_000_000, -1, "none")]    // hidden: nothing
    [InlineData(1_100_000, 540, "S2T1")]    // temporal layers as finer steps
    [InlineData(800_000, 540, "S2T0")]
    [InlineData(500_000, 540, "S1T2")]
    [InlineData(250_000, 540, "S1T0")]
    [InlineData(100_000, 540, "S0T1")]
    [InlineData(50_000, 540, "none")]       // below the lowest layer: paused
    public void One_camera(long estimate, int tileHeight, string expected)
    {
        var view = tileHeight < 0 ? TrackView.HiddenView : new TrackView(tileHeight * 16 / 9, tileHeight, false);
        var track = new AllocationTrack(AllocationPriority.Tile, 1, Camera, BandwidthAllocator.IdealIndex(Camera, view, wanted: true));
        BandwidthAllocator.Allocate(estimate, [track]);
        Assert.Equal(expected, track.Chosen.ToString());
        Assert.Equal(estimate < 60_000 && tileHeight >= 0, track.IsSuspended);
    }

    [Theory]
    // estimate → speaker (large tile), screen share, big tile, thumbnail
    [InlineData(10_000_000, "S2T2", "S2T2", "S2T2", "S0T2")]
    // Everyone first gets the cheapest layer (240 kbit/s for four); the rest goes in priority order.
    [InlineData(2_000_000, "S2T2", "S1T2", "S0T2", "S0T0")]      // featured first: speaker to its ideal, the screen as far as it goes
    [InlineData(800_000, "S1T2", "S1T0", "S0T2", "S0T0")]
    [InlineData(200_000, "S0T0", "S0T0", "S0T0", "none")]      // the thumbnail is the first to go
    [InlineData(100_000, "S0T1", "none", "none", "none")]      // only the dominant speaker, a finer temporal step with the rest
    public void Four_tracks_by_priority(long estimate, string speaker, string screen, string bigTile, string thumbnail)
    {
        var tracks = new List<AllocationTrack>
        {
            new(AllocationPriority.Tile, 200 * 120, Camera, BandwidthAllocator.IdealIndex(Camera, new TrackView(213, 120, false), true)),
            new(AllocationPriority.Tile, 960 * 540, Camera, BandwidthAllocator.IdealIndex(Camera, new TrackView(960, 540, false), true)),
            new(AllocationPriority.Featured, long.MaxValue, Camera, BandwidthAllocator.IdealIndex(Camera, TrackView.Unknown, true)),
            new(AllocationPriority.Featured, 1280 * 720, Camera, BandwidthAllocator.IdealIndex(Camera, new TrackView(1280, 720, false), true)),
        };
        var (thumbnailTrack, bigTrack, speakerTrack, screenTrack) = (tracks[0], tracks[1], tracks[2], tracks[3]);
        var used = BandwidthAllocator.Allocate(estimate, tracks);
        Assert.True(used <= estimate);
        Assert.Equal([speaker, screen, bigTile, thumbnail], new[] { speakerTrack, screenTrack, bigTrack, thumbnailTrack }.Select(t => t.Chosen.ToString()));
    }

    [Fact]
    public void A_track_nobody_wants_gets_nothing_even_with_bandwidth_to_spare()
    {
        var notInLastN = new AllocationTrack(AllocationPriority.Tile, 1, Camera, BandwidthAllocator.IdealIndex(Camera, TrackView.Unknown, wanted: false));
        var wanted = new AllocationTrack(AllocationPriority.Tile, 1, Camera, BandwidthAllocator.IdealIndex(Camera, TrackView.Unknown, wanted: true));
        BandwidthAllocator.Allocate(100_000_000, [notInLastN, wanted]);
        Assert.Equal(VideoLayer.None, notInLastN.Chosen);
        Assert.False(notInLastN.IsSuspended); // not wanted is not "low bandwidth"
        Assert.Equal("S2T2", wanted.Chosen.ToString()); // positive control
    }

    [Fact]
    public void Layers_whose_size_is_not_known_yet_lead_to_the_top()
    {
        AllocationLayer[] unmeasured = [Layer(0, 0, 30_000, 0), Layer(1, 0, 30_000, 0)];
        Assert.Equal(1, BandwidthAllocator.IdealIndex(unmeasured, new TrackView(320, 180, false), true));
    }

    [Fact]
    public void Delivered_throughput_without_loss_keeps_the_lowest_layers_but_not_the_upper_ones()
    {
        AllocationTrack Track() => new(AllocationPriority.Tile, 1, Camera, BandwidthAllocator.IdealIndex(Camera, TrackView.Unknown, true));
        // The estimate dipped (queueing delay) to 100 kbit/s, but 200 kbit/s arrive without loss.
        var kept = new List<AllocationTrack> { Track(), Track(), Track() };
        BandwidthAllocator.Allocate(100_000, kept, minimumBudgetBitsPerSecond: 200_000);
        Assert.All(kept, t => Assert.Equal("S0T0", t.Chosen.ToString()));
        // Positive control: on the estimate alone, one of them pauses.
        var paused = new List<AllocationTrack> { Track(), Track(), Track() };
        BandwidthAllocator.Allocate(100_000, paused);
        Assert.Equal(2, paused.Count(t => t.IsSuspended));
    }

    [Theory]
    // On S1T2 (400 kbit/s); S2T0 costs 300 more: it needs 345 kbit/s of room to go up, not 300.
    [InlineData(700_000, "S1T2")]
    [InlineData(744_000, "S1T2")]
    [InlineData(746_000, "S2T0")]
    // Going down needs no headroom.
    [InlineData(399_000, "S1T1")]
    public void Going_up_from_the_current_layer_needs_headroom(long estimate, string expected)
    {
        var track = new AllocationTrack(AllocationPriority.Tile, 1, Camera, Camera.Length - 1) { CurrentIndex = 5 };
        BandwidthAllocator.Allocate(estimate, [track]);
        Assert.Equal(expected, track.Chosen.ToString());
    }
}
