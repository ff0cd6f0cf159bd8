using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sotto.E2ee.Primitives;
using Sotto.Server;
using Sotto.Sfu.Stages;

namespace Sotto.Client.Tests;

/// <summary>The real Sotto server in process: Kestrel on 127.0.0.1:0, the SFU on UDP 127.0.0.1:0.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public static async Task<TestServer> StartAsync(IDictionary<string, string?>? settings = null, IEnumerable<IMediaPathStage>? stages = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Sotto:Media:Port"] = "0",
            ["Sotto:Media:BindAddress"] = "127.0.0.1",
            ["Sotto:JoinLimit"] = "10000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            config[key] = value;
        var app = SottoHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.ClearProviders();
            foreach (IMediaPathStage stage in stages ?? [])
                builder.Services.AddSingleton(stage); // test-only media-path stages: the only way in is DI
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new TestServer(app, address);
    }

    /// <summary>A fresh room with a link secret: http://127.0.0.1:PORT/&lt;room&gt;#k=&lt;43 characters&gt;.</summary>
    public string NewRoomLink(byte[]? secret = null)
    {
        string room = "quiet-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        return LinkFor(room, secret ?? RandomNumberGenerator.GetBytes(32));
    }

    public string LinkFor(string room, byte[]? secret) =>
        new Uri(BaseUri, "/" + room) + (secret is null ? "" : "#k=" + Base64Url.Encode(secret));

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
