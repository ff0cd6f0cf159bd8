using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests;

/// <summary>
/// E2EE-SPEC §S12, bounded buffering: a member that stops reading while e2ee blobs (up to 96 KiB each) pile
/// up for it is dropped once its queue holds `Sotto:SendQueueBytes`, long before the event count limit.
/// </summary>
public sealed class SendQueueBytesTests
{
    private const string Room = "quiver-lantern-meadow-copper-thistle-wren";
    private const int Blobs = 120;
    private static readonly string Blob = new('b', 96 * 1024);

    private static Dictionary<string, string?> Settings => new()
    {
        ["Sotto:SendQueueBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Sotto:MessageRateLimit"] = "100000",
        // The count limit (1024) is far above the 120 blobs sent: only the byte bound can drop anyone.
    };

    [Fact]
    public async Task A_member_that_stops_reading_is_dropped_by_the_byte_bound_and_a_reading_member_gets_every_blob()
    {
        await using var server = await RunningServer.StartAsync(Settings);
        await using var sender = await SignalingClient.ConnectAsync(server);
        await sender.JoinAsync(Room);
        await using var reader = await SignalingClient.ConnectAsync(server);
        await reader.JoinAsync(Room);
        using var stalled = await JoinWithoutReadingAsync(server);
        var stalledId = (string?)(await sender.WaitForAsync(m => (string?)m["type"] == "participant-joined" && (string?)m["id"] != reader.Id))["id"];

        for (var i = 0; i < Blobs; i++)
            await sender.SendAsync(new { type = "e2ee", to = stalledId, blob = Blob });
        var left = await sender.WaitForAsync(m => (string?)m["type"] == "participant-left" && (string?)m["id"] == stalledId, TimeSpan.FromSeconds(30));
        Assert.Equal("dropped", (string?)left["reason"]);

        // Control: under the same bound a member that keeps up (never more than 5 blobs, ~480 KiB, waiting
        // for it) gets every one of the same 120 blobs and stays.
        for (var i = 0; i < Blobs; i += 5)
        {
            for (var j = 0; j < 5; j++)
                await sender.SendAsync(new { type = "e2ee", to = reader.Id, blob = Blob });
            var expected = i + 5;
            await Eventually(() => reader.Seen.Count(m => (string?)m["type"] == "e2ee") >= expected);
        }
        Assert.Equal(Blobs, reader.Seen.Count(m => (string?)m["type"] == "e2ee"));
        Assert.False(sender.HasSeen(m => (string?)m["type"] == "participant-left" && (string?)m["id"] == reader.Id));
        Assert.Equal("pong", (string?)(await reader.SyncAsync())["type"]);
    }

    /// <summary>Joins over a socket with a small receive buffer, reads up to `joined`, then never reads again.</summary>
    private static async Task<ClientWebSocket> JoinWithoutReadingAsync(RunningServer server)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                await s.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        using var invoker = new HttpMessageInvoker(handler);
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.WebSocketUri, invoker, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "join", room = Room })), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var text = new StringBuilder();
        while (!text.ToString().Contains("\"joined\"", StringComparison.Ordinal))
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        return socket;
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
