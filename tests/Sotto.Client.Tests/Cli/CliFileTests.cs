using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Sotto.Client.Tests.Cli;

/// <summary>
/// Files at the terminal (docs/e2ee.md §S10, the guide's "never download incoming files
/// automatically"), through the real server: an offer is only printed; <c>/accept n</c> fetches it and
/// saves it once checked, under a safe name inside the directory, never over another file;
/// <c>/decline n</c> fetches nothing; <c>/send path</c> offers a local file to the room.
/// </summary>
public sealed class CliFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sotto-cli-files-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    /// <summary>The CLI with a peer whose channel to it is established both ways.</summary>
    private static async Task<(CliSession Cli, HeadlessParticipant Peer, string CliId)> StartPairAsync(TestServer server, string link, params string[] more)
    {
        var cli = CliSession.Join(link, ["--name", "Cli", .. more]);
        await cli.WaitForAsync("Joined room");
        var peer = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = "Peer" });
        string? cliId = null;
        await Eventually.TrueAsync(() => (cliId ??= peer.Members.FirstOrDefault()) is { } id && peer.PeerStatus(id) == "established", "the peer's channel to the CLI");
        await cli.WaitForAsync("Pair code with Peer");
        return (cli, peer, cliId!);
    }

    private static string Offer(HeadlessParticipant peer, string to, string name, byte[] data) =>
        Assert.Single(peer.OfferFile([to], name, data)).Value;

    [Fact]
    public async Task An_offer_writes_nothing_until_accept_then_saves_identical_bytes_under_safe_names_that_never_overwrite()
    {
        string record = Path.Combine(_root, "in", "box");
        Directory.CreateDirectory(record);
        await using var server = await TestServer.StartAsync();
        string link = server.NewRoomLink();
        var (cli, peer, cliId) = await StartPairAsync(server, link, "--record", record);
        await using (cli)
        await using (peer)
        {
            byte[] first = RandomNumberGenerator.GetBytes(200_000); // four chunks
            Offer(peer, cliId, "report.pdf", first);
            await cli.WaitForAsync("offers report.pdf (195 KB) — /accept 1 or /decline 1");
            Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));

            cli.Type("/accept 1");
            await cli.WaitForAsync("Saved report.pdf from Peer");
            Assert.Equal(first, await File.ReadAllBytesAsync(Path.Combine(record, "report.pdf")));

            // The same name again: a new file beside it, the first one untouched.
            byte[] second = RandomNumberGenerator.GetBytes(70_000);
            Offer(peer, cliId, "report.pdf", second);
            await cli.WaitForAsync("/accept 2 or /decline 2");
            cli.Type("/accept 2");
            await cli.WaitForAsync(() => cli.Output.Count("Saved report.pdf from Peer") == 2, "the second report.pdf");
            Assert.Equal(second, await File.ReadAllBytesAsync(Path.Combine(record, "report (1).pdf")));
            Assert.Equal(first, await File.ReadAllBytesAsync(Path.Combine(record, "report.pdf")));

            // Hostile names land as plain, visible names inside the directory.
            byte[] escape = RandomNumberGenerator.GetBytes(1_000);
            byte[] hidden = RandomNumberGenerator.GetBytes(1_000);
            Offer(peer, cliId, "../../x", escape);
            Offer(peer, cliId, ".bashrc", hidden);
            await cli.WaitForAsync("/accept 4 or /decline 4");
            cli.Type("/accept 3");
            cli.Type("/accept 4");
            await cli.WaitForAsync(() => cli.Output.Count("Saved ") == 4, "the hostile names saved");
            Assert.Equal(escape, await File.ReadAllBytesAsync(Path.Combine(record, "_._x")));
            Assert.Equal(hidden, await File.ReadAllBytesAsync(Path.Combine(record, "bashrc")));

            // Declined: nothing comes. The file offered after it is accepted and arrives (the control):
            // had the declined one been fetched, it would have come first.
            Offer(peer, cliId, "declined.txt", RandomNumberGenerator.GetBytes(5_000));
            await cli.WaitForAsync("/accept 5 or /decline 5");
            cli.Type("/decline 5");
            await cli.WaitForAsync("Declined declined.txt.");
            byte[] after = RandomNumberGenerator.GetBytes(5_000);
            Offer(peer, cliId, "after.txt", after);
            await cli.WaitForAsync("/accept 6 or /decline 6");
            cli.Type("/accept 6");
            await cli.WaitForAsync("Saved after.txt from Peer");
            Assert.Equal(after, await File.ReadAllBytesAsync(Path.Combine(record, "after.txt")));
            cli.Type("/accept 5");
            await cli.WaitForAsync("File offer 5 was already accepted or declined.");

            // Everything written is inside the directory, and nothing else was written anywhere under the root.
            string[] written = [.. Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(record, f)).Order(StringComparer.Ordinal)];
            Assert.Equal(["_._x", "after.txt", "bashrc", "report (1).pdf", "report.pdf"], written);

            // A risky type is flagged at the offer.
            Offer(peer, cliId, "setup.exe", RandomNumberGenerator.GetBytes(100));
            await cli.WaitForAsync("⚠ setup.exe is a type that can run code or scripts when opened");
            Assert.Equal(0, await cli.QuitAsync());
            Assert.Equal(5, Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Length);
        }
    }

    [Fact]
    public async Task Send_offers_a_local_file_that_a_participant_accepts_with_identical_bytes()
    {
        Directory.CreateDirectory(_root);
        string path = Path.Combine(_root, "заметки notes.bin");
        byte[] data = RandomNumberGenerator.GetBytes(150_000);
        await File.WriteAllBytesAsync(path, data);
        await using var server = await TestServer.StartAsync();
        string link = server.NewRoomLink();
        var (cli, peer, cliId) = await StartPairAsync(server, link);
        await using (cli)
        await using (peer)
        {
            var offers = new ConcurrentQueue<CallEvent>();
            var complete = new ConcurrentQueue<CallEvent>();
            peer.Event += (_, e) =>
            {
                if (e.Kind == CallEventKind.FileOffered)
                    offers.Enqueue(e);
                else if (e.Kind == CallEventKind.FileComplete)
                    complete.Enqueue(e);
            };

            cli.Type("/send " + Path.Combine(_root, "missing.bin"));
            await cli.WaitForAsync("Cannot send " + Path.Combine(_root, "missing.bin"));
            Assert.Empty(offers);

            cli.Type($"/send \"{path}\"");
            await cli.WaitForAsync("Offered заметки notes.bin (146 KB); offers sent: 1.");
            await Eventually.TrueAsync(() => !offers.IsEmpty, "the offer reaches the peer");
            CallEvent offer = offers.Single();
            Assert.Equal((cliId, "заметки notes.bin", data.Length), (offer.PeerId, offer.Text, offer.Count));
            peer.AcceptFile(offer.PeerId!, offer.Reason!);
            await Eventually.TrueAsync(() => !complete.IsEmpty, "the file arrives checked");
            Assert.Equal(data, peer.FileContent(offer.PeerId!, offer.Reason!));
            Assert.Equal(0, await cli.QuitAsync());
        }
    }

    [Fact]
    public async Task Lines_starting_with_a_slash_are_commands_and_an_unknown_one_never_goes_out_as_chat()
    {
        await using var server = await TestServer.StartAsync();
        string link = server.NewRoomLink();
        var (cli, peer, _) = await StartPairAsync(server, link);
        await using (cli)
        await using (peer)
        {
            var chat = new ConcurrentQueue<string>();
            peer.Event += (_, e) =>
            {
                if (e.Kind == CallEventKind.Chat)
                    chat.Enqueue(e.Text!);
            };
            cli.Type("/sned secret-plan.pdf");
            cli.Type("plain line");
            cli.Type("//slash first");
            await cli.WaitForAsync("Unknown command /sned.");
            await cli.WaitForAsync("/send <path>    offer a file to everyone in the room");
            // Chat is FIFO per pair: had the mistyped command gone out, it would have arrived first.
            await Eventually.TrueAsync(() => chat.Count == 2, "the two chat lines");
            Assert.Equal(["plain line", "/slash first"], chat.ToArray());

            cli.Type("/help");
            await cli.WaitForAsync(() => cli.Output.Count("/quit           leave the call") == 2, "help on request");
            Assert.Equal(0, await cli.QuitAsync());
        }
    }
}
