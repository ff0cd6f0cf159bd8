namespace Sotto.Rtc.Srtp;

/// <summary>
/// What one <see cref="SrtpContext"/> remembers about one SSRC. A context is one direction, so only
/// one half is ever used: a protecting context tracks the highest index sent and the next SRTCP index,
/// an unprotecting one the two replay windows.
/// </summary>
internal sealed class SrtpStreamState(int replayWindowSize)
{
    // Protect side.

    /// <summary>False until the first RTP packet of this SSRC is protected (its ROC starts at 0, RFC 3711 §3.3.1).</summary>
    public bool HasSentRtp { get; set; }

    /// <summary>Highest SRTP index sent; its upper 32 bits are the sender's ROC.</summary>
    public ulong HighestSentRtpIndex { get; set; }

    /// <summary>Index of the next SRTCP packet: 0 for the first (RFC 3711 §3.3.2), at most 2^31 - 1.</summary>
    public uint NextSrtcpIndex { get; set; }

    // Unprotect side.

    /// <summary>Replay list for SRTP; its highest index gives the receiver's ROC and s_l.</summary>
    public SrtpReplayWindow RtpWindow { get; } = new(replayWindowSize);

    /// <summary>Replay list for SRTCP indices.</summary>
    public SrtpReplayWindow RtcpWindow { get; } = new(replayWindowSize);
}
