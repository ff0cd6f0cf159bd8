using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Sotto.Rtc.Srtp;
using SrtpProtectionProfile = Sotto.Rtc.Srtp.SrtpProtectionProfile;

namespace Sotto.Transport.Dtls;

/// <summary>
/// The BouncyCastle server peer for DTLS-SRTP (RFC 5764): ECDSA certificate, mutual
/// authentication by SDP fingerprint, use_srtp profile selection, and the keying material export.
/// Each override below is one that Chromium needs (DESIGN.md §9).
/// </summary>
internal sealed class DtlsSrtpServer : DefaultTlsServer
{
    private readonly DtlsCertificate _certificate;
    private readonly DtlsFingerprint _expectedPeer;
    private readonly DtlsOptions _options;
    private SrtpProtectionProfile _selectedProfile;

    public DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsFingerprint expectedPeer, DtlsOptions options)
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

    protected override TlsCredentialedSigner GetECDsaSignerCredentials()
        => _certificate.CreateSigner(m_context, (BcTlsCrypto)Crypto);

    /// <summary>
    /// We must see the client's certificate to check its fingerprint, so we always request one
    /// (the default requests none). The request must list supported_signature_algorithms
    /// (RFC 5246 §7.4.4) or Chromium aborts the handshake (DESIGN.md §9).
    /// </summary>
    public override CertificateRequest GetCertificateRequest()
    {
        var signatureAlgorithms = TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context);
        return new CertificateRequest([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], signatureAlgorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate)
        => PeerFingerprint = DtlsSrtpPolicy.VerifyPeer(clientCertificate, _expectedPeer);

    /// <summary>The server chooses: the first profile in our preference that the client offers (RFC 5764 §4.1.1).</summary>
    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);

        UseSrtpData offered = TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions)
            ?? throw new TlsFatalAlert(AlertDescription.handshake_failure, "The client did not offer use_srtp (RFC 5764).");

        foreach (SrtpProtectionProfile candidate in _options.SrtpProfiles)
        {
            if (Array.IndexOf(offered.ProtectionProfiles, (int)candidate) >= 0)
            {
                _selectedProfile = candidate;
                return;
            }
        }

        throw new TlsFatalAlert(
            AlertDescription.handshake_failure,
            "No common SRTP protection profile: client offered " + string.Join(", ", offered.ProtectionProfiles.Select(p => UseSrtpProfiles.GetName((SrtpProtectionProfile)p))));
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var extensions = base.GetServerExtensions() ?? new Dictionary<int, byte[]>();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([(int)_selectedProfile], TlsUtilities.EmptyBytes));
        return extensions;
    }

    /// <summary>The exporter is only usable once the handshake completed (DESIGN.md §9).</summary>
    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Keys = DtlsSrtpPolicy.ExportKeys(m_context, _selectedProfile);
    }
}
