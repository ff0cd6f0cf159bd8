using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sotto.Server;
using Sotto.Sfu;
using Sotto.Sfu.Stages;

namespace Sotto.Browser.Tests.Call;

/// <summary>
/// The real Sotto server in process: Kestrel on 127.0.0.1:0, the SFU on UDP 127.0.0.1:0, the web client
/// from the build output, and test-only media-path stages registered through DI (the only way in).
/// </summary>
internal sealed class CallServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CallServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>http://localhost:PORT/ — localhost, not 127.0.0.1, so the page is a secure context (getUserMedia, WebCrypto).</summary>
    public Uri BaseUri { get; }

    public SfuHost Sfu => _app.Services.GetRequiredService<SfuHost>();

    /// <param name="logs">when given, receives every log line of the server at every level (the E2EE tests search them)</param>
    /// <param name="services">test-only services (e.g. a request capture registered as an IStartupFilter)</param>
    public static async Task<CallServer> StartAsync(IEnumerable<IMediaPathStage>? stages = null, IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null, Action<IServiceCollection>? services = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Sotto:Media:Port"] = "0",
            ["Sotto:Media:BindAddress"] = "127.0.0.1",
            // Churn joins many times from one address.
            ["Sotto:JoinLimit"] = "10000",
            ["Logging:LogLevel:Default"] = logs is null ? "Warning" : "Trace",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            config[key] = value;
        var app = SottoHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
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
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new CallServer(app, new Uri($"http://localhost:{address.Port}/"));
    }

    /// <summary>A fresh room link with a link secret: /&lt;room&gt;#k=&lt;43 characters&gt;.</summary>
    public Uri NewRoomLink()
    {
        var room = "call-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new Uri(BaseUri, $"/{room}#k={secret}");
    }

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
}
