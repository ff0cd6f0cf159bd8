using System.Net;
using Sotto.Rtc.Srtp;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;
using Sotto.Transport.Tests.Support;

namespace Sotto.Transport.Tests;

/// <summary>
/// The DTLS role is independent of the ICE role (RFC 8842 §5): our ICE-controlling client
/// transport as the DTLS <em>server</em>, against an ICE-controlled (lite) peer that is the DTLS
/// client — what a Chromium or Janus answer of <c>a=setup:active</c> to our <c>actpass</c> offer
/// asks for.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The muxes are disposed in IAsyncLifetime.DisposeAsync.")]
public sealed class DtlsRoleTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly DtlsCertificate _controlledCertificate = DtlsCertificate.Generate();
    private readonly DtlsCertificate _controllingCertificate = DtlsCertificate.Generate();
    private readonly IceParameters _controlledIce = IceParameters.Generate();
    private readonly IceParameters _controllingIce = IceParameters.Generate();
    private UdpMux _controlledMux = null!;
    private UdpMux _controllingMux = null!;

    public Task InitializeAsync()
    {
        var options = new UdpMuxOptions { BindAddress = IPAddress.Loopback, HousekeepingInterval = TimeSpan.FromMilliseconds(50) };
        _controlledMux = new UdpMux(options);
        _controllingMux = new UdpMux(options);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _controllingMux.DisposeAsync();
        await _controlledMux.DisposeAsync();
    }

    /// <summary>The ICE-lite controlled peer (DTLS client) and our controlling transport (DTLS server), each as told.</summary>
    private (WebRtcTransport Controlled, RecordingListener ControlledListener, WebRtcTransport Controlling, RecordingListener ControllingListener) Pair(
        DtlsRole controlledRole,
        DtlsRole controllingRole,
        WebRtcTransportOptions? options = null,
        DtlsFingerprint? controllingExpects = null)
    {
        var controlledListener = new RecordingListener();
        var controllingListener = new RecordingListener();
        var controlled = WebRtcTransport.CreateServer(
            _controlledMux, _controlledCertificate, _controlledIce, _controllingIce, _controllingCertificate.Fingerprint, controlledListener, options, controlledRole);
        var controlling = WebRtcTransport.CreateClient(
            _controllingMux, _controllingCertificate, _controllingIce, _controlledIce, controllingExpects ?? _controlledCertificate.Fingerprint,
            _controlledMux.LocalEndPoint, controllingListener, options, controllingRole);
        return (controlled, controlledListener, controlling, controllingListener);
    }

    public static TheoryData<SrtpProtectionProfile> Profiles => new()
    {
        SrtpProtectionProfile.AeadAes128Gcm,
        SrtpProtectionProfile.AesCm128HmacSha1_80,
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task An_ICE_controlling_DTLS_server_and_an_ICE_controlled_DTLS_client_carry_SRTP_both_ways(SrtpProtectionProfile profile)
    {
        var options = new WebRtcTransportOptions { Dtls = new DtlsOptions { SrtpProfiles = [profile] } };
        var (controlled, controlledListener, controlling, controllingListener) = Pair(DtlsRole.Client, DtlsRole.Server, options);
        using (controlled)
        using (controlling)
        {
            await Task.WhenAll(controlled.Connected, controlling.Connected).WaitAsync(Timeout);
            Assert.True(controlling.IsIceControlling);
            Assert.Equal(DtlsRole.Server, controlling.DtlsRole);
            Assert.False(controlled.IsIceControlling);
            Assert.Equal(DtlsRole.Client, controlled.DtlsRole);
            Assert.Equal(profile, controlling.SrtpProfile);

            // Each side protects with its own half of the exported keys (RFC 5764 §4.2): the DTLS
            // server, here the controlling side, with the server key.
            Assert.True(controlling.Keys!.ServerKey.SequenceEqual(controlled.Keys!.ServerKey));

            byte[] up = RtpPackets.Rtp(96, 1000, 0x11111111);
            byte[] down = RtpPackets.Rtp(111, 2000, 0x22222222);
            byte[] upReport = RtpPackets.ReceiverReport(0x11111111);
            byte[] downReport = RtpPackets.ReceiverReport(0x22222222);
            Assert.True(controlling.SendRtp(up));
            Assert.True(controlled.SendRtp(down));
            Assert.True(controlling.SendRtcp(upReport));
            Assert.True(controlled.SendRtcp(downReport));

            await Wait.UntilAsync(
                () => controlledListener.Rtp.Count == 1 && controllingListener.Rtp.Count == 1 && controlledListener.Rtcp.Count == 1 && controllingListener.Rtcp.Count == 1,
                Timeout,
                "one RTP and one RTCP packet each way");
            Assert.Equal(up, controlledListener.Rtp.Single());
            Assert.Equal(down, controllingListener.Rtp.Single());
            Assert.Equal(upReport, controlledListener.Rtcp.Single());
            Assert.Equal(downReport, controllingListener.Rtcp.Single());
            Assert.Equal(0, controlled.Counters.SrtpRejected);
            Assert.Equal(0, controlling.Counters.SrtpRejected);
        }
    }

    [Fact]
    public async Task As_the_DTLS_server_our_controlling_transport_still_checks_the_peer_fingerprint()
    {
        // The negative of the test above: the same roles, but we expect another certificate.
        var (controlled, controlledListener, controlling, controllingListener) = Pair(
            DtlsRole.Client, DtlsRole.Server, controllingExpects: DtlsCertificate.Generate().Fingerprint);
        using (controlled)
        using (controlling)
        {
            Assert.Equal(WebRtcTransportCloseReason.DtlsFailed, await controllingListener.Closed.WaitAsync(Timeout));
            Assert.Contains("DTLS server handshake failed", controllingListener.CloseError!.Message, StringComparison.Ordinal);
            Assert.Contains("fingerprint mismatch", controllingListener.CloseError.Message, StringComparison.Ordinal);
            Assert.Equal(WebRtcTransportCloseReason.DtlsFailed, await controlledListener.Closed.WaitAsync(Timeout));
            Assert.Equal(0, controllingListener.Rtp.Count + controlledListener.Rtp.Count);
            await Assert.ThrowsAnyAsync<Exception>(() => controlling.Connected);
        }
    }

    [Fact]
    public async Task Two_DTLS_servers_never_connect()
    {
        // Both wait for a ClientHello: ICE succeeds, DTLS times out. Proves the role parameter is
        // what decides who starts (the positive control is the SRTP test above).
        var options = new WebRtcTransportOptions { Dtls = new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(2) } };
        var (controlled, controlledListener, controlling, controllingListener) = Pair(DtlsRole.Server, DtlsRole.Server, options);
        using (controlled)
        using (controlling)
        {
            Assert.Equal(WebRtcTransportCloseReason.DtlsFailed, await controllingListener.Closed.WaitAsync(Timeout));
            Assert.Contains("timed out", controllingListener.CloseError!.Message, StringComparison.Ordinal);
            Assert.True(controlled.Counters.ChecksAnswered > 0); // ICE itself worked
            Assert.Equal(0, controlling.Counters.MediaBeforeKeys);
        }
    }
}
