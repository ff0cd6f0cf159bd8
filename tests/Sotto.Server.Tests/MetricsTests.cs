using Sotto.Server.Tests.Infrastructure;

namespace Sotto.Server.Tests;

/// <summary>
/// OpenTelemetry listens to meters by name process-wide, so gauges of servers started by other tests at
/// the same moment would mix into this scrape. This collection runs alone, after the parallel ones.
/// </summary>
[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;

[Collection(nameof(MetricsCollection))]
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_are_prometheus_text_with_aggregates_and_no_room_names()
    {
        const string room = "metrics-canary-room-name-5521";
        await using var server = await RunningServer.StartAsync();
        await using var a = await SignalingClient.ConnectAsync(server);
        await a.JoinAsync(room);
        await a.SendRawAsync("{\"type\":\"bogus\"}");
        await a.WaitForTypeAsync("error");
        using var http = server.CreateHttpClient();
        string text = "";
        await MembershipTests.WaitUntil(() =>
        {
            text = http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).GetAwaiter().GetResult();
            return text.Contains("sotto_rooms{", StringComparison.Ordinal) && text.Contains("code=\"unknown-type\"", StringComparison.Ordinal);
        });
        Assert.Matches(@"(?m)^sotto_rooms\{[^}]*\} 1", text);
        Assert.Matches(@"(?m)^sotto_participants\{[^}]*\} 1", text);
        Assert.Contains("sotto_signaling_messages_total{", text, StringComparison.Ordinal);
        Assert.DoesNotContain(room, text, StringComparison.Ordinal);
        Assert.DoesNotContain(a.Id!, text, StringComparison.Ordinal);
    }
}
