using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Sotto.Browser.Tests.Call;
using Sotto.Client.Media;
using Sotto.Client.Negotiation;
using Sotto.Rtc.Sdp;
using Sotto.Transport;
using Sotto.Transport.Dtls;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.Transport;

/// <summary>
/// The headless client's transport against a full, independent peer that takes the DTLS client
/// role: a plain RTCPeerConnection in Chromium answers our publish offer (<c>a=setup:actpass</c>)
/// with <c>a=setup:active</c>, as it always does (so does Janus). Our ICE-controlling transport
/// must then be the DTLS server, answer Chromium's own connectivity checks (Chromium is a full ICE
/// agent, not a lite one like Sotto's SFU), and deliver VP8 and Opus Chromium decodes. No Sotto
/// server and no E2EE: signaling is Playwright's evaluate, the media is the plain fixture frames.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumAnswererTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Host candidates as IP addresses (not mDNS names): our client needs an address to check.
    private static readonly string[] ChromiumArguments = ["--disable-features=WebRtcHideLocalIpsWithMdns", "--autoplay-policy=no-user-gesture-required"];

    private const string Page = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>sotto answerer</title></head>
        <body><script>
        let pc;
        window.answer = async (offer) => {
          pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
          // Played out, so Chromium decodes (audio is decoded only for a sink).
          pc.ontrack = (event) => {
            const element = document.createElement(event.track.kind);
            element.autoplay = true;
            element.srcObject = new MediaStream([event.track]);
            document.body.append(element);
          };
          await pc.setRemoteDescription({ type: 'offer', sdp: offer });
          await pc.setLocalDescription(await pc.createAnswer());
          if (pc.iceGatheringState !== 'complete')
            await new Promise(resolve => pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); }));
          return pc.localDescription.sdp;
        };
        window.addCandidate = (candidate) => pc.addIceCandidate({ candidate, sdpMid: '0' });
        window.summary = async () => {
          const s = { framesDecoded: 0, frameWidth: 0, audioPackets: 0, audioSamples: 0, dtlsRole: '', dtlsState: '', iceRole: '',
                      connectionState: pc.connectionState, checksAnswered: 0, checksReceived: 0 };
          const stats = await pc.getStats();
          for (const r of stats.values()) {
            if (r.type === 'inbound-rtp' && r.kind === 'video') { s.framesDecoded = r.framesDecoded ?? 0; s.frameWidth = r.frameWidth ?? 0; }
            if (r.type === 'inbound-rtp' && r.kind === 'audio') { s.audioPackets = r.packetsReceived ?? 0; s.audioSamples = r.totalSamplesReceived ?? 0; }
            if (r.type === 'transport') { s.dtlsRole = r.dtlsRole ?? ''; s.dtlsState = r.dtlsState ?? ''; s.iceRole = r.iceRole ?? ''; }
            if (r.type === 'candidate-pair') { s.checksAnswered += r.responsesReceived ?? 0; s.checksReceived += r.requestsReceived ?? 0; }
          }
          return JSON.stringify(s);
        };
        </script></body></html>
        """;

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    [Fact]
    public async Task Chromium_answers_active_we_are_the_DTLS_server_and_it_decodes_our_VP8_and_Opus()
    {
        await using var chromium = await Chromium.LaunchAsync(ChromiumArguments);
        var page = await chromium.OpenPageAsync(Page);
        var certificate = DtlsCertificate.Generate();
        var listener = new Listener();
        await using var connection = new MediaConnection(certificate, listener);
        PublishedTrackSpec[] tracks = [new("0", "audio", "mic", 0x50770011, null), new("1", "video", "camera", 0x50770012, 0x50770013)];

        RemoteTransport remote = await NegotiateAsync(page, connection, certificate.Fingerprint, tracks);
        Assert.Equal(SetupRole.Active, remote.Setup);
        Assert.True(DtlsSetup.TryGetRoleFromAnswer(remote.Setup, out DtlsRole role, out string? problem), problem);
        Assert.Equal(DtlsRole.Server, role);

        var clock = Stopwatch.StartNew();
        Task connected = connection.ConnectAsync(remote, role);
        // Trickle our host candidate too, so Chromium also runs its own checks towards it.
        await page.EvaluateAsync("c => addCandidate(c)", $"candidate:1 1 udp 2130706431 127.0.0.1 {connection.LocalEndPoint!.Port} typ host");
        await connected.WaitAsync(Timeout);
        WebRtcTransport transport = connection.Transport!;
        Assert.Equal(DtlsRole.Server, transport.DtlsRole);
        output.WriteLine($"connected after {clock.ElapsedMilliseconds} ms (DTLS {transport.DtlsHandshakeTime!.Value.TotalMilliseconds:F0} ms, {UseSrtpProfiles.GetName(transport.SrtpProfile!.Value)})");

        var transportSequence = new TransportSequence();
        var audioSender = new RtpStreamSender(connection, transportSequence, tracks[0]);
        var videoSender = new RtpStreamSender(connection, transportSequence, tracks[1]);
        Assert.True(IvfFileSource.TryOpen(Fixture("testsrc-320x240-15fps.ivf"), loop: true, out var video, out problem), problem);
        Assert.True(OggOpusFileSource.TryOpen(Fixture("sine-440hz.ogg"), loop: true, out var audio, out problem), problem);
        using var stop = new CancellationTokenSource();
        Task[] playback = [Play(audio!, audioSender, RtpNumbers.OpusClockRate, stop.Token), Play(video!, videoSender, RtpNumbers.VideoClockRate, stop.Token)];
        try
        {
            JsonElement summary = default;
            await Eventually.Until(
                async () =>
                {
                    summary = await SummaryAsync(page);
                    return summary.GetProperty("framesDecoded").GetInt32() >= 20 && summary.GetProperty("audioPackets").GetInt32() >= 50;
                },
                Timeout,
                () => $"Chromium to decode 20 VP8 frames and receive 50 Opus packets; last: {summary}");
            output.WriteLine($"Chromium: {summary}; our transport answered {transport.Counters.ChecksAnswered} of its checks, sent {transport.Counters.RtpSent} RTP");

            // Chromium's own view of the roles: it is the DTLS client and the ICE-controlled agent.
            Assert.Equal("client", summary.GetProperty("dtlsRole").GetString());
            Assert.Equal("connected", summary.GetProperty("dtlsState").GetString());
            Assert.Equal("controlled", summary.GetProperty("iceRole").GetString());
            Assert.Equal(320, summary.GetProperty("frameWidth").GetInt32());
            Assert.True(summary.GetProperty("audioSamples").GetInt64() > 0, "Chromium decoded no Opus");
            // Chromium checks us as a full agent does; our agent answered (its responses received, our counter).
            Assert.True(summary.GetProperty("checksAnswered").GetInt32() > 0, "Chromium got no answer to its own connectivity checks");
            Assert.True(transport.Counters.ChecksAnswered > 0);
            Assert.Equal(0, transport.Counters.SrtpRejected);
            Assert.True(listener.RtcpPackets > 0, "no SRTCP from Chromium decrypted with our server-side keys");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(playback);
        }
    }

    [Fact]
    public async Task With_a_fingerprint_that_is_not_our_certificate_Chromium_refuses_the_handshake_and_decodes_nothing()
    {
        // Negative control for the test above: the same offer and roles, but the offer's
        // fingerprint names another certificate than the one our DTLS server presents.
        await using var chromium = await Chromium.LaunchAsync(ChromiumArguments);
        var page = await chromium.OpenPageAsync(Page);
        var listener = new Listener();
        await using var connection = new MediaConnection(DtlsCertificate.Generate(), listener);
        PublishedTrackSpec[] tracks = [new("0", "audio", "mic", 0x50770021, null), new("1", "video", "camera", 0x50770022, 0x50770023)];

        RemoteTransport remote = await NegotiateAsync(page, connection, DtlsCertificate.Generate().Fingerprint, tracks);
        Assert.True(DtlsSetup.TryGetRoleFromAnswer(remote.Setup, out DtlsRole role, out string? problem), problem);
        Task connected = connection.ConnectAsync(remote, role);

        await Assert.ThrowsAnyAsync<Exception>(() => connected.WaitAsync(Timeout));
        Assert.Equal(WebRtcTransportCloseReason.DtlsFailed, connection.CloseReason);
        JsonElement summary = default;
        await Eventually.Until(
            async () => (summary = await SummaryAsync(page)).GetProperty("dtlsState").GetString() == "failed",
            Timeout,
            () => $"Chromium's DTLS to fail; last: {summary}");
        output.WriteLine($"Chromium: {summary}");
        Assert.Equal(0, summary.GetProperty("framesDecoded").GetInt32());
        Assert.Equal(0, summary.GetProperty("audioPackets").GetInt32());
    }

    /// <summary>Our publish offer → Chromium's answer (gathered, loopback candidates only) → what our transport needs.</summary>
    private async Task<RemoteTransport> NegotiateAsync(IPage page, MediaConnection connection, DtlsFingerprint offeredFingerprint, PublishedTrackSpec[] tracks)
    {
        string offer = PublishOfferWriter.Write(connection.LocalIce, offeredFingerprint, "sotto-test", "sotto-test-stream", tracks, 2);
        string answer = await page.EvaluateAsync<string>("offer => answer(offer)", offer);
        Assert.True(SessionDescription.TryParse(LoopbackCandidatesOnly(answer), out SessionDescription? description, out string? error), error);
        output.WriteLine("Chromium's answer: " + string.Join(" | ", answer.Split("\r\n").Where(l => l.StartsWith("a=setup", StringComparison.Ordinal) || l.StartsWith("a=candidate", StringComparison.Ordinal)).Distinct()));
        Assert.True(RemoteTransport.TryRead(description!, out RemoteTransport? remote, out string? problem), problem);
        return remote!;
    }

    /// <summary>Tests send only to loopback (COMMON rules): keep Chromium's 127.0.0.1 host candidates.</summary>
    private static string LoopbackCandidatesOnly(string sdp)
    {
        var kept = new StringBuilder();
        foreach (string line in sdp.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("a=candidate:", StringComparison.Ordinal) || line.Contains(" 127.0.0.1 ", StringComparison.Ordinal))
                kept.Append(line).Append("\r\n");
        }
        return kept.ToString();
    }

    private static async Task<JsonElement> SummaryAsync(IPage page) => JsonDocument.Parse(await page.EvaluateAsync<string>("summary()")).RootElement.Clone();

    /// <summary>Sends a file's frames in real time, unencrypted (no E2EE here: Chromium decodes them as they are).</summary>
    private static Task Play(IMediaSource source, RtpStreamSender sender, uint clockRate, CancellationToken cancellationToken) => Task.Run(
        async () =>
        {
            var clock = Stopwatch.StartNew();
            TimeSpan due = TimeSpan.Zero;
            foreach (MediaFrame frame in source.ReadFrames())
            {
                TimeSpan wait = due - clock.Elapsed;
                try
                {
                    if (wait > TimeSpan.Zero)
                        await Task.Delay(wait, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                sender.SendFrame(frame.Data.Span, (uint)(long)(due.TotalSeconds * clockRate));
                due += frame.Duration;
            }
        },
        CancellationToken.None);

    private sealed class Listener : IMediaConnectionListener
    {
        private long _rtcpPackets;

        public long RtcpPackets => Interlocked.Read(ref _rtcpPackets);

        public void OnConnected(MediaConnection connection)
        {
        }

        public void OnRtp(MediaConnection connection, Span<byte> packet)
        {
        }

        public void OnRtcp(MediaConnection connection, Span<byte> packet) => Interlocked.Increment(ref _rtcpPackets);

        public void OnClosed(MediaConnection connection, WebRtcTransportCloseReason reason)
        {
        }
    }
}
