using Sotto.Rtc.Rtcp;
using Sotto.Rtc.Rtp;
using Sotto.Sfu.Tests.Support;

namespace Sotto.Sfu.Tests.Forwarding;

/// <summary>Publisher → SFU → two subscribers over loopback with SRTP both ways (our C# client transport).</summary>
public sealed class ForwardingTests
{
    private const uint LowSsrc = 0x1111;
    private const uint HighSsrc = 0x2222;
    private const uint HighRtxSsrc = 0x2223;
    private const uint MicSsrc = 0x3333;

    [Fact]
    public async Task Subscribers_are_offered_each_track_with_its_owner_and_slot()
    {
        await using var call = await Call.StartAsync(["q", "h"]);
        foreach (var subscriber in new[] { call.First, call.Second })
        {
            var tracks = subscriber.LastOffer!.Tracks;
            Assert.Equal(2, tracks.Count);
            Assert.All(tracks, t => Assert.Equal("publisher", t.Owner));
            Assert.All(tracks, t => Assert.Equal(1, t.Slot));
            Assert.Equal([MediaSource.Mic, MediaSource.Camera], tracks.Select(t => t.Source));
            Assert.Equal([MediaKind.Audio, MediaKind.Video], tracks.Select(t => t.Kind));
        }
        // The publisher sees nobody else's media: no offer yet (first offer only with a remote track).
        Assert.Empty(call.Publisher.Offers);
        Assert.Equal(2, call.Router.LiveProducers);
        Assert.Equal(4, call.Router.LiveConsumers);
        Assert.Equal(3, call.Router.LiveTransports); // one publish, two subscribe
    }

    [Fact]
    public async Task Simulcast_switch_keeps_sequence_timestamp_and_picture_id_continuous()
    {
        await using var call = await Call.StartAsync(["q", "h"]);
        ushort seq = 1000;
        uint ts = 50_000;
        ushort pid = 100;
        byte tl0 = 5;
        call.Send(MediaPackets.Vp8(LowSsrc, seq++, ts, "1", "q", pid++, tl0++, keyFrame: true, call.NextTransportSeq(), 1));
        for (var i = 0; i < 10; i++)
        {
            ts += 3000;
            call.Send(MediaPackets.Vp8(LowSsrc, seq++, ts, "1", "q", pid++, tl0++, keyFrame: false, call.NextTransportSeq(), 1));
        }
        await TestParticipant.WaitUntil(() => call.First.SubscribeSide.Rtp.Count >= 11 && call.Second.SubscribeSide.Rtp.Count >= 11);

        // The high layer appears: its delta frames cannot be switched to, so the SFU asks for a key frame.
        ushort highSeq = 40_000;
        uint highTs = 3_000_000_000;
        ushort highPid = 7000;
        byte highTl0 = 200;
        call.Send(MediaPackets.Vp8(HighSsrc, highSeq++, highTs, "1", "h", highPid++, highTl0++, keyFrame: false, call.NextTransportSeq(), 1));
        await TestParticipant.WaitUntil(() => Plis(call.Publisher).Contains(HighSsrc));
        // Meanwhile the low layer keeps flowing to the subscribers.
        ts += 3000;
        call.Send(MediaPackets.Vp8(LowSsrc, seq++, ts, "1", "q", pid++, tl0++, keyFrame: false, call.NextTransportSeq(), 1));
        await Task.Delay(20);
        highTs += 3000;
        call.Send(MediaPackets.Vp8(HighSsrc, highSeq++, highTs, "1", "h", highPid++, highTl0++, keyFrame: true, call.NextTransportSeq(), 1, width: 1280));
        for (var i = 0; i < 10; i++)
        {
            highTs += 3000;
            call.Send(MediaPackets.Vp8(HighSsrc, highSeq++, highTs, "1", "h", highPid++, highTl0++, keyFrame: false, call.NextTransportSeq(), 1));
            // The low layer goes on too; it is no longer forwarded.
            call.Send(MediaPackets.Vp8(LowSsrc, seq++, ts += 3000, "1", "q", pid++, tl0++, keyFrame: false, call.NextTransportSeq(), 1));
        }

        foreach (var subscriber in new[] { call.First, call.Second })
        {
            var (ssrc, _) = Call.OfferedSsrcs(subscriber, MediaSource.Camera);
            await TestParticipant.WaitUntil(() => Call.VideoReceived(subscriber, ssrc).Count >= 23);
            var received = Call.VideoReceived(subscriber, ssrc);
            Assert.Equal(23, received.Count); // 12 low + 11 high; nothing else
            for (var i = 1; i < received.Count; i++)
            {
                Assert.Equal((ushort)(received[i - 1].Seq + 1), received[i].Seq);
                Assert.True((int)(received[i].Ts - received[i - 1].Ts) > 0, $"timestamp went backwards at {i}");
                Assert.Equal((ushort)((received[i - 1].PictureId + 1) & 0x7FFF), received[i].PictureId);
                Assert.Equal((byte)(received[i - 1].Tl0 + 1), received[i].Tl0);
            }
        }
        Assert.NotEqual(Call.OfferedSsrcs(call.First, MediaSource.Camera).Ssrc, Call.OfferedSsrcs(call.Second, MediaSource.Camera).Ssrc);
        Assert.Equal(46, call.First.Media.Counters.PacketsForwarded + call.Second.Media.Counters.PacketsForwarded);
    }

