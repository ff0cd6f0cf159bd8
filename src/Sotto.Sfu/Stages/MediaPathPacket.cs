namespace Sotto.Sfu.Stages;

/// <summary>What a <see cref="IMediaPathStage"/> sees of one RTP packet: the header fields and the payload.</summary>
public readonly ref struct MediaPathPacket
{
    internal MediaPathPacket(string publisherId, int publisherSlot, string? subscriberId, MediaKind kind, MediaSource source, uint ssrc, ushort sequenceNumber, uint timestamp, bool marker, bool isRetransmission, ReadOnlySpan<byte> payload, int packetLength = 0)
    {
        PublisherId = publisherId;
        PublisherSlot = publisherSlot;
        SubscriberId = subscriberId;
        Kind = kind;
        Source = source;
        Ssrc = ssrc;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        Marker = marker;
        IsRetransmission = isRetransmission;
        Payload = payload;
        PacketLength = packetLength == 0 ? payload.Length : packetLength;
    }

    /// <summary>The participant who published the track.</summary>
    public string PublisherId { get; }

    /// <summary>The publisher's slot (the E2EE KID carries it).</summary>
    public int PublisherSlot { get; }

    /// <summary>The receiving participant (downstream only).</summary>
    public string? SubscriberId { get; }

    public MediaKind Kind { get; }

    public MediaSource Source { get; }

    /// <summary>The SSRC on this hop (the publisher's upstream, the rewritten one downstream).</summary>
    public uint Ssrc { get; }

    public ushort SequenceNumber { get; }

    public uint Timestamp { get; }

    public bool Marker { get; }

    /// <summary>True for an RTX packet (upstream: an unwrapped retransmission; downstream: RTX to a subscriber, payload starts with the OSN).</summary>
    public bool IsRetransmission { get; }

    /// <summary>The RTP payload (for VP8: payload descriptor, then the possibly encrypted frame bytes).</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The whole RTP packet (header, extensions, payload, padding) before SRTP: what a shaping stage counts. Probe padding has an empty payload but a length.</summary>
    public int PacketLength { get; }
}
