using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Sotto.Rtc.Sdp;
using Sotto.Rtc.Srtp;
using Sotto.Transport;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.Transport;

/// <summary>
/// The interop that matters: a real Chromium RTCPeerConnection (fake camera and microphone)
/// publishes to our ICE-lite + DTLS-SRTP endpoint on the mux, and we decrypt what it sends.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumTransportTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string Page = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>sotto transport interop</title></head>
        <body><script>
        let pc;
        window.makeOffer = async (withEcho) => {
          pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
          const stream = await navigator.mediaDevices.getUserMedia({
            audio: true, video: { width: 320, height: 240, frameRate: 15 } });
          for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
          if (withEcho) pc.addTransceiver('audio', { direction: 'recvonly' });
          const offer = await pc.createOffer();
          await pc.setLocalDescription(offer);
          return offer.sdp;
        };
        window.applyAnswer = async (sdp) => { await pc.setRemoteDescription({ type: 'answer', sdp }); };
        window.connectionState = () => pc.connectionState;
        window.echoStats = async () => {
          const stats = await pc.getStats();
          let received = 0, reports = 0;
          for (const s of stats.values()) {
            if (s.type === 'inbound-rtp' && s.kind === 'audio') received = s.packetsReceived;
            if (s.type === 'remote-inbound-rtp' && s.kind === 'audio') reports = s.reportsReceived ?? 1;
          }
          return [received, reports];
        };
        window.srtpCipher = async () => {
          const stats = await pc.getStats();
          for (const s of stats.values()) if (s.type === 'transport') return s.srtpCipher + ' ' + s.dtlsCipher + ' ' + s.tlsVersion;
          return '';
        };
        </script></body></html>
        """;

    public static TheoryData<SrtpProtectionProfile> Profiles => new()
    {
        SrtpProtectionProfile.AeadAes128Gcm,
        SrtpProtectionProfile.AeadAes256Gcm,
        SrtpProtectionProfile.AesCm128HmacSha1_80,
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Chromium_publishes_to_our_ICE_lite_DTLS_SRTP_endpoint_and_we_decrypt_it(SrtpProtectionProfile profile)
    {
        await using var mux = new UdpMux(new UdpMuxOptions { BindAddress = IPAddress.Loopback });
        var capture = new ConcurrentQueue<(DatagramKind Kind, byte[] Datagram)>();
        mux.Tap = (kind, datagram) =>
        {
            if (kind == DatagramKind.Stun && capture.Count < 8)
                capture.Enqueue((kind, datagram.ToArray()));
        };

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.OpenPageAsync(Page);

        string offerText = await page.EvaluateAsync<string>("makeOffer(false)");
        Assert.True(SessionDescription.TryParse(offerText, out var offer, out string? error), error);
        var audio = offer.Media.Single(m => m.MediaType == MediaDescription.Audio);
        var video = offer.Media.Single(m => m.MediaType == MediaDescription.Video);
        var (browserIce, browserFingerprint) = RemoteParameters(offer, audio);

        var certificate = DtlsCertificate.Generate();
        var ice = IceParameters.Generate();
        var log = new PacketLog(audio.FindExtmapId("urn:ietf:params:rtp-hdrext:sdes:mid"));
        using var transport = WebRtcTransport.CreateServer(
            mux, certificate, ice, browserIce, browserFingerprint, log,
            new WebRtcTransportOptions { Dtls = new DtlsOptions { SrtpProfiles = [profile] } });

        string answer = ChromiumAnswer.Build(offer, ice, certificate.Fingerprint, HostCandidates.For(mux)[0]);
        Assert.True(SessionDescription.TryParse(answer, out _, out string? answerError), answerError); // our answer is valid SDP
        var clock = Stopwatch.StartNew();
        await page.EvaluateAsync("sdp => applyAnswer(sdp)", answer);
        await log.Connected.WaitAsync(Timeout);
        var connectedAfter = clock.Elapsed;

        Assert.Equal(profile, transport.SrtpProfile);
        output.WriteLine($"{UseSrtpProfiles.GetName(profile)}: DTLS handshake {transport.DtlsHandshakeTime!.Value.TotalMilliseconds:F0} ms, setRemoteDescription→connected {connectedAfter.TotalMilliseconds:F0} ms");
        // Chromium's own view: the cipher we forced, DTLS 1.2 (0xFEFD), and a connected peer connection.
        // Our side can finish the handshake before Chromium's stats show it: wait for the condition.
        string chromiumView = await page.EvaluateAsync<string>("srtpCipher()");
        for (var deadline = Stopwatch.StartNew(); chromiumView.StartsWith("undefined", StringComparison.Ordinal) && deadline.Elapsed < Timeout;)
        {
            await Task.Delay(100);
            chromiumView = await page.EvaluateAsync<string>("srtpCipher()");
        }
        output.WriteLine("Chromium stats: " + chromiumView);
        string chromiumCipherName = profile == SrtpProtectionProfile.AesCm128HmacSha1_80 ? "SRTP_AES128_CM_HMAC_SHA1_80" : UseSrtpProfiles.GetName(profile);
        Assert.StartsWith(chromiumCipherName + " ", chromiumView, StringComparison.Ordinal);
        Assert.EndsWith(" FEFD", chromiumView, StringComparison.Ordinal);

        // Media SSRCs from the offer (no simulcast here, so Chromium lists them): the first
        // SSRC of each m-line is the media stream, a FID group's second is its RTX.
        uint audioSsrc = audio.Ssrcs[0];
        uint videoSsrc = video.SsrcGroups.FirstOrDefault(g => g.Semantics == "FID")?.Ssrcs[0] ?? video.Ssrcs[0];
        int opus = audio.FindPayloadTypes("opus", 48000, 2)[0];
        int vp8 = video.FindPayloadTypes("VP8", 90000)[0];
        int rtx = video.FindRtxPayloadType(vp8)!.Value;

        await WaitUntilAsync(() => log.CountFor(audioSsrc) >= 50 && log.CountFor(videoSsrc) >= 30 && log.RtcpCount >= 2, "50 audio, 30 video RTP and 2 RTCP packets");
        Assert.Empty(log.Problems);
        Assert.Equal(0, transport.Counters.SrtpRejected);

        var received = log.Snapshot();
        AssertContinuous(received[audioSsrc], opus);
        AssertContinuous(received[videoSsrc], vp8);
        foreach (var (ssrc, packets) in received)
        {
            // Anything else must be the video RTX stream (retransmissions or padding probes).
            if (ssrc != audioSsrc && ssrc != videoSsrc)
                Assert.All(packets, p => Assert.Equal(rtx, p.PayloadType));
        }

        // The mid extension agrees with the offer's a=ssrc lines (we send no RR, so Chromium keeps sending it).
        var mids = log.MidsBySsrc();
        Assert.Equal([audio.Mid!], mids[audioSsrc]);
        Assert.Equal([video.Mid!], mids[videoSsrc]);

        Assert.Equal("connected", await page.EvaluateAsync<string>("connectionState()"));
        output.WriteLine($"received: {string.Join(", ", received.Select(p => $"ssrc {p.Key}: {p.Value.Count} (pt {p.Value[0].PayloadType})"))}; rtcp {log.RtcpCount}; stun checks answered {transport.Counters.ChecksAnswered}");
        if (Environment.GetEnvironmentVariable("SOTTO_CAPTURE_FIXTURES") == "1")
            FuzzSeeds.Write(profile, log, capture.Select(c => c.Datagram));
    }

    [Fact]
    public async Task Chromium_decrypts_the_SRTP_and_SRTCP_we_protect()
    {
        await using var mux = new UdpMux(new UdpMuxOptions { BindAddress = IPAddress.Loopback });
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.OpenPageAsync(Page);

        Assert.True(SessionDescription.TryParse(await page.EvaluateAsync<string>("makeOffer(true)"), out var offer, out string? error), error);
        var audio = offer.Media.First(m => m.MediaType == MediaDescription.Audio);
        var (browserIce, browserFingerprint) = RemoteParameters(offer, audio);
        const uint EchoSsrc = 0x50770001;
        var echo = new EchoListener(audio.Ssrcs[0], EchoSsrc, (byte)audio.FindPayloadTypes("opus", 48000, 2)[0]);

        var certificate = DtlsCertificate.Generate();
        var ice = IceParameters.Generate();
        using var transport = WebRtcTransport.CreateServer(mux, certificate, ice, browserIce, browserFingerprint, echo);
        await page.EvaluateAsync("sdp => applyAnswer(sdp)", ChromiumAnswer.Build(offer, ice, certificate.Fingerprint, HostCandidates.For(mux)[0], EchoSsrc));
        await echo.Connected.WaitAsync(Timeout);

        // Chromium counts a packet as received only after SRTP authentication and decryption;
        // a remote-inbound-rtp entry appears only for an SRTCP receiver report it could read.
        int[] stats = [0, 0];
        await WaitUntilAsync(
            async () =>
            {
                stats = await page.EvaluateAsync<int[]>("echoStats()");
                return stats[0] >= 25 && stats[1] >= 1;
            },
            "Chromium to receive 25 echoed Opus packets and one receiver report");
        output.WriteLine($"echoed {echo.Echoed}, Chromium received {stats[0]} packets and {stats[1]} receiver reports; profile {transport.SrtpProfile}");
    }

    private static (IceParameters Ice, DtlsFingerprint Fingerprint) RemoteParameters(SessionDescription offer, MediaDescription media)
    {
        var credentials = offer.GetIceCredentials(media)!.Value;
        var fingerprint = offer.GetFingerprint(media)!;
        string hex = string.Join(':', fingerprint.Value.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        return (new IceParameters(credentials.Ufrag, credentials.Password), DtlsFingerprint.Parse($"{fingerprint.HashFunction} {hex}"));
    }

    private static void AssertContinuous(List<(byte PayloadType, ushort Sequence)> packets, int payloadType)
    {
        Assert.All(packets, p => Assert.Equal(payloadType, p.PayloadType));
        // Loopback: no loss and no reordering, so every packet follows its predecessor (mod 2^16).
        for (int i = 1; i < packets.Count; i++)
            Assert.Equal((ushort)(packets[i - 1].Sequence + 1), packets[i].Sequence);
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Timeout)
                Assert.Fail($"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
