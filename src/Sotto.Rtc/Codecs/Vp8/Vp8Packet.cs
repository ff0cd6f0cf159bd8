namespace Sotto.Rtc.Codecs.Vp8;

/// <summary>Frame-level questions the SFU asks of a VP8 RTP payload.</summary>
public static class Vp8Packet
{
    /// <summary>
    /// True for the first packet of a key frame: the descriptor says S = 1, PID = 0 (so the frame's
    /// first byte follows it) and that byte's P bit is 0, with the key-frame start code after the
    /// tag (<see cref="Vp8PayloadHeader.IsKeyFrame"/>). Continuation packets answer false: a key
    /// frame is recognised from its first packet. Never throws.
    /// </summary>
    public static bool IsKeyFrame(ReadOnlySpan<byte> rtpPayload) =>
        Vp8PayloadDescriptor.TryParse(rtpPayload, out var descriptor, out var consumed)
        && descriptor.IsFirstPacketOfFrame
        && Vp8PayloadHeader.IsKeyFrame(rtpPayload[consumed..]);
}