    [Fact]
    public async Task Layer_switch_aligns_timestamps_through_both_layers_sender_reports()
    {
        await using var call = await Call.StartAsync(["q", "h"]);
        const ulong ntp = 0xE100_0000_0000_0000;
        const uint lowBase = 50_000;
        const uint highBase = 3_000_000_000;
        call.Send(MediaPackets.Vp8(LowSsrc, 1, lowBase, "1", "q", 1, 1, keyFrame: true, call.NextTransportSeq(), 1));
        call.Send(MediaPackets.Vp8(HighSsrc, 1, highBase, "1", "h", 1, 1, keyFrame: false, call.NextTransportSeq(), 1));
        // Both layers' SRs for the same instant: their RTP clocks differ by a random offset.
        foreach (var (ssrc, rtp) in new[] { (LowSsrc, lowBase), (HighSsrc, highBase) })
        {
            var sr = new byte[28];
            Assert.True(new SenderReport(ssrc, ntp, rtp, 1, 100).TryWrite(sr, out _));
            Assert.True(call.Publisher.Publish!.SendRtcp(sr));
        }
        var (out0, _) = Call.OfferedSsrcs(call.First, MediaSource.Camera);
        await TestParticipant.WaitUntil(() => call.Router.Counters.SenderReportsSent >= 2);
        for (ushort i = 1; i <= 5; i++)
            call.Send(MediaPackets.Vp8(LowSsrc, (ushort)(1 + i), lowBase + (i * 3000u), "1", "q", (ushort)(1 + i), 1, keyFrame: false, call.NextTransportSeq(), 1));
        // The high layer's key frame is captured 3000 ticks after the last low frame.
        call.Send(MediaPackets.Vp8(HighSsrc, 2, highBase + (6 * 3000u), "1", "h", 2, 2, keyFrame: true, call.NextTransportSeq(), 1));

        await TestParticipant.WaitUntil(() => Call.VideoReceived(call.First, out0).Count == 7);
        var received = Call.VideoReceived(call.First, out0);
        Assert.Equal(3000u, received[6].Ts - received[5].Ts);
    }

    [Fact]
    public async Task Subscriber_nack_is_answered_with_rtx_never_with_the_original_ssrc()
    {
        await using var call = await Call.StartAsync([]);
        for (ushort i = 0; i < 5; i++)
            call.Send(MediaPackets.Vp8(LowSsrc, (ushort)(500 + i), 9000u + i * 3000u, "1", null, (ushort)(10 + i), (byte)i, keyFrame: i == 0, call.NextTransportSeq(), 1));
        var (ssrc, rtx) = Call.OfferedSsrcs(call.First, MediaSource.Camera);
        await TestParticipant.WaitUntil(() => Call.VideoReceived(call.First, ssrc).Count == 5);
        var sent = call.First.SubscribeSide.Rtp.Where(p => RtpPacket.TryParse(p, out var r) && r.Ssrc == ssrc).ToList();
        Assert.True(RtpPacket.TryParse(sent[2], out var lost));
        var lostSeq = lost.SequenceNumber;
        var lostPayload = lost.Payload.ToArray();

        var nack = new byte[64];
        Assert.True(new GenericNack(0xABCD, ssrc, [new NackItem(lostSeq, 0)]).TryWrite(nack, out var length));
        Assert.True(call.First.Subscribe!.SendRtcp(nack.AsSpan(0, length)));

        await TestParticipant.WaitUntil(() => call.First.SubscribeSide.Rtp.Any(p => RtpPacket.TryParse(p, out var r) && r.Ssrc == rtx));
        var rtxPacket = call.First.SubscribeSide.Rtp.Single(p => RtpPacket.TryParse(p, out var r) && r.Ssrc == rtx);
        Assert.True(RtpPacket.TryParse(rtxPacket, out var retransmission));
        Assert.Equal(97, retransmission.PayloadType);
        Assert.Equal(lostSeq, System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(retransmission.Payload));
        Assert.Equal(lostPayload, retransmission.Payload[2..].ToArray());
        // The media SSRC never repeats a sequence number (SRTP index reuse, RFC 7714 §8).
        Assert.Equal(5, Call.VideoReceived(call.First, ssrc).Select(p => p.Seq).Distinct().Count());
        Assert.Equal(1, call.First.Media.Counters.RetransmissionsSent);
        Assert.Equal(1, call.Router.Counters.NacksReceived);
        Assert.Equal(0, call.Second.Media.Counters.RetransmissionsSent);
    }

