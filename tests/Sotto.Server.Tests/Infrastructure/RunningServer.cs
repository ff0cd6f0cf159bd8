using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sotto.Rooms;

namespace Sotto.Server.Tests.Infrastructure;

/// <summary>The real Sotto host on Kestrel, loopback, port 0; fast timers unless a test overrides them.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app, CapturingLoggerProvider logs, Uri baseUri)
    {
        Addresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses];
        _app = app;
        Logs = logs;
        BaseUri = baseUri;
    }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>Every address Kestrel listens on (e.g. HTTP and HTTPS).</summary>
    public IReadOnlyList<string> Addresses { get; }

    public Uri BaseUri { get; }

    public Uri WebSocketUri => new($"ws://{BaseUri.Authority}/ws");

    public IServiceProvider Services => _app.Services;

    public RoomRegistry Rooms => _app.Services.GetRequiredService<RoomRegistry>();

    public static async Task<RunningServer> StartAsync(IDictionary<string, string?>? settings = null, string bindAddress = "127.0.0.1", LogLevel sottoLevel = LogLevel.Trace)
    {
        var logs = new CapturingLoggerProvider();
        var config = new Dictionary<string, string?>
        {
            ["Urls"] = $"http://{bindAddress}:0",
            ["Rooms:PasswordIterations"] = "1000",
            ["Sotto:KeepAliveInterval"] = "00:00:10",
            ["Sotto:CloseTimeout"] = "00:00:02",
            // Many servers run at once in this suite: each binds its own free UDP port.
            ["Sotto:Media:Port"] = "0",
            ["Sotto:Media:BindAddress"] = "127.0.0.1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            config[key] = value;

        var app = SottoHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.AddProvider(logs);
            builder.Logging.AddFilter<CapturingLoggerProvider>("Sotto", sottoLevel);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, logs, new Uri(address));
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseUri };

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
    }

    public static IPAddress Loopback2 => IPAddress.Parse("127.0.0.2");
}
