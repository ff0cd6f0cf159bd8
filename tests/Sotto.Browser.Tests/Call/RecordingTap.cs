using Sotto.Rtc.Codecs.Vp8;
using Sotto.Sfu;
using Sotto.Sfu.Stages;
using Sotto.Sfu.Tests.Stages;

namespace Sotto.Browser.Tests.Call;

/// <summary>
/// The SFU's <see cref="CiphertextTap"/> (every frame = clear prefix + SFrame header with the publisher's
/// KID + ciphertext, from the first packet on), plus a copy of the first video frame start it forwarded,
/// so the test can run positive controls on a real frame from the call.
/// </summary>
internal sealed class RecordingTap : IMediaPathStage
{
    private readonly Lock _gate = new();

    public CiphertextTap Tap { get; } = new();

    /// <summary>Video packets that start a frame, forwarded to subscribers (not RTX).</summary>
    public int VideoFrameStartsDownstream;

    /// <summary>The payload of the first forwarded video packet that started a frame, and its publisher's slot.</summary>
    public (byte[] Payload, int Slot)? FirstVideoFrame { get; private set; }

    public bool OnPacketFromPublisher(scoped in MediaPathPacket packet) => Tap.OnPacketFromPublisher(packet);

    public bool OnPacketToSubscriber(scoped in MediaPathPacket packet)
    {
        if (packet.Kind == MediaKind.Video && !packet.IsRetransmission
            && Vp8PayloadDescriptor.TryParse(packet.Payload, out var descriptor, out _) && descriptor.IsFirstPacketOfFrame)
        {
            Interlocked.Increment(ref VideoFrameStartsDownstream);
            if (FirstVideoFrame is null)
            {
                lock (_gate)
                    FirstVideoFrame ??= (packet.Payload.ToArray(), packet.PublisherSlot);
            }
        }
        return Tap.OnPacketToSubscriber(packet);
    }
}
