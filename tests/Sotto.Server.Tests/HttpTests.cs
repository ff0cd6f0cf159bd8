using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests;

public sealed class HttpTests
{
    public static TheoryData<string, HttpStatusCode> Paths => new()
    {
        { "/", HttpStatusCode.OK },
        { "/app.js", HttpStatusCode.OK },
        { "/style.css", HttpStatusCode.OK },
        { "/some-room-name", HttpStatusCode.OK },
        { "/healthz", HttpStatusCode.OK },
        { "/no/such/page", HttpStatusCode.NotFound },
        { "/ws", HttpStatusCode.UpgradeRequired },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Security_headers_are_on_every_response(string path, HttpStatusCode status)
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.CreateHttpClient();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(status, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        Assert.StartsWith("default-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("http", csp, StringComparison.Ordinal); // no other origin
        Assert.DoesNotContain("*", csp, StringComparison.Ordinal);
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        var permissions = Header(response, "Permissions-Policy");
        Assert.Contains("camera=(self)", permissions, StringComparison.Ordinal);
        Assert.Contains("microphone=(self)", permissions, StringComparison.Ordinal);
        Assert.Contains("display-capture=(self)", permissions, StringComparison.Ordinal);
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Opener-Policy"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS only over HTTPS");
        Assert.False(response.Headers.Contains("Server"), "no server banner");
    }

    [Theory]
    [InlineData("/e2ee/testing/relay.js")]
    [InlineData("/e2ee/testdata/sframe-rfc9605.json")]
    [InlineData("/e2ee/sframe.test.js")]
    [InlineData("/e2ee/browser-check/run.mjs")]
    [InlineData("/e2ee/package.json")]
    public async Task Test_only_files_in_web_are_not_served(string path)
    {
        // Positive control: the module beside them is served, so a 404 below means "excluded", not "wrong path".
        await using var server = await RunningServer.StartAsync();
        using var http = server.CreateHttpClient();
        using var control = await http.GetAsync(new Uri("/e2ee/sframe.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, control.StatusCode);
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_home_page_and_a_room_link_serve_the_client_without_inline_scripts()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.CreateHttpClient();
        var home = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        var room = await http.GetStringAsync(new Uri("/stage-deny-youth-plunge-book-shift", UriKind.Relative));
        Assert.Equal(home, room);
        Assert.Contains("<script type=\"module\" src=\"/app.js\"></script>", home, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", home, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", home, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suggested_names_are_strong_and_typed_names_get_the_servers_estimate()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.CreateHttpClient();
        var suggestion = (await http.GetFromJsonAsync<JsonObject>(new Uri("/api/rooms/suggest", UriKind.Relative)))!;
        var name = (string)suggestion["name"]!;
        Assert.Equal(6, name.Split('-').Length);
        Assert.True((double)suggestion["bits"]! >= 64);

        var strong = await Strength(http, name);
        Assert.False((bool)strong["weak"]!);
        var weak = await Strength(http, "qwerty2024");
        Assert.True((bool)weak["weak"]!);
        Assert.Contains("keyboard-pattern", weak["reasons"]!.AsArray().Select(r => (string?)r));
        Assert.Contains("date", weak["reasons"]!.AsArray().Select(r => (string?)r));
        Assert.False((bool)(await Strength(http, "%zz"))["valid"]!);

        using var tooBig = await http.PostAsync(new Uri("/api/rooms/strength", UriKind.Relative), JsonContent.Create(new { name = new string('a', 5000) }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
    }

    [Fact]
    public async Task Forwarded_addresses_count_only_from_configured_trusted_proxies()
    {
        // Untrusted: X-Forwarded-For is ignored, so varying it does not escape the per-address join limit.
        await using (var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:JoinLimit"] = "1" }))
        {
            await using var first = await Connect(server, "203.0.113.1");
            await first.JoinAsync("forwarded-a");
            await using var second = await Connect(server, "203.0.113.2");
            Assert.Equal("join-rate-limited", (string?)(await second.RequestAsync(new { type = "join", room = "forwarded-b" }))["code"]);
        }
        // Trusted loopback proxy: each forwarded client has its own budget.
        await using (var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sotto:JoinLimit"] = "1",
            ["Sotto:TrustedProxies:0"] = "127.0.0.1",
        }))
        {
            await using var first = await Connect(server, "203.0.113.1");
            await first.JoinAsync("forwarded-a");
            await using var second = await Connect(server, "203.0.113.2");
            await second.JoinAsync("forwarded-b");
        }
    }

    [Fact]
    public async Task Shutdown_tells_connected_clients_before_closing()
    {
        await using var server = await RunningServer.StartAsync();
        await using var a = await SignalingClient.ConnectAsync(server);
        await a.JoinAsync("shutdown-room-name");
        var stopping = server.StopAsync();
        await a.WaitForTypeAsync("server-shutdown");
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, await a.WaitClosedAsync());
        await stopping.WaitAsync(SignalingClient.DefaultTimeout);
    }

    private static Task<SignalingClient> Connect(RunningServer server, string forwardedFor) =>
        SignalingClient.ConnectAsync(server, configure: o => o.SetRequestHeader("X-Forwarded-For", forwardedFor));

    private static async Task<JsonObject> Strength(HttpClient http, string name)
    {
        using var response = await http.PostAsync(new Uri("/api/rooms/strength", UriKind.Relative), JsonContent.Create(new { name }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content)
        : throw new Xunit.Sdk.XunitException($"missing header {name} on {response.RequestMessage?.RequestUri}");
}
