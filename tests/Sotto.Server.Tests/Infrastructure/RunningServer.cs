using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sotto.Rooms;
using Sotto.Testing;

namespace Sotto.Server.Tests.Infrastructure;

/// <summary>The real Sotto host on Kestrel, loopback, port 0 (<see cref="InProcessServer"/>); fast timers unless a test overrides them.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly InProcessServer _server;

    private RunningServer(InProcessServer server, CapturingLoggerProvider logs)
    {
        _server = server;
        Logs = logs;
    }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>Every address Kestrel listens on (e.g. HTTP and HTTPS).</summary>
    public IReadOnlyList<string> Addresses => _server.Addresses;

    public Uri BaseUri => _server.BaseUri;

    public Uri WebSocketUri => new($"ws://{BaseUri.Authority}/ws");

    public IServiceProvider Services => _server.Services;

    public RoomRegistry Rooms => Services.GetRequiredService<RoomRegistry>();

    public static async Task<RunningServer> StartAsync(IDictionary<string, string?>? settings = null, string bindAddress = "127.0.0.1", LogLevel sottoLevel = LogLevel.Trace)
    {
        var logs = new CapturingLoggerProvider();
        var config = new Dictionary<string, string?>
        {
            ["Rooms:PasswordIterations"] = "1000",
            ["Sotto:KeepAliveInterval"] = "00:00:10",
            ["Sotto:CloseTimeout"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            config[key] = value;

        var server = await InProcessServer.StartAsync(config, builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.AddFilter<CapturingLoggerProvider>("Sotto", sottoLevel);
        }, bindAddress);
        return new RunningServer(server, logs);
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseUri };

    public Task StopAsync() => _server.StopAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    public static IPAddress Loopback2 => IPAddress.Parse("127.0.0.2");
}
