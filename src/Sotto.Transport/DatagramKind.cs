namespace Sotto.Transport;

/// <summary>What a datagram on the shared port carries, from its first byte (RFC 7983 §7).</summary>
public enum DatagramKind : byte
{
    /// <summary>Anything else (ZRTP 16–19, TURN channels 64–79, garbage): dropped.</summary>
    Unknown,

    /// <summary>0–3: STUN.</summary>
    Stun,

    /// <summary>20–63: DTLS.</summary>
    Dtls,

    /// <summary>128–191: RTP or RTCP (told apart later by the payload type, RFC 5761 §4).</summary>
    Rtp,
}

/// <summary>The RFC 7983 demultiplexing rule.</summary>
public static class DatagramClassifier
{
    /// <summary>Classifies by the first byte; an empty datagram is <see cref="DatagramKind.Unknown"/>.</summary>
    public static DatagramKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
            return DatagramKind.Unknown;

        return datagram[0] switch
        {
            <= 3 => DatagramKind.Stun,
            >= 20 and <= 63 => DatagramKind.Dtls,
            >= 128 and <= 191 => DatagramKind.Rtp,
            _ => DatagramKind.Unknown,
        };
    }
}
