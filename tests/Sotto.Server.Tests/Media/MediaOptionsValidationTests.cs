using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests.Media;

/// <summary>Every <c>Sotto:Media</c> setting the SFU cannot honour stops the server at startup with a message naming it.</summary>
public sealed class MediaOptionsValidationTests
{
    [Theory]
    [InlineData("MaxParticipantsPerRoom", "0", "Sotto:Media:MaxParticipantsPerRoom must be at least 1")]
    [InlineData("MaxParticipantsPerRoom", "-5", "Sotto:Media:MaxParticipantsPerRoom must be at least 1")]
    [InlineData("MaxParticipantsPerRoom", "many", "Sotto:Media:MaxParticipantsPerRoom")]
    [InlineData("ReceiveLoops", "-1", "Sotto:Media:ReceiveLoops must be 0 (one per core) to 64")]
    [InlineData("ReceiveLoops", "65", "Sotto:Media:ReceiveLoops must be 0 (one per core) to 64")]
    [InlineData("RetransmissionHistory", "00:00:00.050", "Sotto:Media:RetransmissionHistory must be from 00:00:00.1 to 00:00:10")]
    [InlineData("RetransmissionHistory", "00:00:11", "Sotto:Media:RetransmissionHistory must be from 00:00:00.1 to 00:00:10")]
    public async Task A_bad_value_stops_the_server_at_startup_naming_the_setting(string setting, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RunningServer.StartAsync(new Dictionary<string, string?> { ["Sotto:Media:" + setting] = value }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
