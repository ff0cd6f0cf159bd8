using Sotto.Rtc.Codecs.Vp8;
using Sotto.Sfu.Stages;

namespace Sotto.Sfu.Tests.Stages;

/// <summary>
/// A test-only stage that checks every frame the SFU sees is clear prefix + SFrame header +
/// ciphertext (E2EE-SPEC §S7): VP8 key frames keep 10 clear bytes, deltas 1, Opus 0; the SFrame
/// header (RFC 9605 §4.3) must carry KID = publisher slot | stream | epoch and be followed by at
/// least an AES-GCM tag of ciphertext. It never drops anything.
/// </summary>
internal sealed class CiphertextTap : IMediaPathStage
{
    private const int TagLength = 16;

    public int FramesUpstream;
    public int FramesDownstream;
    public int Violations;

    public bool OnPacketFromPublisher(scoped in MediaPathPacket packet)
    {
        Check(packet, ref FramesUpstream);
        return true;
    }

    public bool OnPacketToSubscriber(scoped in MediaPathPacket packet)
    {
        if (!packet.IsRetransmission)
            Check(packet, ref FramesDownstream);
        return true;
    }

    private void Check(scoped in MediaPathPacket packet, ref int frames)
    {
        var payload = packet.Payload;
        int prefix;
        if (packet.Kind == MediaKind.Video)
        {
            if (!Vp8PayloadDescriptor.TryParse(payload, out var descriptor, out var consumed))
            {
                Interlocked.Increment(ref Violations);
                return;
            }
            if (!descriptor.IsFirstPacketOfFrame)
                return; // continuation packets carry ciphertext only
            payload = payload[consumed..];
            prefix = payload.Length > 0 && (payload[0] & 1) == 0 ? Vp8PayloadHeader.KeyFrameHeaderLength : 1;
            if (prefix == Vp8PayloadHeader.KeyFrameHeaderLength && !Vp8PayloadHeader.IsKeyFrame(payload))
            {
                Interlocked.Increment(ref Violations);
                return;
            }
        }
        else
        {
            prefix = 0;
        }
        Interlocked.Increment(ref frames);
        if (!IsSframe(payload[Math.Min(prefix, payload.Length)..], packet.PublisherSlot, MediaNames.StreamNumber(packet.Source)))
            Interlocked.Increment(ref Violations);
    }

    /// <summary>RFC 9605 §4.3 header: config byte X|K|Y|C, then KID and CTR; then ciphertext ≥ the tag.</summary>
    internal static bool IsSframe(ReadOnlySpan<byte> frame, int slot, int stream)
    {
        if (frame.IsEmpty)
            return false;
        var config = frame[0];
        var extendedKid = (config & 0x80) != 0;
        var k = (config >> 4) & 0x07;
        var extendedCtr = (config & 0x08) != 0;
        var c = config & 0x07;
        var kidLength = extendedKid ? k + 1 : 0;
        var ctrLength = extendedCtr ? c + 1 : 0;
        var headerLength = 1 + kidLength + ctrLength;
        if (frame.Length < headerLength + TagLength)
            return false;
        ulong kid = extendedKid ? 0 : (ulong)k;
        for (var i = 0; i < kidLength; i++)
            kid = kid << 8 | frame[1 + i];
        return (kid >> 16) == (ulong)slot && ((kid >> 8) & 0xFF) == (ulong)stream;
    }
}
