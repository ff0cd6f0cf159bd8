namespace Sotto.E2ee.Frames;

/// <summary>The only codecs whose frames Sotto encrypts and accepts (§S7 codec policy).</summary>
internal enum FrameCodec
{
    Vp8,
    Opus,
}

/// <summary>Stream numbers inside the KID (§S7). All simulcast layers of the camera share stream 1.</summary>
internal enum MediaStream : byte
{
    Mic = 0,
    Camera = 1,
    ScreenVideo = 2,
    ScreenAudio = 3,
}

/// <summary>
/// How many leading bytes of a frame travel in the clear, authenticated as SFrame metadata (§S7):
/// VP8 key frame (<c>(f[0] &amp; 1) == 0</c>, RFC 6386 §9.1's inverted key-frame bit) 10 bytes — the
/// 3-byte tag, start code and size, which the SFU and decoder need; shorter key frames are dropped;
/// VP8 delta frame 1 byte; Opus 0. The receiver applies the same rule to the received bytes.
/// </summary>
internal static class ClearPrefix
{
    public const int MaxLength = Vp8KeyFrame;
    public const int Vp8KeyFrame = 10;
    public const int Vp8DeltaFrame = 1;

    public static bool TryGetLength(FrameCodec codec, ReadOnlySpan<byte> frame, out int length, out FrameDropReason reason)
    {
        reason = FrameDropReason.None;
        length = 0;
        if (codec == FrameCodec.Opus)
            return true;
        if (frame.IsEmpty)
        {
            reason = FrameDropReason.EmptyFrame;
            return false;
        }
        if ((frame[0] & 1) == 0)
        {
            if (frame.Length < Vp8KeyFrame)
            {
                reason = FrameDropReason.ShortKeyFrame;
                return false;
            }
            length = Vp8KeyFrame;
            return true;
        }
        length = Vp8DeltaFrame;
        return true;
    }

    public static bool IsAudio(MediaStream stream) => stream is MediaStream.Mic or MediaStream.ScreenAudio;

    public static bool Matches(FrameCodec codec, MediaStream stream) => (codec == FrameCodec.Opus) == IsAudio(stream);
}
