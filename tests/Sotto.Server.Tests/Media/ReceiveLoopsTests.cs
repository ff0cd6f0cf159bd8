using Microsoft.Extensions.DependencyInjection;
using Sotto.Server.Tests.Infrastructure;
using Sotto.Sfu;

namespace Sotto.Server.Tests.Media;

/// <summary><c>Sotto:Media:ReceiveLoops</c>: several loops (SO_REUSEPORT sockets on the one port) carry media (its bounds: <see cref="MediaOptionsValidationTests"/>).</summary>
public sealed class ReceiveLoopsTests
{
    private const string Room = "receive-loops";

    [Fact]
    public async Task Media_flows_with_four_receive_loops_on_the_one_port()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:Media:ReceiveLoops"] = "4" });
        Assert.Equal(OperatingSystem.IsLinux() ? 4 : 1, server.Services.GetRequiredService<SfuHost>().Mux.ReceiveLoopCount);
        await using var pair = await MediaPair.StartAsync(server, Room);
        await pair.ExpectMediaAsync();
    }
}
