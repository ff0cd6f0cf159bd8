namespace Sotto.Rtc.Srtp;

/// <summary>
/// What one <see cref="SrtpContext"/> remembers about one SSRC. A context is one direction: a protecting
/// context uses <see cref="RtpWindow"/> for the indices it sent (its ROC, and refusing to reuse an index)
/// and <see cref="NextSrtcpIndex"/>; an unprotecting one uses both windows as replay lists.
/// </summary>
internal sealed class SrtpStreamState(int replayWindowSize)
{
    /// <summary>Index of the next SRTCP packet: 0 for the first (RFC 3711 §3.3.2), at most 2^31 - 1.</summary>
    public uint NextSrtcpIndex { get; set; }

    /// <summary>SRTP indices sent or accepted; the highest gives the ROC and s_l (RFC 3711 §3.3.1). Starts at ROC 0.</summary>
    public SrtpReplayWindow RtpWindow { get; } = new(replayWindowSize);

    /// <summary>Replay list for received SRTCP indices.</summary>
    public SrtpReplayWindow RtcpWindow { get; } = new(replayWindowSize);
}
