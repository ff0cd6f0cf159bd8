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

    /// <summary>S = 1 and PID = 0: the packet carries the first bytes of a frame (RFC 7741 §4.2).</summary>
    public bool IsFrameStart { get; init; }

    public bool HasTemporalLayer { get; init; }

    /// <summary>TID: the VP8 temporal layer (0 when the descriptor has no T bit).</summary>
    public byte TemporalLayer { get; init; }

    /// <summary>Y: this frame depends only on temporal layer 0, so a consumer may step up here.</summary>
    public bool LayerSync { get; init; }

    public long NowTicks { get; init; }
}