    [Fact]
    public async Task Plis_from_subscribers_reach_the_publisher_rate_limited()
    {
        await using var call = await Call.StartAsync([], o => o.KeyFrameRequestInterval = TimeSpan.FromSeconds(30));
        call.Send(MediaPackets.Vp8(LowSsrc, 1, 1, "1", null, 1, 1, keyFrame: true, call.NextTransportSeq(), 1));
        var firstSsrc = Call.OfferedSsrcs(call.First, MediaSource.Camera).Ssrc;
        var secondSsrc = Call.OfferedSsrcs(call.Second, MediaSource.Camera).Ssrc;
        await TestParticipant.WaitUntil(() => Call.VideoReceived(call.First, firstSsrc).Count == 1 && Call.VideoReceived(call.Second, secondSsrc).Count == 1);

        SendPli(call.First, firstSsrc);
        await TestParticipant.WaitUntil(() => Plis(call.Publisher).Count == 1);
        SendPli(call.Second, secondSsrc);
        SendPli(call.First, firstSsrc);
        await TestParticipant.WaitUntil(() => call.Router.Counters.PlisReceived == 3);
        Assert.Equal([LowSsrc], Plis(call.Publisher));
        Assert.Equal(1, call.Router.Counters.PlisSent);
        Assert.Equal(1, call.Publisher.Media.Counters.PlisSent);
    }

    [Fact]
    public async Task Publisher_gets_transport_cc_feedback_receiver_reports_and_nacks_and_rtx_fills_the_gap()
    {
        await using var call = await Call.StartAsync([]);
        var sent = new List<byte[]>();
        for (ushort i = 0; i < 8; i++)
            sent.Add(MediaPackets.Vp8(LowSsrc, (ushort)(65530 + i), 1000u + i * 3000u, "1", null, (ushort)(i + 1), 1, keyFrame: i == 0, call.NextTransportSeq(), 1));
        foreach (var (packet, index) in sent.Select((p, i) => (p, i)))
        {
            if (index != 4) // 65534 is lost upstream
                call.Send(packet);
        }
        call.Send(MediaPackets.Opus(MicSsrc, 7, 960, call.NextTransportSeq(), 1));

        await TestParticipant.WaitUntil(() => Nacked(call.Publisher).Contains((ushort)65534));
        await TestParticipant.WaitUntil(() => ReportedSsrcs(call.Publisher).Contains(LowSsrc) && ReportedSsrcs(call.Publisher).Contains(MicSsrc));
        await TestParticipant.WaitUntil(() => TransportCcReported(call.Publisher) >= 8);
        Assert.Equal(1, call.Router.Counters.PacketsLost);

        // The publisher answers with RTX on its RTX SSRC (mid only: a single-stream track).
        call.Send(MediaPackets.Rtx(sent[4], 0x4444, 1, "1", null, call.NextTransportSeq()));
        var (ssrc, _) = Call.OfferedSsrcs(call.First, MediaSource.Camera);
        await TestParticipant.WaitUntil(() => Call.VideoReceived(call.First, ssrc).Count == 8);
        var sequence = Call.VideoReceived(call.First, ssrc).Select(p => p.Seq).Order().ToList();
        Assert.Equal(8, sequence.Distinct().Count());
        Assert.Equal(1, call.Router.Counters.RetransmissionsReceived);
        Assert.True(call.Router.Counters.TransportCcFeedbacksSent > 0);
        Assert.True(call.Router.Counters.ReceiverReportsSent > 0);
    }

