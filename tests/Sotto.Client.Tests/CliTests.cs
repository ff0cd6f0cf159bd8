using Sotto.Cli;

namespace Sotto.Client.Tests;

/// <summary>The <c>sotto</c> tool, run in process against the real server.</summary>
public sealed class CliTests
{
    private static async Task<(int Exit, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        int exit = await SottoCommandLine.RunAsync(args, output, input: null);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task Check_reports_success_against_a_running_Sotto()
    {
        await using var server = await TestServer.StartAsync();
        var (exit, output) = await Run("check", server.BaseUri.ToString(), "--timeout", "20", "--lang", "en");
        Assert.True(exit == 0, output);
        Assert.Contains("✔ The UDP media port", output, StringComparison.Ordinal);
        Assert.Contains("✔ The encrypted media connection completed", output, StringComparison.Ordinal);
        Assert.Contains("Verdict: calls will work from this network.", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Verdict: the server is up, but sound and video cannot flow from this network: its UDP port is closed")]
    [InlineData("ru", "Итог: сервер работает, но звук и видео не пройдут из этой сети")]
    public async Task Check_gives_a_clear_verdict_when_the_UDP_port_is_closed(string language, string verdict)
    {
        // The server announces 127.0.0.2 but listens on 127.0.0.1 only: its announced UDP port is closed.
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sotto:Media:AnnouncedAddress"] = "127.0.0.2" });
        var (exit, output) = await Run("check", server.BaseUri.ToString(), "--timeout", "3", "--lang", language);
        Assert.True(exit == 1, output);
        Assert.Contains(verdict, output, StringComparison.Ordinal);
        Assert.Contains("127.0.0.2:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("✔ The encrypted", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_says_the_server_cannot_be_reached_when_nothing_listens()
    {
        var (exit, output) = await Run("check", "http://127.0.0.1:9", "--timeout", "3", "--lang", "en");
        Assert.Equal(1, exit);
        Assert.Contains("Verdict: the server cannot be reached.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_prints_the_same_codes_as_the_other_participant_plays_a_file_and_records_decrypted_media()
    {
        await using var server = await TestServer.StartAsync();
        string link = server.NewRoomLink();
        await using var peer = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = "Peer" });
        await peer.PublishAsync([Fixtures.Audio(), Fixtures.Video()]);
        string record = Path.Combine(Path.GetTempPath(), "sotto-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            Task<(int, string)> cli = Run("join", link, "--name", "Cli", "--play", Fixtures.Path("sine-440hz.ogg"), "--record", record, "--duration", "8", "--lang", "en");
            string? cliId = null;
            await Eventually.TrueAsync(() => (cliId ??= peer.Members.FirstOrDefault()) is not null && peer.RoomCode is not null && peer.RemoteTracks.Any(t => t.FramesValid > 20), "the peer hears the CLI");
            string pair = string.Join("  ", peer.PairCode(cliId!)!.Select(e => $"{e.Emoji} {e.English}"));
            string room = string.Join("  ", peer.RoomCode!.Select(e => $"{e.Emoji} {e.English}"));
            var (exit, output) = await cli;
            Assert.True(exit == 0, output);
            Assert.Contains("Pair code with Peer", output, StringComparison.Ordinal);
            Assert.Contains(pair, output, StringComparison.Ordinal);
            Assert.Contains("Room safety code (2 people): " + room, output, StringComparison.Ordinal);
            Assert.Contains("Protected by link", output, StringComparison.Ordinal);

            // The recording holds what the CLI decrypted: files that parse as VP8 IVF and Ogg Opus.
            string ivf = Assert.Single(Directory.GetFiles(record, "*.ivf"));
            Assert.True(Sotto.Client.Media.IvfFileSource.TryOpen(ivf, loop: false, out var video, out string? problem), problem);
            Assert.True(video!.FrameCount > 10);
            Assert.Equal((320, 240), (video.Width, video.Height));
            string ogg = Assert.Single(Directory.GetFiles(record, "*.ogg"));
            Assert.True(Sotto.Client.Media.OggOpusFileSource.TryOpen(ogg, loop: false, out var audio, out problem), problem);
            Assert.True(audio!.FrameCount > 50);
        }
        finally
        {
            if (Directory.Exists(record))
                Directory.Delete(record, recursive: true);
        }
    }
}
