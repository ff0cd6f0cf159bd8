using Sotto.Rtc.Codecs.Vp8;

namespace Sotto.Client.Media;

/// <summary>
/// Structure checks on decrypted frames: proof that what came out of SFrame is a real VP8 or Opus
/// frame, not just bytes that authenticated. Never throws on any input.
/// </summary>
internal static class CodecChecks
{
    /// <summary>
    /// RFC 6386 §9.1: the 3-byte frame tag (inverted key-frame bit, version 0–3, first partition
    /// size within the frame); a key frame also has the start code 9d 01 2a and non-zero dimensions.
    /// </summary>
    public static bool IsValidVp8Frame(ReadOnlySpan<byte> frame, out bool keyFrame, out int width, out int height)
    {
        keyFrame = false;
        width = 0;
        height = 0;
        if (frame.Length < 3)
            return false;
        int tag = frame[0] | frame[1] << 8 | frame[2] << 16;
        keyFrame = (tag & 1) == 0;
        int version = (tag >> 1) & 7;
        int firstPartitionSize = tag >> 5;
        if (version > 3)
            return false;
        int headerLength = keyFrame ? Vp8PayloadHeader.KeyFrameHeaderLength : 3;
        if (frame.Length < headerLength || firstPartitionSize > frame.Length - headerLength)
            return false;
        return !keyFrame || (Vp8PayloadHeader.TryGetKeyFrameSize(frame, out width, out height) && width > 0 && height > 0);
    }

    /// <summary>
    /// RFC 6716 §3.1–§3.2: a TOC byte and a frame count code whose framing fits the packet (code 1:
    /// two equal frames, an odd remainder is invalid; code 2: the first length fits; code 3: 1–48
    /// frames, at most 120 ms).
    /// </summary>
    public static bool IsValidOpusPacket(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
            return false;
        byte toc = packet[0];
        int code = toc & 3;
        ReadOnlySpan<byte> rest = packet[1..];
        switch (code)
        {
            case 0:
                return true;
            case 1:
                return rest.Length % 2 == 0;
            case 2:
                if (rest.IsEmpty)
                    return false;
                int length = rest[0] < 252 ? rest[0] : rest.Length >= 2 ? rest[0] + 4 * rest[1] : -1;
                int lengthBytes = rest[0] < 252 ? 1 : 2;
                return length >= 0 && length <= rest.Length - lengthBytes;
            default:
                if (rest.IsEmpty)
                    return false;
                int count = rest[0] & 0x3F;
                return count >= 1 && count * OpusFrameMicros(toc) <= 120_000;
        }
    }

    /// <summary>The duration of one Opus frame from the TOC configuration (RFC 6716 §3.1, Table 2).</summary>
    public static int OpusFrameMicros(byte toc)
    {
        int config = toc >> 3;
        if (config < 12)
            return new[] { 10_000, 20_000, 40_000, 60_000 }[config & 3]; // SILK
        if (config < 16)
            return (config & 1) == 0 ? 10_000 : 20_000; // hybrid
        return new[] { 2_500, 5_000, 10_000, 20_000 }[config & 3]; // CELT
    }

    /// <summary>The whole duration of an Opus packet (frames × frame size), or 0 when malformed.</summary>
    public static int OpusPacketMicros(ReadOnlySpan<byte> packet)
    {
        if (!IsValidOpusPacket(packet))
            return 0;
        int frames = (packet[0] & 3) switch { 0 => 1, 1 or 2 => 2, _ => packet[1] & 0x3F };
        return frames * OpusFrameMicros(packet[0]);
    }
}
