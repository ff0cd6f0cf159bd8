using System.Net;
using Sotto.Rtc.Codecs.Vp8;
using Sotto.Rtc.Rtp;
using Sotto.Sfu.Stages;

namespace Sotto.Sfu.Tests.Support;

/// <summary>One SFU on 127.0.0.1:0, a publisher and two subscribers, all connected over real sockets with SRTP.</summary>
internal sealed class Call : IAsyncDisposable
{
    public const string Room = "room-under-test";

    private ushort _transportSeq;

    private Call(SfuHost sfu) => Sfu = sfu;

    public SfuHost Sfu { get; }

    public TestParticipant Publisher { get; private set; } = null!;

    public TestParticipant First { get; private set; } = null!;

    public TestParticipant Second { get; private set; } = null!;

    public Router Router => Sfu.FindRouter(Room)!;

    public static SfuOptions TestOptions(Action<SfuOptions>? configure = null)
    {
        var options = new SfuOptions { Port = 0, BindAddress = IPAddress.Loopback };
        configure?.Invoke(options);
        return options;
    }

    public static async Task<Call> StartAsync(string[] rids, Action<SfuOptions>? configure = null, IEnumerable<IMediaPathStage>? stages = null, bool screen = false)
    {
        var call = new Call(new SfuHost(TestOptions(configure), stages));
        call.First = new TestParticipant(call.Sfu, Room, "first", 2);
        call.Second = new TestParticipant(call.Sfu, Room, "second", 3);
        call.Publisher = new TestParticipant(call.Sfu, Room, "publisher", 1);
        await call.Publisher.PublishAsync(rids, screen);
        await Task.WhenAll(call.First.WaitSubscribedAsync(), call.Second.WaitSubscribedAsync()).WaitAsync(TimeSpan.FromSeconds(15));
        return call;
    }

    public ushort NextTransportSeq() => _transportSeq++;

    public void Send(byte[] packet) => Assert.True(Publisher.Publish!.SendRtp(packet));

    /// <summary>The SSRC a subscriber receives a track on (from its last offer: mid → a=ssrc).</summary>
    public static (uint Ssrc, uint? Rtx) OfferedSsrcs(TestParticipant subscriber, MediaSource source)
    {
        var offer = Rtc.Sdp.SessionDescription.Parse(subscriber.LastOffer!.Sdp);
        var track = subscriber.LastOffer.Tracks.Single(t => t.Source == source);
        var media = offer.FindMedia(track.Mid)!;
        var group = media.SsrcGroups.Count > 0 ? media.SsrcGroups[0] : null;
        return group is null ? (media.Ssrcs[0], null) : (group.Ssrcs[0], group.Ssrcs[1]);
    }

    public static List<(ushort Seq, uint Ts, ushort PictureId, byte Tl0, int Length)> VideoReceived(TestParticipant subscriber, uint ssrc)
    {
        var list = new List<(ushort, uint, ushort, byte, int)>();
        foreach (var bytes in subscriber.SubscribeSide.Rtp)
        {
            Assert.True(RtpPacket.TryParse(bytes, out var packet));
            if (packet.Ssrc != ssrc)
                continue;
            Assert.Equal(96, packet.PayloadType);
            Assert.True(Vp8PayloadDescriptor.TryParse(packet.Payload, out var d, out _));
            list.Add((packet.SequenceNumber, packet.Timestamp, d.PictureId ?? 0, d.Tl0PicIdx ?? 0, bytes.Length));
        }
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Sfu.DisposeAsync();
    }
}
