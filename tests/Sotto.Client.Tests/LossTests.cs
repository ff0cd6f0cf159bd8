using Sotto.Sfu;
using Sotto.Sfu.Stages;

namespace Sotto.Client.Tests;

/// <summary>Drops every 10th new video packet on one hop (a test-only SFU stage: the kernel here has no netem).</summary>
internal sealed class EveryTenthVideoPacket(bool upstream) : IMediaPathStage
{
    private int _seen;

    public int Dropped;

    public bool OnPacketFromPublisher(scoped in MediaPathPacket packet) => !upstream || Keep(packet);

    public bool OnPacketToSubscriber(scoped in MediaPathPacket packet) => upstream || Keep(packet);

    private bool Keep(scoped in MediaPathPacket packet)
    {
        if (packet.Kind != MediaKind.Video || packet.IsRetransmission || Interlocked.Increment(ref _seen) % 10 != 0)
            return true;
        Interlocked.Increment(ref Dropped);
        return false;
    }
}

/// <summary>The headless participant repairs loss as a well-behaved endpoint: RTX answers to the SFU's NACKs, and NACKs of its own.</summary>
public sealed class LossTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Lost_video_packets_are_repaired_by_NACK_and_RTX(bool upstream)
    {
        var loss = new EveryTenthVideoPacket(upstream);
        await using var server = await TestServer.StartAsync(stages: [loss]);
        string link = server.NewRoomLink();
        await using var alice = await HeadlessParticipant.JoinAsync(link);
        await using var bob = await HeadlessParticipant.JoinAsync(link);
        await Eventually.TrueAsync(() => alice.PeerStatus(bob.Id) == "established", "established");
        await alice.PublishAsync([Fixtures.Video()]);

        await Eventually.TrueAsync(() => bob.RemoteTracks.Any(t => t.FramesValid >= 45), "bob decrypts 45 frames despite the loss");
        Assert.True(loss.Dropped > 0);
        RemoteTrackStats camera = bob.RemoteTracks.Single();
        if (upstream)
        {
            // The SFU saw the gaps and NACKed alice, who answered with RTX (RFC 4588) from her history.
            await Eventually.TrueAsync(() => alice.RetransmissionsSent > 0, "alice answers the SFU's NACKs with RTX");
        }
        else
        {
            // Bob saw the gaps, NACKed the SFU, and got RTX back, which completed the frames.
            await Eventually.TrueAsync(() => bob.RtcpSent.Nacks > 0 && bob.RemoteTracks.Single().RetransmissionsReceived > 0, "bob NACKs and receives RTX");
        }
        Assert.Equal(camera.FramesDecrypted, camera.FramesValid);
        // Frames that reach bob before alice's key can only be UnknownKid; a frame put together wrongly
        // from repaired packets would be AuthFailed or Malformed, one delivered twice Replay.
        Assert.Contains(camera.LastDropReason, new[] { "None", "UnknownKid" });
    }
}
