using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests;

/// <summary>
/// Logs hold no room names, IPs or tokens by default (DESIGN.md §1.3). The client connects from 127.0.0.2
/// while the server listens on 127.0.0.1, so the client's address is a string that cannot appear by accident.
/// </summary>
public sealed class LogPrivacyTests
{
    // Distinctive, so a substring search cannot match anything else.
    private const string RoomName = "zebra-quantum-privacy-canary-7431-sotto";
    private const string ClientAddress = "127.0.0.2";

    private static async Task<(string Logs, string[] Secrets)> RunSessionAsync(Dictionary<string, string?>? settings = null)
    {
        var secrets = new List<string> { RoomName, Uri.EscapeDataString(RoomName) };
        string logs;
        await using (var server = await RunningServer.StartAsync(settings))
        {
            await using var a = await SignalingClient.ConnectAsync(server, from: RunningServer.Loopback2);
            await using var b = await SignalingClient.ConnectAsync(server, from: RunningServer.Loopback2);
            await a.JoinAsync(RoomName);
            await b.JoinAsync(RoomName);
            secrets.Add(a.ResumeToken!);
            secrets.Add(b.ResumeToken!);
            await a.SendAsync(new { type = "e2ee", to = b.Id, blob = "blob-canary-payload" });
            await b.WaitForTypeAsync("e2ee");
            await a.SendRawAsync("{\"type\":\"bogus\"}");
            await a.WaitForTypeAsync("error");
            await a.RequestAsync(new { type = "set-password", password = "password-canary" });
            await b.RequestAsync(new { type = "leave" });
            await b.RequestAsync(new { type = "join", room = RoomName, password = "wrong-canary" });
            await a.RequestAsync(new { type = "lock", locked = true });
            await a.RequestAsync(new { type = "leave" });
            using var http = server.CreateHttpClient();
            await http.GetAsync(new Uri("/" + RoomName, UriKind.Relative));
            await server.StopAsync();
            logs = server.Logs.AllText;
        }
        secrets.AddRange(["blob-canary-payload", "password-canary", "wrong-canary"]);
        return (logs, [.. secrets]);
    }

    private static string[] Leaks(string logs, IEnumerable<string> secrets) =>
        [.. secrets.Where(s => logs.Contains(s, StringComparison.OrdinalIgnoreCase))];

    [Fact]
    public async Task A_session_logs_neither_the_room_name_nor_the_client_address_nor_tokens()
    {
        // Everything at Trace, every category: the strictest capture the host can produce.
        var (logs, secrets) = await RunSessionAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        });
        Assert.Contains("took slot", logs, StringComparison.Ordinal); // the session was logged at all
        Assert.True(Leaks(logs, secrets).Length == 0, string.Join('\n', logs.Split('\n').Where(l => Leaks(l, secrets).Length > 0)));
        Assert.DoesNotContain(ClientAddress, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Positive_control_the_check_finds_a_client_address_when_the_operator_opts_in()
    {
        var (logs, _) = await RunSessionAsync(new Dictionary<string, string?> { ["Sotto:LogClientAddresses"] = "true" });
        Assert.Contains(ClientAddress, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Positive_control_the_capture_sees_a_room_name_that_reaches_any_logger()
    {
        await using var server = await RunningServer.StartAsync();
        var logger = server.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sotto.Server.Signaling");
        logger.Log(LogLevel.Information, new EventId(0), RoomName, null, static (name, _) => "joined " + name);
        Assert.Equal([RoomName], Leaks(server.Logs.AllText, [RoomName, "never-logged"]));
    }

    [Fact]
    public async Task Rooms_appear_in_logs_as_a_stable_keyed_hash()
    {
        await using var server = await RunningServer.StartAsync();
        await using var a = await SignalingClient.ConnectAsync(server);
        await a.JoinAsync(RoomName);
        Assert.True(server.Rooms.TryFind(MembershipTests.Key(RoomName), out var room));
        Assert.Matches("^[0-9a-f]{16}$", room.LogId);
        // The line is written just after the reply is queued: wait for it rather than race it.
        await MembershipTests.WaitUntil(() => server.Logs.AllText.Contains(room.LogId, StringComparison.Ordinal));
    }
}
