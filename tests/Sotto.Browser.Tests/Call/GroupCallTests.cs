using System.Text.Json;
using Xunit.Abstractions;

namespace Sotto.Browser.Tests.Call;

/// <summary>
/// Issue 4: 2, 3 and 4 browsers in one room through the real call page and the real server. Every frame
/// is SFrame-encrypted by the page (there is no other path), so decoding proves the whole chain: link
/// secret → interim key → sender transform → SFU → receiver transform with the signalled owner slot.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class GroupCallTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Everyone_decodes_everyone_elses_video_and_receives_their_audio_through_sotto(int people)
    {
        await using var server = await CallServer.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var link = server.NewRoomLink();
        var participants = new List<CallParticipant>();
        try
        {
            for (var i = 0; i < people; i++)
                participants.Add(await CallParticipant.JoinAsync(chromium.Browser, link, Capture.Small, output));

            await CallAssert.EveryoneReceivesEveryoneAsync(participants, output);

            var port = server.Sfu.LocalEndPoint.Port;
            foreach (var p in participants)
            {
                var stats = await p.StatsAsync();
                Assert.Equal(port, stats.GetProperty("publish").GetProperty("remotePort").GetInt32());
                Assert.Equal(port, stats.GetProperty("subscribe").GetProperty("remotePort").GetInt32());
                var frames = stats.GetProperty("frames");
                output.WriteLine($"{p.Id}: frames {frames}");
                Assert.True(frames.GetProperty("encrypted").GetInt64() > 0);
                Assert.True(frames.GetProperty("decrypted").GetInt64() > 0);
            }
        }
        finally
        {
            foreach (var p in participants)
                await p.DisposeAsync();
        }
    }
}
