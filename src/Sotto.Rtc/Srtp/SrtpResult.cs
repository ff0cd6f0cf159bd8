namespace Sotto.Rtc.Srtp;

/// <summary>Outcome of one <see cref="SrtpContext"/> protect or unprotect call.</summary>
public enum SrtpResult
{
    /// <summary>The packet was protected or authenticated and decrypted.</summary>
    Ok,

    /// <summary>The packet is shorter than its header plus the profile's trailer.</summary>
    PacketTooShort,

    /// <summary>The buffer has no room after the packet for the tag (and SRTCP index).</summary>
    BufferTooSmall,

    /// <summary>The authentication tag does not match: forged, corrupted, or keyed differently.</summary>
    AuthenticationFailed,

    /// <summary>
    /// Unprotect: the packet index was already accepted, or is older than the replay window (RFC 3711 §3.3.2).
    /// Only authenticated packets move the window, so a forged packet can never cause this for a real one.
    /// Protect: the sequence number maps to an index this context already used (or one older than its
    /// window); protecting it would reuse an IV.
    /// </summary>
    Replayed,

    /// <summary>Not an RTP/RTCP packet: the version is not 2, or the header (CSRCs, extension) overruns the packet.</summary>
    MalformedPacket,

    /// <summary>The context already tracks its maximum number of SSRCs; a new one is refused (memory bound).</summary>
    TooManySsrcs,

    /// <summary>
    /// The key may not protect another packet of this stream: the 48-bit SRTP index or the 31-bit SRTCP
    /// index would wrap (RFC 3711 §9.2). Re-key (a new DTLS handshake).
    /// </summary>
    KeyLimitReached,
}
