using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sotto.E2ee.Primitives;
using Sotto.Sfu.Stages;
using Sotto.Testing;

namespace Sotto.Client.Tests;

/// <summary>The real Sotto server in process (<see cref="InProcessServer"/>): Kestrel on 127.0.0.1:0, the SFU on UDP 127.0.0.1:0.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly InProcessServer _server;

    private TestServer(InProcessServer server) => _server = server;

    public Uri BaseUri => _server.BaseUri;

    public static async Task<TestServer> StartAsync(IDictionary<string, string?>? settings = null, IEnumerable<IMediaPathStage>? stages = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Sotto:JoinLimit"] = "10000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            config[key] = value;
        var server = await InProcessServer.StartAsync(config, builder =>
        {
            builder.Logging.ClearProviders();
            foreach (IMediaPathStage stage in stages ?? [])
                builder.Services.AddSingleton(stage); // test-only media-path stages: the only way in is DI
        });
        return new TestServer(server);
    }

    /// <summary>A fresh room with a link secret: http://127.0.0.1:PORT/&lt;room&gt;#k=&lt;43 characters&gt;.</summary>
    public string NewRoomLink(byte[]? secret = null)
    {
        string room = "quiet-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        return LinkFor(room, secret ?? RandomNumberGenerator.GetBytes(32));
    }

    public string LinkFor(string room, byte[]? secret) =>
        new Uri(BaseUri, "/" + room) + (secret is null ? "" : "#k=" + Base64Url.Encode(secret));

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
