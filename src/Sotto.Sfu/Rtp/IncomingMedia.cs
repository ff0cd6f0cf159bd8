namespace Sotto.Sfu.Rtp;

/// <summary>
/// A publisher's media packet as the router hands it to its consumers: the header fields, the
/// payload (after RTX unwrapping) and what the VP8 payload descriptor and the frame's clear first
/// bytes say — nothing else of the payload is read (frames are end-to-end encrypted).
/// </summary>
internal readonly ref struct IncomingMedia
{
    public ProducerStream Stream { get; init; }

    public uint Ssrc { get; init; }

    public ushort SequenceNumber { get; init; }

    public uint Timestamp { get; init; }

    public bool Marker { get; init; }

    public ReadOnlySpan<byte> Payload { get; init; }

    public bool IsKeyFrameStart { get; init; }

    public bool HasPictureId { get; init; }

    public ushort PictureId { get; init; }

    public bool HasTl0PicIdx { get; init; }

    public byte Tl0PicIdx { get; init; }

    public long NowTicks { get; init; }
}
