using System.Net;
using Sotto.Rtc.Sdp;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Client.Negotiation;

/// <summary>What our client transport needs from the server's SDP: ICE credentials, DTLS fingerprint and role, its host candidate.</summary>
internal sealed record RemoteTransport(IceParameters Ice, DtlsFingerprint Fingerprint, IPEndPoint Candidate, SetupRole? Setup)
{
    /// <summary>Reads the BUNDLE transport from the first m-line (every m-line of a BUNDLE group shares it); false when something is missing.</summary>
    public static bool TryRead(SessionDescription description, out RemoteTransport? transport, out string? problem)
    {
        transport = null;
        problem = null;
        MediaDescription? media = description.Media.FirstOrDefault(m => !m.IsRejected);
        if (media is null)
        {
            problem = "no m-line";
            return false;
        }
        if (description.GetIceCredentials(media) is not { } ice)
        {
            problem = "no ICE credentials";
            return false;
        }
        if (description.GetFingerprint(media) is not { HashFunction: FingerprintAttribute.Sha256 } fingerprint)
        {
            problem = "no sha-256 fingerprint";
            return false;
        }
        IceCandidate? candidate = media.Candidates.FirstOrDefault(c => c.IsUdp && c.Component == 1);
        if (candidate is null || !IPAddress.TryParse(candidate.Address, out IPAddress? address) || candidate.Port is < 1 or > 65535)
        {
            problem = "no UDP host candidate";
            return false;
        }
        transport = new RemoteTransport(
            new IceParameters(ice.Ufrag, ice.Password),
            DtlsFingerprint.Parse("sha-256 " + string.Join(':', fingerprint.Value.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)))),
            new IPEndPoint(address, candidate.Port),
            description.GetSetup(media));
        return true;
    }
}
