using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.FileProviders;
using OpenTelemetry.Metrics;
using Sotto.Rooms;
using Sotto.Server.Abuse;
using Sotto.Server.Http;
using Sotto.Server.Media;
using Sotto.Sfu;
using Sotto.Sfu.Stages;
using Sotto.Server.Observability;
using Sotto.Server.Options;
using Sotto.Server.Signaling;

namespace Sotto.Server;

/// <summary>
/// Builds the Sotto web application: the same code path for <c>dotnet run</c>, a published build and the
/// tests (which add configuration and log providers through <c>configure</c>).
/// </summary>
public static class SottoHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        if (!RoomKey.IsNormalizationAvailable())
        {
            throw new InvalidOperationException(
                "Unicode normalization is unavailable (globalization-invariant mode or no libicu): room names would not match. Install libicu.");
        }

        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        SelfSignedHttps.Apply(builder);
        // Request paths carry room names ("/<room>"): ASP.NET's request logs and the RequestPath scope it
        // attaches to every line of a request must never be written. Registered last, so it wins over config.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // These log the request path at Debug/Trace; keep them to warnings and above.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.StaticFiles", LogLevel.Warning);

        var sotto = builder.Configuration.GetSection(SottoOptions.SectionName).Get<SottoOptions>() ?? new SottoOptions();
        var roomsOptions = builder.Configuration.GetSection(RoomsOptions.SectionName).Get<RoomsOptions>() ?? new RoomsOptions();
        var mediaOptions = builder.Configuration.GetSection(MediaOptions.SectionName).Get<MediaOptions>() ?? new MediaOptions();
        mediaOptions.Validate();
        // Signaling and media must agree on a room's size: a member the SFU would refuse is refused by
        // the room (room-full) before it is seated, never seated without media.
        var configuredRoomSize = roomsOptions.MaxParticipantsPerRoom;
        roomsOptions.MaxParticipantsPerRoom = Math.Min(configuredRoomSize, mediaOptions.MaxParticipantsPerRoom);
        var webRoot = Path.GetFullPath(sotto.WebRoot ?? Path.Combine(AppContext.BaseDirectory, "web"));

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        var services = builder.Services;
        services.AddSingleton(sotto);
        services.AddSingleton(roomsOptions);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RoomNameHasher>();
        services.AddSingleton(sp => new RoomRegistry(roomsOptions, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<RoomNameHasher>()));
        services.AddSingleton(sp => new AbuseGuards(sotto, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ConnectionTracker>();
        services.AddSingleton(mediaOptions);
        // Test-only media stages come from DI (test projects register them); no setting turns one on.
        services.AddSingleton(sp => new SfuHost(mediaOptions.ToSfuOptions(), sp.GetServices<IMediaPathStage>()));
        services.AddSingleton(sp => new MediaSessions(sp.GetRequiredService<SfuHost>()));
        services.AddSingleton<SottoMetrics>();
        services.AddSingleton(sp => new SignalingServices(
            sp.GetRequiredService<RoomRegistry>(), roomsOptions, sotto, sp.GetRequiredService<AbuseGuards>(),
            sp.GetRequiredService<SottoMetrics>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sotto.Server.Signaling"),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<MediaSessions>()));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(SottoMetrics.MeterName).AddPrometheusExporter());
        services.Configure<ForwardedHeadersOptions>(options => ConfigureForwarding(options, sotto));

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sotto.Server");
        var registry = app.Services.GetRequiredService<RoomRegistry>();
        // Bind the media port now, with the server, not on the first call.
        var sfu = app.Services.GetRequiredService<SfuHost>();
        registry.RoomClosed += room => ServerLog.RoomClosed(logger, room.LogId);

        if (sotto.TrustedProxies.Length > 0)
            app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseStatusCodePages("text/plain; charset=utf-8", "{0}");
        app.UseWebSockets();

        var hasWebRoot = Directory.Exists(webRoot);
        if (hasWebRoot)
        {
            var files = new PhysicalFileProvider(webRoot);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                // Always revalidate: a security fix to the client must reach users on their next load.
                OnPrepareResponse = static ctx => ctx.Context.Response.Headers.CacheControl = "no-cache",
            });
        }
        // Routing after static files, so "/{room}" never shadows a real file.
        app.UseRouting();

        app.MapGet("/healthz", static () => Results.Text("ok", "text/plain"));
        app.MapPrometheusScrapingEndpoint("/metrics");
        var signaling = app.Services.GetRequiredService<SignalingServices>();
        var tracker = app.Services.GetRequiredService<ConnectionTracker>();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        app.Map("/ws", context => SignalingEndpoint.HandleAsync(context, signaling, tracker, sotto, lifetime));
        app.MapRoomNameApi();
        if (hasWebRoot)
        {
            // A room link https://host/<room>#k=… loads the client; the room name stays in the path only.
            var index = Path.Combine(webRoot, "index.html");
            app.MapGet("/{room}", (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                return Results.File(index, "text/html; charset=utf-8");
            });
        }

        lifetime.ApplicationStarted.Register(() =>
        {
            ServerLog.MediaListening(logger, sfu.LocalEndPoint.Port, sfu.AnnouncedEndPoint.ToString());
            if (configuredRoomSize > roomsOptions.MaxParticipantsPerRoom)
                ServerLog.RoomSizeLimitedByMedia(logger, configuredRoomSize, roomsOptions.MaxParticipantsPerRoom);
            if (hasWebRoot)
                ServerLog.Started(logger, webRoot);
            else
                ServerLog.WebRootMissing(logger, webRoot);
        });
        lifetime.ApplicationStopping.Register(() => ServerLog.ShuttingDown(logger, tracker.NotifyShutdown()));
        return app;
    }

    private static void ConfigureForwarding(ForwardedHeadersOptions options, SottoOptions sotto)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // ASP.NET trusts loopback by default; Sotto trusts only what the operator lists.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in sotto.TrustedProxies)
        {
            if (entry.Contains('/', StringComparison.Ordinal))
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
            else
                options.KnownProxies.Add(IPAddress.Parse(entry));
        }
    }
}
