namespace Sotto.Rtc.Rtp;

/// <summary>The fixed-header fields a sender chooses (RFC 3550 §5.1), as values for <see cref="RtpPacketWriter"/>.</summary>
public readonly record struct RtpHeader(byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc, bool Marker = false);
