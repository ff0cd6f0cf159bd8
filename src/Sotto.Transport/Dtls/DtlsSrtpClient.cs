using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Sotto.Rtc.Srtp;
using SrtpProtectionProfile = Sotto.Rtc.Srtp.SrtpProtectionProfile;

namespace Sotto.Transport.Dtls;

/// <summary>
/// The BouncyCastle client peer for DTLS-SRTP: offers our use_srtp profiles, presents our
/// certificate when asked, and checks the server's against its SDP fingerprint.
/// </summary>
internal sealed class DtlsSrtpClient : DefaultTlsClient
{
    private readonly DtlsCertificate _certificate;
    private readonly DtlsFingerprint _expectedPeer;
    private readonly DtlsOptions _options;
    private SrtpProtectionProfile _selectedProfile;

    public DtlsSrtpClient(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsFingerprint expectedPeer, DtlsOptions options)
        : base(crypto)
    {
        _certificate = certificate;
        _expectedPeer = expectedPeer;
        _options = options;
    }

    public SrtpKeyingMaterial? Keys { get; private set; }

    /// <summary>Called (on whichever thread reads DTLS) when the peer sends close_notify or a fatal alert after the handshake.</summary>
    public Action? PeerClosed { get; init; }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        base.NotifyAlertReceived(alertLevel, alertDescription);
        if (Keys is not null && (alertLevel == AlertLevel.fatal || alertDescription == AlertDescription.close_notify))
            PeerClosed?.Invoke();
    }

    public DtlsFingerprint PeerFingerprint { get; private set; }

    protected override ProtocolVersion[] GetSupportedVersions() => DtlsSrtpPolicy.Versions;

    protected override int[] GetSupportedCipherSuites() => DtlsSrtpPolicy.CipherSuites;

    public override int GetHandshakeTimeoutMillis() => (int)_options.HandshakeTimeout.TotalMilliseconds;

    public override int GetHandshakeResendTimeMillis() => (int)_options.InitialRetransmission.TotalMilliseconds;

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var extensions = base.GetClientExtensions() ?? new Dictionary<int, byte[]>();
        int[] profiles = _options.SrtpProfiles.Select(p => (int)p).ToArray();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData(profiles, TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);

        UseSrtpData selected = TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions)
            ?? throw new TlsFatalAlert(AlertDescription.handshake_failure, "The server did not select an SRTP profile (RFC 5764).");

        // RFC 5764 §4.1.1: exactly one profile, and one we offered.
        if (selected.ProtectionProfiles.Length != 1 || !_options.SrtpProfiles.Contains((SrtpProtectionProfile)selected.ProtectionProfiles[0]))
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "The server selected an SRTP profile we did not offer.");

        _selectedProfile = (SrtpProtectionProfile)selected.ProtectionProfiles[0];
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Keys = DtlsSrtpPolicy.ExportKeys(m_context, _selectedProfile);
    }

    private sealed class Authentication(DtlsSrtpClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            => client.PeerFingerprint = DtlsSrtpPolicy.VerifyPeer(serverCertificate.Certificate, client._expectedPeer);

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest)
            => client._certificate.CreateSigner(client.m_context, (BcTlsCrypto)client.Crypto);
    }
}
