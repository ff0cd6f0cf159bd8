using System.Globalization;
using System.Net;
using System.Text;
using Sotto.Rtc.Sdp;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Sfu.Negotiation;

/// <summary>
/// What every SDP the SFU writes says about its side of one transport: ICE-lite credentials, the
/// DTLS fingerprint and role, and the single host candidate on the mux port (DESIGN.md §9).
/// </summary>
internal sealed record LocalTransportDescription(IceParameters Ice, DtlsFingerprint Fingerprint, IPEndPoint Candidate)
{
    /// <summary>The o= line's session id: random per description owner, version counts up (RFC 8866 §5.2).</summary>
    public static string Origin(ulong sessionId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"o=- {sessionId} {version} IN IP4 127.0.0.1");

    /// <summary>The transport lines of one m-section; <paramref name="setup"/> is passive (answer) or actpass (offer).</summary>
    public void AppendTransport(StringBuilder sdp, string setup, bool withCandidate)
    {
        var address = Candidate.Address.IsIPv4MappedToIPv6 ? Candidate.Address.MapToIPv4() : Candidate.Address;
        var family = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        SdpLines.Line(sdp, $"c=IN {family} {address}");
        SdpLines.Line(sdp, $"a=ice-ufrag:{Ice.UsernameFragment}");
        SdpLines.Line(sdp, $"a=ice-pwd:{Ice.Password}");
        SdpLines.Line(sdp, $"a=fingerprint:{Fingerprint}");
        SdpLines.Line(sdp, $"a=setup:{setup}");
        if (withCandidate)
        {
            // RFC 8839 §5.1: one host candidate, the mux's port; the SFU never trickles more.
            SdpLines.Line(sdp, $"a=candidate:1 1 udp 2130706431 {address} {Candidate.Port} typ host");
            SdpLines.Line(sdp, "a=end-of-candidates");
        }
    }
}

/// <summary>The remote side of a transport, read from a browser's description.</summary>
internal sealed record RemoteTransportDescription(IceParameters Ice, DtlsFingerprint Fingerprint)
{
    /// <summary>ICE credentials and fingerprint of the first bundled, non-rejected m-line (BUNDLE: one transport).</summary>
    public static RemoteTransportDescription From(SessionDescription description)
    {
        var media = description.Media.FirstOrDefault(m => !m.IsRejected)
            ?? throw new SfuNegotiationException("bad-sdp", "The description has no usable m-line.");
        var ice = description.GetIceCredentials(media)
            ?? throw new SfuNegotiationException("bad-sdp", "The description has no ICE credentials.");
        var fingerprintAttribute = description.GetFingerprint(media)
            ?? throw new SfuNegotiationException("bad-sdp", "The description has no DTLS fingerprint.");
        var text = fingerprintAttribute.ToString();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (!DtlsFingerprint.TryParse(text.AsSpan(colon + 1), out var fingerprint))
            throw new SfuNegotiationException("bad-sdp", "Only sha-256 DTLS fingerprints are accepted.");
        IceParameters parameters;
        try
        {
            parameters = new IceParameters(ice.Ufrag, ice.Password);
        }
        catch (ArgumentException)
        {
            throw new SfuNegotiationException("bad-sdp", "The ICE credentials are not acceptable.");
        }
        return new RemoteTransportDescription(parameters, fingerprint);
    }
}

/// <summary>CRLF line writing (RFC 8866 §5: every line ends with CRLF).</summary>
internal static class SdpLines
{
    public static void Line(StringBuilder sdp, string line) => sdp.Append(line).Append("\r\n");
}
