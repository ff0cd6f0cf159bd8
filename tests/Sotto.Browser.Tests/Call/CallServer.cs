using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sotto.Sfu;
using Sotto.Sfu.Stages;
using Sotto.Testing;

namespace Sotto.Browser.Tests.Call;

/// <summary>
/// The real Sotto server in process (<see cref="InProcessServer"/>): Kestrel on 127.0.0.1:0, the SFU on UDP
/// 127.0.0.1:0, the web client from the build output, and test-only media-path stages registered through DI
/// (the only way in).
/// </summary>
internal sealed class CallServer : IAsyncDisposable
{
    private readonly InProcessServer _server;

    private CallServer(InProcessServer server)
    {
        _server = server;
        BaseUri = new Uri($"http://localhost:{server.BaseUri.Port}/");
    }

    /// <summary>http://localhost:PORT/ — localhost, not 127.0.0.1, so the page is a secure context (getUserMedia, WebCrypto).</summary>
    public Uri BaseUri { get; }

    public SfuHost Sfu => _server.Services.GetRequiredService<SfuHost>();

    /// <param name="logs">when given, receives every log line of the server at every level (the E2EE tests search them)</param>
    /// <param name="services">test-only services (e.g. a request capture registered as an IStartupFilter)</param>
    public static async Task<CallServer> StartAsync(IEnumerable<IMediaPathStage>? stages = null, IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null, Action<IServiceCollection>? services = null)
    {
        var config = new Dictionary<string, string?>
        {
            // Churn joins many times from one address.
            ["Sotto:JoinLimit"] = "10000",
            ["Logging:LogLevel:Default"] = logs is null ? "Warning" : "Trace",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            config[key] = value;
        var server = await InProcessServer.StartAsync(config, builder =>
        {
            builder.Logging.ClearProviders();
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
                builder.Logging.SetMinimumLevel(LogLevel.Trace);
            }
            foreach (var stage in stages ?? [])
                builder.Services.AddSingleton(stage);
            services?.Invoke(builder.Services);
        });
        return new CallServer(server);
    }

    /// <summary>A fresh room link with a link secret: /&lt;room&gt;#k=&lt;43 characters&gt;.</summary>
    public Uri NewRoomLink()
    {
        var room = "call-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new Uri(BaseUri, $"/{room}#k={secret}");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
