using Microsoft.Extensions.DependencyInjection;
using Sotto.Server.Tests.Infrastructure;
using Sotto.Sfu;

namespace Sotto.Server.Tests.Media;

/// <summary><c>Sotto:Media:ReceiveLoops</c>: checked at startup; several loops (SO_REUSEPORT sockets on the one port) carry media.</summary>
public sealed class ReceiveLoopsTests
{
    private const string Room = "receive-loops";

    [Theory]
    [InlineData("-1")]
    [InlineData("65")]
    public async Task A_bad_receive_loop_count_stops_the_server_at_startup_naming_the_setting(string value)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:Media:ReceiveLoops"] = value }));
        Assert.Contains("Sotto:Media:ReceiveLoops must be 0 (one per core) to 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Media_flows_with_four_receive_loops_on_the_one_port()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:Media:ReceiveLoops"] = "4" });
        Assert.Equal(OperatingSystem.IsLinux() ? 4 : 1, server.Services.GetRequiredService<SfuHost>().Mux.ReceiveLoopCount);
        await using var pair = await MediaPair.StartAsync(server, Room);
        await pair.ExpectMediaAsync();
    }
}
