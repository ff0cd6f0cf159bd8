using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Sotto.Rooms;
using Sotto.Server.Media;
using Sotto.Server.Tests.Infrastructure;
using Sotto.Sfu;
using Xunit.Abstractions;

namespace Sotto.Server.Tests.Media;

/// <summary>
/// Rooms with real media come and go through the real server; when a room empties, everything it held is
/// released: its router (and the router's RTCP timer), transports, the UDP port's ufrag and address
/// entries, pooled retransmission buffers, media sessions and the room itself.
/// </summary>
public sealed class RoomTeardownTests(ITestOutputHelper output)
{
    private const int Rooms = 8;
    // Above the retransmission cache (512 packets per subscriber video stream): every room fills its cache.
    private const int PacketsPerRoom = 600;

    [Fact]
    public async Task Rooms_with_media_that_come_and_go_leave_nothing_behind_and_their_routers_are_collectable()
    {
        // A long retransmission history, so every room still holds its buffers while it is checked: this
        // test is about what teardown gives back (the history's own trimming has a test below).
        await using var server = await RunningServer.StartAsync(LongHistory);
        var sfu = server.Services.GetRequiredService<SfuHost>();
        var sessions = server.Services.GetRequiredService<MediaSessions>();
        Assert.Equal(Footprint.Empty, Measure(server, sfu, sessions));

        // A room that stays throughout: the control that these counters and the collectability check see a live room.
        await using var steady = await MediaPair.StartAsync(server, "steady-willow-cobalt-harbor-3");
        steady.SendCameraBurst(PacketsPerRoom);
        await steady.ExpectMediaAsync();
        var steadyRouter = WeakRouter(sfu, except: null);
        var steadyRoom = WeakRoom(server, "steady-willow-cobalt-harbor-3");
        var live = Measure(server, sfu, sessions);
        Assert.Equal(1, live.Routers);
        Assert.Equal(1, live.Rooms);
        Assert.Equal(2, live.Sessions);
        Assert.Equal(2, live.Ufrags); // the publisher's publish transport, the subscriber's subscribe transport
        Assert.True(live.BoundAddresses >= 2, $"bound addresses: {live.BoundAddresses}");
        Assert.True(live.Buffers > 0, "the steady room holds no retransmission buffers: the burst did not arrive");
        var heapBefore = ManagedHeapAfterFullCollection();

        var ended = new List<WeakReference>();
        for (var i = 0; i < Rooms; i++)
        {
            var room = $"passing-room-{i}-amber-fjord-lantern";
            var pair = await MediaPair.StartAsync(server, room);
            pair.SendCameraBurst(PacketsPerRoom);
            await pair.ExpectMediaAsync();
            ended.Add(WeakRouter(sfu, except: steadyRouter));
            ended.Add(WeakRoom(server, room));
            var during = Measure(server, sfu, sessions);
            Assert.Equal((2, 2, 4, 4), (during.Routers, during.Rooms, during.Sessions, during.Ufrags));
            Assert.True(during.Buffers > live.Buffers, "the passing room holds no retransmission buffers");
            await pair.LeaveAsync();
        }

        // Back to exactly the steady room: nothing of the eight rooms is left in any table.
        await WaitUntil(() => Measure(server, sfu, sessions) == live, () => $"expected {live}, have {Measure(server, sfu, sessions)}");
        await WaitUntilCollected(ended);
        Assert.True(steadyRouter.IsAlive && steadyRoom.IsAlive, "the live room was collected: the collectability check proves nothing");
        var heapAfter = ManagedHeapAfterFullCollection();
        output.WriteLine($"managed heap after a full collection: {heapBefore / 1024} KiB with the steady room, {heapAfter / 1024} KiB after {Rooms} more rooms of {PacketsPerRoom} packets came and went");

        await steady.LeaveAsync();
        await WaitUntil(() => Measure(server, sfu, sessions) == Footprint.Empty, () => $"expected nothing, have {Measure(server, sfu, sessions)}");
        await WaitUntilCollected([steadyRouter, steadyRoom]);
    }

    [Fact]
    public async Task A_live_room_gives_its_retransmission_buffers_back_once_they_are_older_than_the_history()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:Media:RetransmissionHistory"] = "00:00:00.300" });
        var sfu = server.Services.GetRequiredService<SfuHost>();
        await using var pair = await MediaPair.StartAsync(server, "short-memory-heron-basalt-7");
        pair.SendCameraBurst(PacketsPerRoom);
        await pair.ExpectMediaAsync();
        await WaitUntil(() => sfu.GetMetrics().BuffersHeld == 0, () => $"buffers still held: {sfu.GetMetrics().BuffersHeld}");
        Assert.Single(sfu.Routers); // the room is alive: trimming, not teardown, gave them back

        // Positive control: with the long history the same burst's buffers are still held after the same kind of wait.
        await using var control = await RunningServer.StartAsync(LongHistory);
        var controlSfu = control.Services.GetRequiredService<SfuHost>();
        await using var controlPair = await MediaPair.StartAsync(control, "long-memory-heron-basalt-7");
        controlPair.SendCameraBurst(PacketsPerRoom);
        await controlPair.ExpectMediaAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.True(controlSfu.GetMetrics().BuffersHeld > 0, "the control room holds no buffers: the burst did not arrive");
    }

    private static readonly Dictionary<string, string?> LongHistory = new() { ["Sotto:Media:RetransmissionHistory"] = "00:00:10" };

    private readonly record struct Footprint(int Routers, int Rooms, int Seats, int ResumeTokens, int Sessions, int Ufrags, int BoundAddresses, long Buffers, int Transports)
    {
        public static Footprint Empty => default;
    }

    private static Footprint Measure(RunningServer server, SfuHost sfu, MediaSessions sessions)
    {
        var metrics = sfu.GetMetrics();
        return new Footprint(
            sfu.Routers.Count, server.Rooms.RoomCount, server.Rooms.ParticipantCount, server.Rooms.ResumeTokenCount, sessions.Count,
            sfu.Mux.RegisteredUfragCount, sfu.Mux.BoundAddressCount, metrics.BuffersHeld, metrics.Transports);
    }

    /// <summary>A weak reference to the one router other than <paramref name="except"/>; no strong reference survives this frame.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WeakRouter(SfuHost sfu, WeakReference? except) =>
        new(Assert.Single(sfu.Routers, r => except is null || !ReferenceEquals(r, except.Target)));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WeakRoom(RunningServer server, string name)
    {
        Assert.True(RoomKey.TryParse(name, out var key));
        Assert.True(server.Rooms.TryFind(key, out var room));
        return new(room);
    }

    private static long ManagedHeapAfterFullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task WaitUntilCollected(IReadOnlyCollection<WeakReference> objects)
    {
        await WaitUntil(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return objects.All(o => !o.IsAlive);
        }, () => $"{objects.Count(o => o.IsAlive)} of {objects.Count} ended routers and rooms are still reachable");
    }

    private static async Task WaitUntil(Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + SignalingClient.DefaultTimeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, describe());
            await Task.Delay(50);
        }
    }
}
