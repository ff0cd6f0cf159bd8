using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Sotto.Server.Abuse;
using Sotto.Server.Observability;
using Sotto.Server.Options;

namespace Sotto.Server.Signaling;

/// <summary>GET /ws: checks the Origin, upgrades, and runs one <see cref="SignalingConnection"/>.</summary>
internal static class SignalingEndpoint
{
    public static async Task HandleAsync(
        HttpContext context, SignalingServices services, ConnectionTracker tracker, SottoOptions settings,
        Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime)
    {
        var addressForLog = settings.LogClientAddresses ? context.Connection.RemoteIpAddress?.ToString() ?? "?" : "-";
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }
        if (!IsOriginAllowed(context.Request, settings))
        {
            ServerLog.OriginRefused(services.Logger, addressForLog);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var upgrade = new LingeringUpgradeFeature(context.Features.GetRequiredFeature<IHttpUpgradeFeature>());
        context.Features.Set<IHttpUpgradeFeature>(upgrade);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = settings.KeepAliveInterval,
            KeepAliveTimeout = settings.KeepAliveInterval,
            DangerousEnableCompression = false, // compression + secrets invites CRIME-style attacks
        });
        var connection = new SignalingConnection(
            socket, services, tracker.NextId(), ClientAddressKey.For(context.Connection.RemoteIpAddress), addressForLog,
            context.RequestAborted);
        tracker.Add(connection);
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            tracker.Remove(connection);
            var aborted = socket.State == WebSocketState.Aborted;
            socket.Dispose();
            if (upgrade.Stream is { } stream)
                await stream.CloseAsync(aborted, settings.CloseTimeout);
        }
    }

    /// <summary>
    /// Browsers always send Origin on a WebSocket handshake: it must be this server's own authority
    /// (host and port, as the browser saw them) or one configured in Sotto:AllowedOrigins. Non-browser
    /// clients send none; they are accepted unless Sotto:RequireOrigin is set.
    /// </summary>
    internal static bool IsOriginAllowed(HttpRequest request, SottoOptions settings)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return !settings.RequireOrigin;
        foreach (var allowed in settings.AllowedOrigins)
        {
            if (string.Equals(allowed.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return false;
        var host = request.Host;
        if (!host.HasValue)
            return false;
        var requestPort = host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase)
            && (uri.Port == requestPort || (host.Port is null && uri.IsDefaultPort));
    }
}
