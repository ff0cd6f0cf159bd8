using System.Buffers.Binary;
using Sotto.Rtc.Rtcp;
using Sotto.Rtc.Rtp;
using Sotto.Sfu.Tests.Support;

namespace Sotto.Sfu.Tests.Stages;

public sealed class StageTests
{
    [Fact]
    public async Task Tap_sees_every_forwarded_frame_as_ciphertext_and_flags_a_plaintext_frame()
    {
        var tap = new CiphertextTap();
        await using var call = await Call.StartAsync(["q", "h"], stages: [tap]);
        ushort seq = 1;
        for (var frame = 0; frame < 10; frame++)
        {
            // Two packets per frame: the first with prefix + SFrame header, then ciphertext.
            call.Send(MediaPackets.Vp8(0x7777, seq++, (uint)frame * 3000, "1", "h", (ushort)frame, 0, keyFrame: frame == 0, call.NextTransportSeq(), 1, marker: false));
            call.Send(MediaPackets.Vp8(0x7777, seq++, (uint)frame * 3000, "1", "h", (ushort)frame, 0, keyFrame: false, call.NextTransportSeq(), 1, firstOfFrame: false));
            call.Send(MediaPackets.Opus(0x8888, (ushort)frame, (uint)frame * 960, call.NextTransportSeq(), 1));
        }
        await TestParticipant.WaitUntil(() => tap.FramesDownstream == 40);
        Assert.Equal(20, tap.FramesUpstream);
        Assert.Equal(0, tap.Violations);

        // Positive control: a plaintext frame is flagged, upstream and at each subscriber.
        call.Send(MediaPackets.Vp8(0x7777, seq++, 30_000, "1", "h", 10, 0, keyFrame: false, call.NextTransportSeq(), 1, plaintext: true));
        await TestParticipant.WaitUntil(() => tap.Violations == 3);

        // And a frame encrypted under another participant's KID is flagged too.
        call.Send(MediaPackets.Vp8(0x7777, seq, 33_000, "1", "h", 11, 0, keyFrame: false, call.NextTransportSeq(), slot: 9));
        await TestParticipant.WaitUntil(() => tap.Violations == 6);
    }

    [Fact]
    public void Sframe_header_check_accepts_the_spec_example_and_rejects_others()
    {
        // E2EE-SPEC §S7: slot 1, camera, epoch 0, CTR 5 → header a5 01 01 00.
        byte[] frame = [0xA5, 0x01, 0x01, 0x00, .. new byte[16]];
        Assert.True(CiphertextTap.IsSframe(frame, 1, 1));
        Assert.False(CiphertextTap.IsSframe(frame, 2, 1));
        Assert.False(CiphertextTap.IsSframe(frame, 1, 0));
        Assert.False(CiphertextTap.IsSframe(frame.AsSpan(0, 10), 1, 1)); // no room for the tag
    }

    [Fact]
    public async Task Upstream_loss_is_nacked_to_the_publisher()
    {
        var loss = new LossStage { DropUpstream = (kind, seq) => kind == MediaKind.Video && seq == 103 };
        await using var call = await Call.StartAsync([], stages: [loss]);
        for (ushort seq = 100; seq < 106; seq++)
            call.Send(MediaPackets.Vp8(0x9999, seq, seq * 3000u, "1", null, seq, 0, keyFrame: seq == 100, call.NextTransportSeq(), 1));
        await TestParticipant.WaitUntil(() => call.Router.Counters.NacksSent > 0);
        Assert.Equal(1, call.Router.Counters.StageDropped);
        Assert.Equal(1, call.Router.Counters.PacketsLost);
    }

    [Fact]
    public async Task Downstream_loss_is_repaired_by_rtx_after_the_subscribers_nack()
    {
        var videoToFirst = 0;
        // The third video packet to "first" is lost on the way down.
        var loss = new LossStage { DropDownstream = (subscriber, kind, seq, rtx) => subscriber == "first" && kind == MediaKind.Video && !rtx && ++videoToFirst == 3 };
        await using var call = await Call.StartAsync([], stages: [loss]);
        call.Send(MediaPackets.Vp8(0x9999, 1, 0, "1", null, 1, 0, keyFrame: true, call.NextTransportSeq(), 1));
        for (ushort seq = 2; seq < 6; seq++)
            call.Send(MediaPackets.Vp8(0x9999, seq, seq * 3000u, "1", null, seq, 0, keyFrame: false, call.NextTransportSeq(), 1));
        var (ssrc, rtx) = Call.OfferedSsrcs(call.First, MediaSource.Camera);
        await TestParticipant.WaitUntil(() => Call.VideoReceived(call.First, ssrc).Count == 4 && Call.VideoReceived(call.Second, Call.OfferedSsrcs(call.Second, MediaSource.Camera).Ssrc).Count == 5);
        var received = Call.VideoReceived(call.First, ssrc).Select(p => p.Seq).Order().ToList();
        var missing = Enumerable.Range(received[0], 4).Select(s => (ushort)s).Except(received).Single();

        var nack = new byte[32];
        Assert.True(new GenericNack(1, ssrc, [new NackItem(missing, 0)]).TryWrite(nack, out var length));
        Assert.True(call.First.Subscribe!.SendRtcp(nack.AsSpan(0, length)));
        // The retransmission: an RTX packet whose payload opens with the lost packet's sequence number
        // (RFC 4588 §4). Padding-only RTX packets (bandwidth probes) carry no payload and do not count.
        await TestParticipant.WaitUntil(() => call.First.SubscribeSide.Rtp.Any(p =>
            RtpPacket.TryParse(p, out var r) && r.Ssrc == rtx && r.Payload.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(r.Payload) == missing));
        Assert.Equal(1, call.First.Media.Counters.RetransmissionsSent);
        Assert.Equal(1, call.First.Media.Counters.StageDropped);
    }
}
