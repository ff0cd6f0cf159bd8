using Sotto.Rtc.Codecs.Vp8;
using Sotto.Sfu;
using Sotto.Sfu.Stages;
using Sotto.Sfu.Tests.Stages;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.Call;

/// <summary>What the SFU sees of a real call: ciphertext only (issue 4, item 3).</summary>
[Collection(ChromiumCollection.Name)]
public sealed class MediaPathTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_sfu_sees_every_forwarded_frame_as_clear_prefix_sframe_header_and_ciphertext_and_flags_plaintext()
    {
        var recording = new RecordingTap();
        await using var server = await CallServer.StartAsync([recording]);
        await using var chromium = await Chromium.LaunchAsync();
        var link = server.NewRoomLink();
        await using var a = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        await using var b = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        await using var c = await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output);
        await CallAssert.EveryoneReceivesEveryoneAsync([a, b, c], output);

        var tap = recording.Tap;
        output.WriteLine($"tap: {tap.FramesUpstream} frames upstream, {tap.FramesDownstream} downstream, " +
            $"{recording.VideoFrameStartsDownstream} video frame starts downstream, {tap.Violations} violations");
        Assert.True(recording.VideoFrameStartsDownstream > 6 * CallAssert.FramesToGrow, "video frames forwarded");
        Assert.True(tap.FramesDownstream > recording.VideoFrameStartsDownstream, "audio frames forwarded too");
        // Every packet went through the tap from the first on (the stage sits before statistics), so zero
        // violations means no frame — not even the first, before any key could have been set — was clear.
        Assert.Equal(0, tap.Violations);

        // Positive controls on the same detector. A real frame from this call passes for its publisher's
        // slot and is flagged under another slot (stream and slot really are read from the KID).
        var (payload, slot) = recording.FirstVideoFrame!.Value;
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out _, out var descriptorLength));
        var frame = payload.AsSpan(descriptorLength);
        var prefix = (frame[0] & 1) == 0 ? Vp8PayloadHeader.KeyFrameHeaderLength : 1;
        Assert.True(CiphertextTap.IsSframe(frame[prefix..], slot, (int)MediaSource.Camera));
        Assert.False(CiphertextTap.IsSframe(frame[prefix..], slot + 100, (int)MediaSource.Camera));
        Assert.False(CiphertextTap.IsSframe(frame[prefix..], slot, (int)MediaSource.Screen));

        // A plaintext VP8 key frame (RFC 6386 §9.1 header, then bare data) through the tap is flagged.
        byte[] plaintext = [0x10, 0x50, 0x2A, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00, .. Enumerable.Repeat((byte)0x55, 64)];
        //                  ^ descriptor: S=1, PID 0   ^ key frame tag  ^ start code    ^ 320 x 240
        var before = tap.Violations;
        Assert.True(tap.OnPacketToSubscriber(new MediaPathPacket("plain", slot, "someone", MediaKind.Video, MediaSource.Camera, 1, 1, 1, true, false, plaintext)));
        Assert.Equal(before + 1, tap.Violations);
    }
}
