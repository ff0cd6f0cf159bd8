using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sotto.Server;

namespace Sotto.Testing;

/// <summary>
/// The real Sotto host started in the test process, the one way every test project does it: Kestrel on
/// loopback port 0 and the SFU on its own free UDP port (many servers run at once in a test run), built by
/// <see cref="SottoHost.Build"/> like production. Test projects add their own settings, log providers and
/// test-only services (media-path stages come in through DI only).
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessServer(WebApplication app)
    {
        _app = app;
        Addresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses];
        BaseUri = new Uri(Addresses[0]);
    }

    /// <summary>Every address Kestrel listens on (e.g. HTTP and HTTPS), the first one first.</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>The first address, e.g. http://127.0.0.1:PORT/.</summary>
    public Uri BaseUri { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The settings every test server starts from; <c>settings</c> in <see cref="StartAsync"/> override them.</summary>
    public static Dictionary<string, string?> DefaultSettings(string bindAddress = "127.0.0.1") => new()
    {
        ["Urls"] = $"http://{bindAddress}:0",
        // Each server binds its own free UDP port on loopback.
        ["Sotto:Media:Port"] = "0",
        ["Sotto:Media:BindAddress"] = "127.0.0.1",
    };

    /// <param name="settings">configuration over <see cref="DefaultSettings"/> (null values are kept: they unset a key)</param>
    /// <param name="configure">anything else on the builder: log providers, test-only services</param>
    /// <param name="bindAddress">the HTTP listen address</param>
    public static async Task<InProcessServer> StartAsync(
        IEnumerable<KeyValuePair<string, string?>>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        string bindAddress = "127.0.0.1")
    {
        var config = DefaultSettings(bindAddress);
        foreach (var (key, value) in settings ?? [])
            config[key] = value;
        var app = SottoHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new InProcessServer(app);
    }

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
}
