using Sotto.Rtc.Rtp;
using Sotto.Rtc.Rtp.Extensions;
using Sotto.Rtc.Sdp;
using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests.Media;

/// <summary>
/// Two members of one room with real media between them: the publisher's camera reaches the
/// subscriber over ICE, DTLS and SRTP on loopback through the server's SFU.
/// </summary>
internal sealed class MediaPair : IAsyncDisposable
{
    private const uint CameraSsrc = 0xABCD;
    private ushort _nextSequence = 1;
    private uint _forwardedSsrc;
    private bool _disposed;

    private MediaPair(SignalingClient publisher, SignalingClient subscriber)
    {
        Publisher = publisher;
        Subscriber = subscriber;
    }

    public SignalingClient Publisher { get; }

    public SignalingClient Subscriber { get; }

    public MediaPeer PublishPeer { get; } = new();

    public MediaPeer SubscribePeer { get; } = new();

    /// <summary>Both join <paramref name="room"/>; the first publishes mic and camera, the second subscribes; returns once a camera packet got through.</summary>
    public static async Task<MediaPair> StartAsync(RunningServer server, string room)
    {
        var pair = new MediaPair(await SignalingClient.ConnectAsync(server), await SignalingClient.ConnectAsync(server));
        try
        {
            await pair.Publisher.JoinAsync(room);
            await pair.Subscriber.JoinAsync(room);
            var reply = await pair.Publisher.RequestAsync(new
            {
                type = "publish",
                sdp = pair.PublishPeer.PublishOffer(),
                tracks = new[] { new { mid = "0", source = "mic" }, new { mid = "1", source = "camera" } },
            });
            Assert.Equal("publish-answer", (string?)reply["type"]);
            await pair.PublishPeer.ConnectAsync((string)reply["sdp"]!);

            var offer = await pair.Subscriber.WaitForTypeAsync("subscribe-offer");
            var version = (int)offer["version"]!;
            var sdp = (string)offer["sdp"]!;
            var ok = await pair.Subscriber.RequestAsync(new { type = "subscribe-answer", version, sdp = pair.SubscribePeer.SubscribeAnswer(sdp) });
            Assert.Equal("ok", (string?)ok["type"]);
            await pair.SubscribePeer.ConnectAsync(sdp);
            var camera = offer["tracks"]!.AsArray().Single(t => (string?)t!["source"] == "camera")!;
            pair._forwardedSsrc = SessionDescription.Parse(sdp).FindMedia((string)camera["mid"]!)!.SsrcGroups[0].Ssrcs[0];
            await pair.ExpectMediaAsync();
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends camera key frames until a new one arrives at the subscriber (UDP: a first packet may race the consumer).</summary>
    public async Task ExpectMediaAsync()
    {
        var before = Received();
        var deadline = DateTime.UtcNow + SignalingClient.DefaultTimeout;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "no media reached the subscriber in time");
            Assert.True(PublishPeer.Transport!.SendRtp(Vp8KeyFrame(_nextSequence++)));
            await Task.Delay(50);
        }
        while (Received() == before);
    }

    /// <summary>Sends <paramref name="count"/> camera packets at once: enough to fill the subscriber's retransmission cache.</summary>
    public void SendCameraBurst(int count)
    {
        for (var i = 0; i < count; i++)
            PublishPeer.Transport!.SendRtp(Vp8KeyFrame(_nextSequence++));
    }

    private int Received() => SubscribePeer.Rtp.Count(p => RtpPacket.TryParse(p, out var rtp) && rtp.Ssrc == _forwardedSsrc);

    /// <summary>Both send <c>leave</c> (the subscriber first) and close their transports and sockets.</summary>
    public async Task LeaveAsync()
    {
        Assert.Equal("ok", (string?)(await Subscriber.RequestAsync(new { type = "leave" }))["type"]);
        Assert.Equal("ok", (string?)(await Publisher.RequestAsync(new { type = "leave" }))["type"]);
        await DisposeAsync();
    }

    /// <summary>A VP8 key frame on the camera mid with a transport-wide sequence number; the payload looks like SFrame.</summary>
    public static byte[] Vp8KeyFrame(ushort sequence)
    {
        var buffer = new byte[200];
        Assert.True(RtpPacketWriter.TryCreate(buffer, new RtpHeader(96, sequence, 1000u * sequence, CameraSsrc, true), default, RtpExtensionProfile.OneByte, out var writer));
        Assert.True(writer.TryAddTransportSequenceNumber(4, sequence));
        Assert.True(writer.TryAddExtension(9, "1"u8));
        // VP8 descriptor (S=1, no extension), a key-frame header, then SFrame-looking bytes.
        byte[] payload = [0x10, 0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01, 0xA0, 0x01, 0x01, 0x00, .. new byte[32]];
        Assert.True(writer.TryWritePayload(payload));
        Assert.True(writer.TryComplete(0, out var length));
        return buffer[..length];
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await PublishPeer.DisposeAsync();
        await SubscribePeer.DisposeAsync();
        await Publisher.DisposeAsync();
        await Subscriber.DisposeAsync();
    }
}
