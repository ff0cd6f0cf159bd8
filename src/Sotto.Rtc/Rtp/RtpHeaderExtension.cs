namespace Sotto.Rtc.Rtp;

/// <summary>One RTP header extension element (RFC 8285): its local identifier and its data.</summary>
public readonly ref struct RtpHeaderExtension
{
    public RtpHeaderExtension(byte id, ReadOnlySpan<byte> value)
    {
        Id = id;
        Value = value;
    }

    /// <summary>The local identifier negotiated with a=extmap (1–14 one-byte, 1–255 two-byte).</summary>
    public byte Id { get; }

    public ReadOnlySpan<byte> Value { get; }
}