    [Fact]
    public async Task Sender_reports_are_translated_onto_each_subscribers_timestamps()
    {
        await using var call = await Call.StartAsync([]);
        call.Send(MediaPackets.Vp8(LowSsrc, 1, 90_000, "1", null, 1, 1, keyFrame: true, call.NextTransportSeq(), 1));
        var (ssrc, _) = Call.OfferedSsrcs(call.First, MediaSource.Camera);
        await TestParticipant.WaitUntil(() => Call.VideoReceived(call.First, ssrc).Count == 1);
        var offset = Call.VideoReceived(call.First, ssrc)[0].Ts - 90_000u;

        var sr = new byte[64];
        const ulong ntp = 0xE000_0000_8000_0000;
        Assert.True(new SenderReport(LowSsrc, ntp, 93_000, 1, 100).TryWrite(sr, out var length));
        Assert.True(call.Publisher.Publish!.SendRtcp(sr.AsSpan(0, length)));

        await TestParticipant.WaitUntil(() => SenderReports(call.First).Any(r => r.Ssrc == ssrc));
        var report = SenderReports(call.First).First(r => r.Ssrc == ssrc);
        Assert.Equal(ntp, report.Ntp);
        Assert.Equal(93_000u + offset, report.Rtp);
        Assert.Equal(1u, report.Packets);
    }

    [Fact]
    public async Task Padding_only_packets_are_counted_for_transport_cc_and_never_forwarded()
    {
        await using var call = await Call.StartAsync([]);
        call.Send(MediaPackets.Vp8(LowSsrc, 1, 1, "1", null, 1, 1, keyFrame: true, call.NextTransportSeq(), 1));
        call.Send(MediaPackets.Padding(0, 1, call.NextTransportSeq()));
        call.Send(MediaPackets.Padding(LowSsrc, 2, call.NextTransportSeq()));
        call.Send(MediaPackets.Vp8(LowSsrc, 3, 3001, "1", null, 2, 1, keyFrame: false, call.NextTransportSeq(), 1));

        await TestParticipant.WaitUntil(() => call.Router.Counters.PaddingDropped == 2);
        await TestParticipant.WaitUntil(() => TransportCcReported(call.Publisher) == 4);
        var (ssrc, _) = Call.OfferedSsrcs(call.First, MediaSource.Camera);
        await TestParticipant.WaitUntil(() => Call.VideoReceived(call.First, ssrc).Count == 2);
        await Task.Delay(100);
        Assert.Equal(2, call.First.SubscribeSide.Rtp.Count);
        Assert.All(call.First.SubscribeSide.Rtp, p => Assert.True(RtpPacket.TryParse(p, out var r) && !r.IsPaddingOnly));
    }

    [Fact]
    public async Task Leaving_frees_consumers_transports_and_buffers_and_renegotiates_the_others()
    {
        var call = await Call.StartAsync(["q", "h"]);
        await using (call)
        {
            for (ushort i = 0; i < 20; i++)
                call.Send(MediaPackets.Vp8(HighSsrc, i, i * 3000u, "1", "h", i, 1, keyFrame: i == 0, call.NextTransportSeq(), 1));
            var (ssrc, _) = Call.OfferedSsrcs(call.First, MediaSource.Camera);
            await TestParticipant.WaitUntil(() => Call.VideoReceived(call.First, ssrc).Count == 20);
            Assert.True(call.Router.BuffersHeld > 0);
            var version = call.First.LastOffer!.Version;

            call.Publisher.Media.Leave();

            Assert.True(call.First.LastOffer.Version > version);
            Assert.Empty(call.First.LastOffer.Tracks);
            Assert.Contains("a=inactive", call.First.LastOffer.Sdp, StringComparison.Ordinal);
            Assert.DoesNotContain("a=sendonly", call.First.LastOffer.Sdp, StringComparison.Ordinal);
            Assert.Equal(0, call.Router.LiveProducers);
            Assert.Equal(0, call.Router.LiveConsumers);
            Assert.Equal(0, call.Router.BuffersHeld);
            Assert.Equal(2, call.Router.LiveTransports);
            Assert.Equal(2, call.Router.ParticipantCount);

            call.First.Media.Leave();
            call.Second.Media.Leave();
            Assert.Null(call.Sfu.FindRouter(Call.Room));
            var metrics = call.Sfu.GetMetrics();
            Assert.Equal((0, 0, 0, 0, 0L), (metrics.Rooms, metrics.Producers, metrics.Consumers, metrics.Transports, metrics.BuffersHeld));
        }
    }

