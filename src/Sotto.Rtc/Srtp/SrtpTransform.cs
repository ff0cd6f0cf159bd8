namespace Sotto.Rtc.Srtp;

/// <summary>
/// The cryptographic half of SRTP for one profile and one direction: it encrypts and authenticates a
/// packet whose index the <see cref="SrtpContext"/> has already worked out. Parsing, per-SSRC state and
/// replay checks stay in the context, so each transform reads like its RFC section.
/// </summary>
internal abstract class SrtpTransform : IDisposable
{
    /// <summary>Octets the tag adds to SRTP and SRTCP packets.</summary>
    public abstract int TagLength { get; }

    /// <summary>Where the E||SRTCP index word sits, counted back from the end of an SRTCP packet.</summary>
    public abstract int SrtcpIndexOffsetFromEnd { get; }

    /// <summary>
    /// Protects the RTP packet in <paramref name="packet"/>[..^TagLength] in place and writes the tag into the
    /// last <see cref="TagLength"/> octets. The header (first <paramref name="headerLength"/> octets) stays clear.
    /// </summary>
    public abstract void ProtectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index);

    /// <summary>
    /// Verifies the tag of the SRTP packet <paramref name="packet"/> (tag included) and, if it is authentic,
    /// decrypts the payload in place. Returns false, without throwing, when authentication fails.
    /// </summary>
    public abstract bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index);

    /// <summary>
    /// Protects the RTCP packet <paramref name="packet"/>[..<paramref name="plainLength"/>] in place; the
    /// span's remaining octets receive the E||index word and the tag. With <paramref name="encrypt"/> false
    /// the packet is only authenticated (E = 0, RFC 3711 §3.4, RFC 7714 §9.3).
    /// </summary>
    public abstract void ProtectRtcp(Span<byte> packet, int plainLength, uint ssrc, uint srtcpIndex, bool encrypt);

    /// <summary>Verifies and, when <paramref name="encrypted"/>, decrypts the SRTCP packet <paramref name="packet"/> in place.</summary>
    public abstract bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint srtcpIndex, bool encrypted);

    public abstract void Dispose();
}
