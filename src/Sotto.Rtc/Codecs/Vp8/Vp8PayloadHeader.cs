namespace Sotto.Rtc.Codecs.Vp8;

/// <summary>
/// The start of a VP8 frame, which follows the payload descriptor in the first packet of a frame
/// (RFC 7741 §4.3, RFC 6386 §9.1):
/// <code>
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |Size0|H| VER |P|     P: inverse key frame flag (0 = key frame)
///      +-+-+-+-+-+-+-+-+
///      |     Size1     |
///      +-+-+-+-+-+-+-+-+
///      |     Size2     |
///      +-+-+-+-+-+-+-+-+
///      | 9d | 01 | 2a  |     key frames only: start code (RFC 6386 §9.1)
///      | width (14) + scale (2) | height (14) + scale (2) |  little-endian
/// </code>
/// Sotto's frames are SFrame-encrypted end to end but keep these bytes in the clear: 10 bytes of a
/// key frame (tag, start code, size) and 1 byte of a delta frame (DESIGN.md §5, §9). So the P bit is
/// always readable and, for a key frame, so is the start code, which we require as a second check.
/// </summary>
public static class Vp8PayloadHeader
{
    public const int KeyFrameHeaderLength = 10;
    private const byte InverseKeyFrameBit = 0x01;
    private const int StartCodeOffset = 3;
    private const int SizeOffset = 6;

    /// <summary>RFC 6386 §9.1: every key frame carries 0x9d 0x01 0x2a after the 3-byte frame tag.</summary>
    public static ReadOnlySpan<byte> StartCode => [0x9D, 0x01, 0x2A];

    /// <summary>
    /// True when <paramref name="frame"/> (the bytes after the descriptor of a frame's first packet)
    /// starts a key frame: P = 0 and the start code follows the tag.
    /// </summary>
    public static bool IsKeyFrame(ReadOnlySpan<byte> frame) =>
        frame.Length >= StartCodeOffset + 3
        && (frame[0] & InverseKeyFrameBit) == 0
        && frame.Slice(StartCodeOffset, 3).SequenceEqual(StartCode);

    /// <summary>Width and height of a key frame (the 14-bit fields; the 2-bit scale is dropped).</summary>
    public static bool TryGetKeyFrameSize(ReadOnlySpan<byte> frame, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (frame.Length < KeyFrameHeaderLength || !IsKeyFrame(frame))
        {
            return false;
        }
        width = (frame[SizeOffset] | frame[SizeOffset + 1] << 8) & 0x3FFF;
        height = (frame[SizeOffset + 2] | frame[SizeOffset + 3] << 8) & 0x3FFF;
        return true;
    }
}
