using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Sotto.Client.Media;
using Sotto.E2ee.Primitives;
using Sotto.Transport;

namespace Sotto.Client;

/// <summary>How far a connectivity check got; each step needs the one before.</summary>
public enum CheckStep
{
    /// <summary>Nothing worked: the server's web address does not answer.</summary>
    None,
    /// <summary>GET /healthz answered "ok".</summary>
    Reachable,
    /// <summary>The /ws signaling connection greeted us and seated us in a throwaway room.</summary>
    Signaling,
    /// <summary>The server's UDP media port answered our ICE checks.</summary>
    UdpOpen,
    /// <summary>DTLS completed and SRTP keys are installed: media can flow.</summary>
    MediaReady,
}

/// <summary>The outcome: how far the check got, details for the steps that worked, and what failed.</summary>
public sealed record CheckReport(CheckStep Reached, TimeSpan? HttpTime, string? MediaAddress, string? SrtpProfile, TimeSpan? DtlsTime, string? Failure)
{
    public bool Success => Reached == CheckStep.MediaReady;
}

/// <summary>
/// <c>sotto check</c>: is a Sotto server reachable, and can media flow from here? It walks the
/// path a call takes — HTTP, the signaling WebSocket, a join into a random throwaway room (a
/// 66-bit name nobody else uses, so no one's call is touched), a publish, ICE to the UDP media
/// port, DTLS-SRTP — and stops at the first step that fails.
/// </summary>
public static class ConnectivityCheck
{
    public static async Task<CheckReport> RunAsync(Uri server, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = timeout };
        var stopwatch = Stopwatch.StartNew();
        try
        {
            string health = await http.GetStringAsync(new Uri(server, "/healthz"), cancellationToken).ConfigureAwait(false);
            if (health.Trim() != "ok")
                return new CheckReport(CheckStep.None, null, null, null, null, $"/healthz answered \"{health.Trim()}\", not \"ok\": this is probably not a Sotto server");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return new CheckReport(CheckStep.None, null, null, null, null, exception.Message);
        }
        TimeSpan httpTime = stopwatch.Elapsed;

        string room = "check-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(9)).ToLowerInvariant();
        string link = new Uri(server, "/" + room) + "#k=" + Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
        HeadlessParticipant participant;
        try
        {
            participant = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = "sotto check", Timeout = timeout }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or JoinRefusedException or InvalidDataException)
        {
            return new CheckReport(CheckStep.Reachable, httpTime, null, null, null, exception.Message);
        }

        await using (participant.ConfigureAwait(false))
        {
            try
            {
                await participant.PublishAsync([new SilenceSource()], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException or TimeoutException)
            {
                MediaConnection? connection = participant.PublishConnection;
                string? address = connection?.Transport?.RemoteEndPoint?.ToString();
                // Still checking (or closed while checking): the UDP port never answered. Past ICE: DTLS failed.
                bool iceDone = connection?.Transport?.State is WebRtcTransportState.DtlsHandshaking or WebRtcTransportState.Connected
                    || connection?.CloseReason is WebRtcTransportCloseReason.DtlsFailed or WebRtcTransportCloseReason.DtlsClosedByPeer;
                return new CheckReport(iceDone ? CheckStep.UdpOpen : CheckStep.Signaling, httpTime, address, null, null, exception.Message);
            }
            WebRtcTransport transport = participant.PublishConnection!.Transport!;
            var report = new CheckReport(CheckStep.MediaReady, httpTime, transport.RemoteEndPoint?.ToString(), transport.SrtpProfile?.ToString(), transport.DtlsHandshakeTime, null);
            await participant.LeaveAsync(cancellationToken).ConfigureAwait(false);
            return report;
        }
    }
}
