using Sotto.Client;
using Sotto.Client.Media;

namespace Sotto.Cli;

/// <summary>
/// <c>sotto join &lt;link&gt;</c>: joins from a terminal (waiting in the lobby of a locked room),
/// prints the pair codes and the room safety code to compare aloud, chat and commands from stdin
/// (<see cref="CallConsole"/>: files, lobby, lock), plays files into the room once a member and
/// optionally records what it receives — decrypted, to local files, the operator's own choice.
/// </summary>
internal static class JoinCommand
{
    public static async Task<int> RunAsync(string link, string[] play, string? record, string name, TimeSpan? duration, Strings strings, TextWriter output, TextReader? input, CancellationToken cancellationToken)
    {
        var sources = new List<IMediaSource>();
        foreach (string file in play)
        {
            if (!TryOpen(file, out IMediaSource? source, out string? problem))
            {
                output.WriteLine(strings.Format("bad-file", file, problem));
                return 2;
            }
            sources.Add(source!);
        }

        HeadlessParticipant participant;
        try
        {
            // A locked room is not a refusal: we wait in its lobby until someone inside lets us in.
            var options = new HeadlessParticipantOptions { Name = name, RecordDirectory = record, WaitInLobby = true };
            participant = await HeadlessParticipant.JoinAsync(link, options, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException exception)
        {
            output.WriteLine(strings.Format("bad-link", exception.Message));
            return 2;
        }
        catch (JoinRefusedException exception)
        {
            output.WriteLine(strings.Format("refused", exception.Code));
            return 1;
        }

        // Accepted files land beside the recordings, else in the current directory.
        var console = new CallConsole(participant, strings, output, Path.GetFullPath(record ?? Directory.GetCurrentDirectory()));
        using var commands = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using (participant.ConfigureAwait(false))
        {
            participant.Event += console.OnEvent;
            if (input is not null)
            {
                // Read from the start, so /quit works in the lobby too.
                console.Print(strings["chat-hint"]);
                _ = Task.Run(() => console.ReadCommandsAsync(input, commands.Token), CancellationToken.None);
            }
            Task stop = duration is { } d ? Task.Delay(d, cancellationToken) : Task.Delay(Timeout.Infinite, cancellationToken);
            int exit = 0;
            if (participant.InLobby)
            {
                console.Print(strings["lobby-wait"]);
                await Task.WhenAny(participant.Admitted, stop, console.Ended).ConfigureAwait(false);
                if (participant.Admitted.IsFaulted && participant.Admitted.Exception?.InnerException is JoinRefusedException denied)
                {
                    console.Print(strings.Format("lobby-denied", strings[DeniedKey(denied.Detail)]));
                    exit = 1;
                }
                else if (participant.Admitted.IsCompletedSuccessfully)
                {
                    console.Print(strings["lobby-admitted"]);
                }
            }
            if (!participant.InLobby && !stop.IsCompleted && !console.Ended.IsCompleted)
            {
                console.Print(strings.Format("joined", LinkRoom(link), participant.Id, participant.Slot));
                console.Print(participant.ProtectedByLink ? strings["protected"] : strings["not-protected"]);
                if (participant.IsModerator)
                    console.Print(strings["you-moderator"]);
                if (record is not null)
                    console.Print(strings.Format("recording", Path.GetFullPath(record)));
                // Only a member publishes: media from the lobby would be refused (no keys reach it either).
                if (sources.Count > 0)
                {
                    await participant.PublishAsync(sources, cancellationToken).ConfigureAwait(false);
                    foreach (string file in play)
                        console.Print(strings.Format("playing", file));
                }
                await Task.WhenAny(stop, console.Ended).ConfigureAwait(false);
            }
            await commands.CancelAsync().ConfigureAwait(false);
            await console.SavesCompleted().ConfigureAwait(false);
            console.Print(strings["leaving"]);
            // Denied, the server has closed our connection already: nothing to leave.
            if (exit == 0)
                await participant.LeaveAsync(CancellationToken.None).ConfigureAwait(false);
            return exit;
        }
    }

    private static string DeniedKey(string reason) => reason switch
    {
        "timeout" => "denied-timeout",
        "room-closed" => "denied-room-closed",
        _ => "denied-denied",
    };

    private static string LinkRoom(string link) => Uri.TryCreate(link, UriKind.Absolute, out Uri? uri) ? uri.AbsolutePath.Trim('/') : link;

    /// <summary>IVF (VP8) or Ogg (Opus), by the file's first bytes, not its name.</summary>
    internal static bool TryOpen(string path, out IMediaSource? source, out string? problem)
    {
        source = null;
        if (!File.Exists(path))
        {
            problem = "no such file";
            return false;
        }
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan().StartsWith("DKIF"u8))
        {
            bool ok = IvfFileSource.TryParse(bytes, loop: true, out IvfFileSource? ivf, out problem);
            source = ivf;
            return ok;
        }
        if (bytes.AsSpan().StartsWith("OggS"u8))
        {
            bool ok = OggOpusFileSource.TryParse(bytes, loop: true, out OggOpusFileSource? ogg, out problem);
            source = ogg;
            return ok;
        }
        problem = "not an IVF (VP8) or Ogg (Opus) file; convert it with ffmpeg (see README)";
        return false;
    }
}
