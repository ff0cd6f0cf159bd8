using System.CommandLine;
using Sotto.Cli;

return await SottoCommandLine.RunAsync(args, Console.Out, Console.IsInputRedirected ? null : Console.In);

namespace Sotto.Cli
{
    /// <summary>The <c>sotto</c> command line: <c>join</c> and <c>check</c>.</summary>
    internal static class SottoCommandLine
    {
        public static async Task<int> RunAsync(string[] args, TextWriter output, TextReader? input, CancellationToken cancellationToken = default)
        {
            var language = new Option<string?>("--lang") { Description = "Language of the messages: en or ru (default: the system's).", Recursive = true };

            var link = new Argument<string>("link") { Description = "The meeting link, https://host/room#k=secret (quote it: # starts a comment in shells)." };
            var play = new Option<string[]>("--play") { Description = "A file to play into the room: VP8 in IVF, or Opus in Ogg. May be given twice.", DefaultValueFactory = _ => [] };
            var record = new Option<string?>("--record") { Description = "A directory to record what you receive, decrypted, as IVF/Ogg files; files you /accept are saved there too (else in the current directory)." };
            var name = new Option<string>("--name") { Description = "Your display name (sent only end-to-end encrypted).", DefaultValueFactory = _ => "Sotto bot" };
            var duration = new Option<int?>("--duration") { Description = "Leave after this many seconds (default: stay until Ctrl+C)." };
            var join = new Command("join", "Join a room (waiting in the lobby if it is locked): print the codes to compare, chat, files and lobby commands (/help), play and record.") { link, play, record, name, duration };
            join.SetAction((parse, token) => JoinCommand.RunAsync(
                parse.GetValue(link)!, parse.GetValue(play) ?? [], parse.GetValue(record), parse.GetValue(name)!,
                parse.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                new Strings(parse.GetValue(language)), output, input, token));

            var url = new Argument<string>("url") { Description = "The server's address, e.g. https://calls.example.org" };
            var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each step.", DefaultValueFactory = _ => 15 };
            var check = new Command("check", "Check that a Sotto server is reachable and that media can flow from this network.") { url, timeout };
            check.SetAction((parse, token) => CheckCommand.RunAsync(
                parse.GetValue(url)!, TimeSpan.FromSeconds(parse.GetValue(timeout)), new Strings(parse.GetValue(language)), output, token));

            var root = new RootCommand("sotto: a headless participant for Sotto end-to-end encrypted calls.") { join, check };
            root.Options.Add(language);
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output }, cancellationToken).ConfigureAwait(false);
        }
    }
}