    [Fact]
    public async Task A_late_joiner_is_offered_what_is_already_published_and_receives_it()
    {
        await using var call = await Call.StartAsync([]);
        await using var late = new TestParticipant(call.Sfu, Call.Room, "late", 7);
        await TestParticipant.WaitUntil(() => late.LastOffer is not null);
        Assert.Equal([MediaSource.Mic, MediaSource.Camera], late.LastOffer!.Tracks.Select(t => t.Source));
        Assert.All(late.LastOffer.Tracks, t => Assert.Equal("publisher", t.Owner));
        await late.WaitSubscribedAsync();
        call.Send(MediaPackets.Vp8(LowSsrc, 1, 1, "1", null, 1, 1, keyFrame: true, call.NextTransportSeq(), 1));
        var (ssrc, _) = Call.OfferedSsrcs(late, MediaSource.Camera);
        await TestParticipant.WaitUntil(() => Call.VideoReceived(late, ssrc).Count == 1);
    }

    [Fact]
    public async Task Rejoining_publisher_reuses_the_inactive_m_lines()
    {
        await using var call = await Call.StartAsync([]);
        var mids = call.First.LastOffer!.Tracks.Select(t => t.Mid).ToList();
        call.Publisher.Media.Leave();
        await using var again = new TestParticipant(call.Sfu, Call.Room, "publisher-2", 4);
        await again.PublishAsync([]);
        var offer = call.First.LastOffer!;
        Assert.Equal(mids, offer.Tracks.Select(t => t.Mid).ToList());
        Assert.All(offer.Tracks, t => Assert.Equal("publisher-2", t.Owner));
        Assert.Equal(2, Rtc.Sdp.SessionDescription.Parse(offer.Sdp).Media.Count);
    }

    [Fact]
    public async Task Offers_are_serialized_until_the_answer_arrives()
    {
        await using var sfu = new SfuHost(Call.TestOptions());
        await using var subscriber = new TestParticipant(sfu, "r", "sub", 1, autoAnswer: false);
        await using var a = new TestParticipant(sfu, "r", "a", 2);
        await a.PublishAsync([]);
        Assert.Single(subscriber.Offers);
        await using var b = new TestParticipant(sfu, "r", "b", 3);
        await b.PublishAsync([]);
        Assert.Single(subscriber.Offers); // folded into the next offer
        var wrongVersion = Assert.Throws<Sotto.Sfu.Negotiation.SfuNegotiationException>(() => subscriber.Media.ApplySubscribeAnswer(7, subscriber.LastOffer!.Sdp));
        Assert.Equal("bad-version", wrongVersion.Code);
        subscriber.AnswerLastOffer();
        Assert.Equal(2, subscriber.Offers.Count);
        Assert.Equal(4, subscriber.LastOffer!.Tracks.Count);
        Assert.Equal(2, subscriber.LastOffer.Version);
    }

    [Fact]
    public async Task Screen_share_is_a_second_video_track_and_goes_inactive_when_stopped()
    {
        await using var call = await Call.StartAsync([], screen: true);
        Assert.Equal([MediaSource.Mic, MediaSource.Camera, MediaSource.Screen], call.First.LastOffer!.Tracks.Select(t => t.Source));
        var screenMid = call.First.LastOffer.Tracks.Single(t => t.Source == MediaSource.Screen).Mid;
        var offer = Rtc.Sdp.SessionDescription.Parse(call.First.LastOffer.Sdp);
        Assert.NotEqual(offer.FindMedia(screenMid)!.Msid!.StreamId, offer.Media[0].Msid!.StreamId);

        // The page stops the screen: its m-line becomes inactive in the next publish offer.
        var stopped = call.Publisher.BuildPublishOffer([], screen: true).Replace("a=msid:s v2\r\n", "", StringComparison.Ordinal);
        var lastSendonly = stopped.LastIndexOf("a=sendonly", StringComparison.Ordinal);
        stopped = stopped[..lastSendonly] + "a=inactive" + stopped[(lastSendonly + "a=sendonly".Length)..];
        call.Publisher.Media.Publish(stopped, [new("0", MediaSource.Mic), new("1", MediaSource.Camera)]);

        Assert.Equal([MediaSource.Mic, MediaSource.Camera], call.First.LastOffer!.Tracks.Select(t => t.Source));
        Assert.Equal(Rtc.Sdp.MediaDirection.Inactive, Rtc.Sdp.SessionDescription.Parse(call.First.LastOffer.Sdp).FindMedia(screenMid)!.Direction);
        Assert.Equal(2, call.Router.LiveProducers);
    }

