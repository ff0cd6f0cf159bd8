using Sotto.Client;
using Sotto.Client.Media;

namespace Sotto.Cli;

/// <summary>
/// <c>sotto join &lt;link&gt;</c>: joins from a terminal, prints the pair codes and the room
/// safety code to compare aloud, chat both ways (stdin lines are sent), plays files into the room
/// and optionally records what it receives — decrypted, to local files, the operator's own choice.
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
            participant = await HeadlessParticipant.JoinAsync(link, new HeadlessParticipantOptions { Name = name, RecordDirectory = record }, cancellationToken).ConfigureAwait(false);
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

        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var print = new Lock();
        var shown = new HashSet<string>();
        void Print(string line)
        {
            lock (print)
                output.WriteLine(line);
        }
        string Who(string? id) => id is null ? "?" : participant.PeerName(id) is { } peerName ? $"{peerName} ({id[..Math.Min(6, id.Length)]})" : id;

        await using (participant.ConfigureAwait(false))
        {
            participant.Event += (_, e) =>
            {
                switch (e.Kind)
                {
                    case CallEventKind.PeerVerifiable or CallEventKind.PeerNamed:
                        // The code is shown with the peer's name: whichever of the two comes second prints it.
                        if (e.PeerId is { } peerId && participant.PeerName(peerId) is not null && participant.PairCode(peerId) is { } code && shown.Add(peerId))
                            Print(strings.Format("pair-code", Who(peerId), Render(code, strings)));
                        break;
                    case CallEventKind.RoomCode:
                        Print(strings.Format("room-code", e.Count, Render(e.Code, strings)));
                        break;
                    case CallEventKind.PeerFailed:
                        Print(strings.Format("peer-failed", Who(e.PeerId), strings.Reason(e.Reason)));
                        break;
                    case CallEventKind.Alarm:
                        Print(strings.Format("alarm", Who(e.PeerId), strings.Reason(e.Reason)));
                        break;
                    case CallEventKind.ParticipantJoined:
                        Print(strings.Format("joined-peer", Who(e.PeerId)));
                        break;
                    case CallEventKind.ParticipantLeft:
                        Print(strings.Format("left-peer", Who(e.PeerId)));
                        break;
                    case CallEventKind.Chat:
                        Print(strings.Format("chat", Who(e.PeerId), e.Text));
                        break;
                    case CallEventKind.Disconnected:
                        Print(strings["disconnected"]);
                        _ = ResumeOrEnd(participant, ended);
                        break;
                    case CallEventKind.Ended:
                        Print(strings.Format("ended", e.Reason));
                        ended.TrySetResult();
                        break;
                }
            };
            Print(strings.Format("joined", LinkRoom(link), participant.Id, participant.Slot));
            Print(participant.ProtectedByLink ? strings["protected"] : strings["not-protected"]);
            if (record is not null)
                Print(strings.Format("recording", Path.GetFullPath(record)));
            if (sources.Count > 0)
            {
                await participant.PublishAsync(sources, cancellationToken).ConfigureAwait(false);
                foreach (string file in play)
                    Print(strings.Format("playing", file));
            }
            if (input is not null)
            {
                Print(strings["chat-hint"]);
                _ = Task.Run(() => ReadChat(participant, input, cancellationToken), CancellationToken.None);
            }

            Task stop = duration is { } d ? Task.Delay(d, cancellationToken) : Task.Delay(Timeout.Infinite, cancellationToken);
            await Task.WhenAny(stop, ended.Task).ConfigureAwait(false);
            Print(strings["leaving"]);
            await participant.LeaveAsync(CancellationToken.None).ConfigureAwait(false);
        }
        return 0;
    }

    private static async Task ResumeOrEnd(HeadlessParticipant participant, TaskCompletionSource ended)
    {
        try
        {
            await participant.ResumeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is JoinRefusedException or System.Net.WebSockets.WebSocketException or OperationCanceledException or InvalidDataException)
        {
            ended.TrySetResult();
        }
    }

    private static async Task ReadChat(HeadlessParticipant participant, TextReader input, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length is > 0 and <= 4000)
                participant.SendChat(line);
        }
    }

    private static string Render(IReadOnlyList<CodeEmoji>? code, Strings strings) =>
        code is null ? "" : string.Join("  ", code.Select(e => $"{e.Emoji} {(strings.Russian ? e.Russian : e.English)}"));

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