    [Fact]
    public async Task Vanished_publisher_is_removed_when_consent_expires()
    {
        await using var call = await Call.StartAsync([], o => o.ConsentTimeout = TimeSpan.FromSeconds(2));
        // The browser vanishes: no goodbye, no DTLS close_notify, its consent checks just stop.
        await call.Publisher.KillNetworkAsync();
        await TestParticipant.WaitUntil(() => call.Publisher.ClosedReason is not null, 10_000);
        Assert.Equal(SfuCloseReason.ConsentExpired, call.Publisher.ClosedReason);
        Assert.Equal(0, call.Router.LiveProducers);
        Assert.Empty(call.First.LastOffer!.Tracks);
        // Positive control: the subscribers, whose checks go on, are still there.
        Assert.Equal(2, call.Router.ParticipantCount);
    }

    private static void SendPli(TestParticipant subscriber, uint ssrc)
    {
        var pli = new byte[12];
        Assert.True(new PictureLossIndication(0x1234, ssrc).TryWrite(pli, out _));
        Assert.True(subscriber.Subscribe!.SendRtcp(pli));
    }

    internal static List<uint> Plis(TestParticipant publisher)
    {
        var list = new List<uint>();
        foreach (var datagram in publisher.PublishSide.Rtcp)
        {
            foreach (var rtcp in new RtcpCompoundReader(datagram))
            {
                if (rtcp.PacketType == RtcpPacketType.PayloadSpecificFeedback && rtcp.Count == RtcpFeedbackFormat.PictureLossIndication && PictureLossIndication.TryParse(rtcp.Packet, out var pli))
                    list.Add(pli.MediaSsrc);
            }
        }
        return list;
    }

    private static List<ushort> Nacked(TestParticipant publisher)
    {
        var list = new List<ushort>();
        foreach (var datagram in publisher.PublishSide.Rtcp)
        {
            foreach (var rtcp in new RtcpCompoundReader(datagram))
            {
                if (rtcp.PacketType == RtcpPacketType.TransportLayerFeedback && rtcp.Count == RtcpFeedbackFormat.GenericNack && GenericNack.TryParse(rtcp.Packet, out var nack))
                {
                    foreach (var seq in nack.EnumerateLostSequenceNumbers())
                        list.Add(seq);
                }
            }
        }
        return list;
    }

    private static HashSet<uint> ReportedSsrcs(TestParticipant publisher)
    {
        var set = new HashSet<uint>();
        foreach (var datagram in publisher.PublishSide.Rtcp)
        {
            foreach (var rtcp in new RtcpCompoundReader(datagram))
            {
                if (rtcp.PacketType == RtcpPacketType.ReceiverReport && ReceiverReport.TryParse(rtcp.Packet, out var rr))
                {
                    foreach (var block in rr.ReportBlocks)
                        set.Add(block.Ssrc);
                }
            }
        }
        return set;
    }

    private static int TransportCcReported(TestParticipant publisher)
    {
        var count = 0;
        foreach (var datagram in publisher.PublishSide.Rtcp)
        {
            foreach (var rtcp in new RtcpCompoundReader(datagram))
            {
                if (rtcp.PacketType == RtcpPacketType.TransportLayerFeedback && rtcp.Count == RtcpFeedbackFormat.TransportWideCc && TransportWideCcFeedback.TryParse(rtcp.Packet, out var feedback))
                    count += feedback.CountReceived();
            }
        }
        return count;
    }

    private static List<(uint Ssrc, ulong Ntp, uint Rtp, uint Packets)> SenderReports(TestParticipant subscriber)
    {
        var list = new List<(uint, ulong, uint, uint)>();
        foreach (var datagram in subscriber.SubscribeSide.Rtcp)
        {
            foreach (var rtcp in new RtcpCompoundReader(datagram))
            {
                if (rtcp.PacketType == RtcpPacketType.SenderReport && SenderReport.TryParse(rtcp.Packet, out var sr))
                    list.Add((sr.Ssrc, sr.NtpTimestamp, sr.RtpTimestamp, sr.PacketCount));
            }
        }
        return list;
    }
}
