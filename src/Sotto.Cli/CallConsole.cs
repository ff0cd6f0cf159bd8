using System.Globalization;
using Sotto.Client;

namespace Sotto.Cli;

/// <summary>
/// The terminal side of <c>sotto join</c>: turns call events into lines and stdin lines into
/// actions. A line starting with <c>/</c> is a command (<c>/help</c> lists them) and never goes
/// out as chat; any other line is chat. Lobby guests and file offers get numbers in the order they
/// arrive, and those numbers stay theirs (<c>/admit 2</c>, <c>/accept 1</c>).
/// <para>
/// Files follow the guide: nothing is fetched without <c>/accept</c>, and an accepted file is written
/// only once it arrived whole and passed every §S10 check, under a cleaned name that never leaves the
/// save directory and never replaces a file (<see cref="SafeFileName"/>).
/// </para>
/// Events arrive on the participant's threads and commands on the reader's: the tables are under one lock.
/// </summary>
internal sealed class CallConsole
{
    // Passed by argument.
    private readonly HeadlessParticipant _participant;
    private readonly Strings _strings;
    private readonly TextWriter _output;
    private readonly string _saveDirectory;

    // Allocated by this.
    private readonly Lock _print = new();
    private readonly Lock _gate = new();
    private readonly HashSet<string> _codesShown = [];
    private readonly List<LobbyGuest> _lobby = [];
    private readonly List<FileOffer> _offers = [];
    private readonly List<Task> _saves = [];
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool? _lockShown;

    public CallConsole(HeadlessParticipant participant, Strings strings, TextWriter output, string saveDirectory)
    {
        _participant = participant;
        _strings = strings;
        _output = output;
        _saveDirectory = saveDirectory;
    }

    /// <summary>Completes when the call is over for us: the server ended it, a resume failed, or <c>/quit</c>.</summary>
    public Task Ended => _ended.Task;

    public void Print(string line)
    {
        lock (_print)
            _output.WriteLine(line);
    }

    /// <summary>Prints the line <paramref name="key"/> of <see cref="Strings"/> in the user's language.</summary>
    private void Say(string key, params object?[] args) => Print(_strings.Format(key, args));

    /// <summary>"Name (abc123)": the self-asserted name, cleaned for the terminal, and the start of the server's id.</summary>
    private string Who(string? id) =>
        id is null ? "?" : _participant.PeerName(id) is { } name ? $"{TerminalText.Clean(name)} ({Short(id)})" : Short(id);

    private static string Short(string id) => id[..Math.Min(6, id.Length)];

    // --- events -------------------------------------------------------------------------------

    public void OnEvent(object? sender, CallEvent e)
    {
        switch (e.Kind)
        {
            case CallEventKind.PeerVerifiable or CallEventKind.PeerNamed:
                OnPeerKnown(e.PeerId);
                break;
            case CallEventKind.RoomCode:
                Say("room-code", e.Count, Render(e.Code));
                break;
            case CallEventKind.PeerFailed:
                Say("peer-failed", Who(e.PeerId), _strings.Reason(e.Reason));
                break;
            case CallEventKind.Alarm:
                Say("alarm", Who(e.PeerId), _strings.Reason(e.Reason));
                break;
            case CallEventKind.ParticipantJoined:
                // An admitted guest is announced before its knock-ended: /admit must not offer it again.
                EndLobbyWait(e.PeerId);
                Say("joined-peer", Who(e.PeerId));
                break;
            case CallEventKind.ParticipantLeft:
                Say("left-peer", Who(e.PeerId));
                break;
            case CallEventKind.Chat:
                Say("chat", Who(e.PeerId), TerminalText.Clean(e.Text ?? ""));
                break;
            case CallEventKind.Knock:
                OnKnock(e.PeerId!);
                break;
            case CallEventKind.KnockEnded:
                OnKnockEnded(e.PeerId!, e.Reason);
                break;
            case CallEventKind.RoomLockChanged:
                ShowLock(e.Reason == "locked");
                break;
            case CallEventKind.ModeratorChanged:
                if (_participant.IsModerator)
                    Print(_strings["you-moderator"]);
                else
                    Say("moderator-is", Who(e.PeerId));
                break;
            case CallEventKind.FileOffered:
                OnFileOffered(e.PeerId!, e.Reason!, e.Text ?? "", e.Count);
                break;
            case CallEventKind.FileComplete:
                OnFileComplete(e.PeerId!, e.Reason!);
                break;
            case CallEventKind.FileFailed:
                OnFileFailed(e.PeerId!, e.Reason!);
                break;
            case CallEventKind.Disconnected when _ended.Task.IsCompleted || _participant.Admitted.IsFaulted:
                break; // the server closes the connection after ending the call or refusing the lobby wait
            case CallEventKind.Disconnected:
                Print(_strings["disconnected"]);
                _ = ResumeOrEndAsync();
                break;
            case CallEventKind.Ended when e.Reason == "denied":
                // Our lobby wait was refused: JoinCommand says so from the Admitted task.
                _ended.TrySetResult();
                break;
            case CallEventKind.Ended:
                Say("ended", e.Reason);
                _ended.TrySetResult();
                break;
        }
    }

    private void OnPeerKnown(string? peerId)
    {
        if (peerId is null || _participant.PeerName(peerId) is null)
            return;
        // The code is shown with the peer's name: whichever of the two events comes second prints it.
        bool showCode;
        LobbyGuest? unnamedGuest;
        lock (_gate)
        {
            showCode = _participant.PairCode(peerId) is not null && _codesShown.Add(peerId);
            unnamedGuest = _lobby.FirstOrDefault(g => g.Id == peerId && g.Waiting && g.Shown is null);
            unnamedGuest?.Shown = Who(peerId);
        }
        if (unnamedGuest is not null)
            Say("knock", unnamedGuest.Shown, unnamedGuest.Number);
        if (showCode)
            Say("pair-code", Who(peerId), Render(_participant.PairCode(peerId)));
    }

    private void OnKnock(string id)
    {
        LobbyGuest guest;
        lock (_gate)
        {
            if (_lobby.Any(g => g.Id == id && g.Waiting))
                return; // a repeated knock (a resume, a new moderator): the number stays
            guest = new LobbyGuest(_lobby.Count + 1, id) { Shown = _participant.PeerName(id) is not null ? Who(id) : null };
            _lobby.Add(guest);
        }
        // Its name and pair code come from the lobby channel (§S6 lobby): printed again once known.
        Say("knock", guest.Shown ?? _strings.Format("someone", Short(id)), guest.Number);
    }

    private void OnKnockEnded(string id, string? reason)
    {
        string? shown = EndLobbyWait(id);
        string? key = reason switch
        {
            "denied" => "knock-denied",
            "left" => "knock-left",
            "timeout" => "knock-timeout",
            _ => null, // admitted: "joined" follows from participant-joined
        };
        // A guest that is not let in is forgotten at once (its lobby channel closes): use the name shown.
        if (key is not null)
            Say(key, shown ?? _strings.Format("someone", Short(id)));
    }

    /// <summary>Marks a guest as no longer waiting; returns how the lobby line named it, if it did.</summary>
    private string? EndLobbyWait(string? id)
    {
        string? shown = null;
        lock (_gate)
        {
            foreach (LobbyGuest guest in _lobby.Where(g => g.Id == id))
            {
                guest.Waiting = false;
                shown ??= guest.Shown;
            }
        }
        return shown;
    }

    private void ShowLock(bool locked)
    {
        lock (_gate)
        {
            if (_lockShown == locked)
                return;
            _lockShown = locked;
        }
        Print(_strings[locked ? "room-locked" : "room-unlocked"]);
    }

    private async Task ResumeOrEndAsync()
    {
        try
        {
            await _participant.ResumeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is JoinRefusedException or System.Net.WebSockets.WebSocketException or OperationCanceledException or InvalidDataException)
        {
            _ended.TrySetResult();
        }
    }

    // --- files --------------------------------------------------------------------------------

    private void OnFileOffered(string from, string fileId, string offeredName, int size)
    {
        FileOffer offer;
        lock (_gate)
        {
            offer = new FileOffer(_offers.Count + 1, from, fileId, SafeFileName.Sanitize(offeredName));
            _offers.Add(offer);
        }
        Say("file-offer", Who(from), offer.Name, _strings.Size(size), offer.Number);
        if (RiskyFile.IsRiskyName(offer.Name))
            Say("file-risky", offer.Name);
    }

    private void OnFileComplete(string from, string fileId)
    {
        FileOffer? offer;
        lock (_gate)
            offer = _offers.FirstOrDefault(o => o.From == from && o.FileId == fileId && o.State == FileOfferState.Fetching);
        if (offer is null || _participant.FileContent(from, fileId) is not { } content)
            return;
        // Off the participant's thread: writing up to 100 MiB must not hold up signaling.
        Task save = Task.Run(() => Save(offer, content));
        lock (_gate)
            _saves.Add(save);
    }

    /// <summary>Completes when every file being written is written (leaving must not cut a file short).</summary>
    public Task SavesCompleted()
    {
        lock (_gate)
            return Task.WhenAll(_saves);
    }

    private void Save(FileOffer offer, byte[] content)
    {
        try
        {
            string path = SafeFileName.CreateNew(_saveDirectory, offer.Name, content);
            SetState(offer, FileOfferState.Saved);
            Say("file-saved", offer.Name, Who(offer.From), _strings.Size(content.Length), path);
            if (!RiskyFile.IsRiskyName(offer.Name) && RiskyFile.IsRiskyContent(content))
                Say("file-risky", offer.Name);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            SetState(offer, FileOfferState.Failed);
            Say("file-save-failed", offer.Name, exception.Message);
        }
    }

    private void OnFileFailed(string from, string fileId)
    {
        FileOffer? offer;
        lock (_gate)
            offer = _offers.FirstOrDefault(o => o.From == from && o.FileId == fileId);
        if (offer is null)
            return;
        SetState(offer, FileOfferState.Failed);
        Say("file-failed", offer.Name, Who(from));
    }

    private void SetState(FileOffer offer, FileOfferState state)
    {
        lock (_gate)
            offer.State = state;
    }

    /// <summary>The offer numbered <paramref name="argument"/> if it is still open (then marked <paramref name="next"/>); else says why not.</summary>
    private FileOffer? TakeOpenOffer(string argument, string usage, FileOfferState next)
    {
        if (!TryNumber(argument, usage, out int number))
            return null;
        lock (_gate)
        {
            if (number > _offers.Count)
            {
                Say("no-such-offer", number);
                return null;
            }
            FileOffer offer = _offers[number - 1];
            if (offer.State != FileOfferState.Offered)
            {
                Say("offer-closed", number);
                return null;
            }
            offer.State = next;
            return offer;
        }
    }

    private void Accept(string argument)
    {
        if (TakeOpenOffer(argument, "/accept <n>", FileOfferState.Fetching) is not { } offer)
            return;
        Say("file-fetching", offer.Name);
        _participant.AcceptFile(offer.From, offer.FileId);
    }

    private void Decline(string argument)
    {
        if (TakeOpenOffer(argument, "/decline <n>", FileOfferState.Declined) is not { } offer)
            return;
        _participant.DeclineFile(offer.From, offer.FileId);
        Say("file-declined", offer.Name);
    }

    private void Send(string argument)
    {
        string path = argument.Trim();
        if (path.Length >= 2 && path[0] == path[^1] && path[0] is '"' or '\'')
            path = path[1..^1];
        if (path.Length == 0)
        {
            Say("usage", "/send <path>");
            return;
        }
        byte[] data;
        try
        {
            var file = new FileInfo(path);
            if (file.Exists && file.Length > HeadlessParticipant.FileSizeLimit)
            {
                Say("send-failed", path, _strings.Format("send-too-large", _strings.Size(HeadlessParticipant.FileSizeLimit)));
                return;
            }
            data = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Say("send-failed", path, exception.Message);
            return;
        }
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        int reached;
        try
        {
            reached = _participant.OfferFile(_participant.Members, name, data).Count;
        }
        catch (ArgumentOutOfRangeException)
        {
            Say("send-failed", path, _strings.Format("send-too-large", _strings.Size(HeadlessParticipant.FileSizeLimit)));
            return;
        }
        if (reached == 0)
            Print(_strings["send-nobody"]);
        else
            Say("send-offered", name, _strings.Size(data.Length), reached);
    }

    // --- lobby and moderation -----------------------------------------------------------------

    private async Task AdmitOrDenyAsync(string argument, bool admit, CancellationToken cancellationToken)
    {
        string command = admit ? "/admit" : "/deny";
        if (!TryNumber(argument, command + " <n>", out int number))
            return;
        LobbyGuest? guest;
        lock (_gate)
            guest = number <= _lobby.Count && _lobby[number - 1].Waiting ? _lobby[number - 1] : null;
        if (guest is null)
        {
            Say("no-such-guest", number);
            return;
        }
        await ModerateAsync(command, token => admit ? _participant.AdmitAsync(guest.Id, token) : _participant.DenyAsync(guest.Id, token), cancellationToken).ConfigureAwait(false);
    }

    private async Task LockAsync(bool locked, CancellationToken cancellationToken)
    {
        if (await ModerateAsync(locked ? "/lock" : "/unlock", token => _participant.LockAsync(locked, token), cancellationToken).ConfigureAwait(false))
            ShowLock(locked); // the server announces only a change: say it when nothing changed too
    }

    /// <summary>Runs a moderator action; a refusal (not the moderator, the guest gone, …) is printed, never thrown.</summary>
    private async Task<bool> ModerateAsync(string command, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        try
        {
            await action(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ModerationRefusedException refused)
        {
            Say("action-refused", command, _strings.Reason(refused.Code));
        }
        catch (Exception exception) when (exception is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            if (!cancellationToken.IsCancellationRequested)
                Say("action-refused", command, _strings.Reason("TIMEOUT"));
        }
        return false;
    }

    // --- commands -----------------------------------------------------------------------------

    /// <summary>Reads stdin until it ends or <paramref name="cancellationToken"/> fires; never throws.</summary>
    public async Task ReadCommandsAsync(TextReader input, CancellationToken cancellationToken)
    {
        try
        {
            // Console.In may block in ReadLine past the cancellation: a line read after it is dropped.
            while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line && !cancellationToken.IsCancellationRequested)
                await ExecuteAsync(line, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or IOException)
        {
            // stdin closed or the call is over.
        }
    }

    /// <summary>One stdin line: a command, or chat.</summary>
    public async Task ExecuteAsync(string line, CancellationToken cancellationToken)
    {
        if (!line.StartsWith('/') || line.StartsWith("//", StringComparison.Ordinal))
        {
            Chat(line.StartsWith('/') ? line[1..] : line);
            return;
        }
        int space = line.IndexOfAny([' ', '\t']);
        string command = (space < 0 ? line : line[..space]).ToLowerInvariant();
        string argument = space < 0 ? "" : line[(space + 1)..].Trim();
        switch (command)
        {
            case "/help":
                Print(_strings["help"]);
                break;
            case "/send":
                Send(argument);
                break;
            case "/accept":
                Accept(argument);
                break;
            case "/decline":
                Decline(argument);
                break;
            case "/admit":
                await AdmitOrDenyAsync(argument, admit: true, cancellationToken).ConfigureAwait(false);
                break;
            case "/deny":
                await AdmitOrDenyAsync(argument, admit: false, cancellationToken).ConfigureAwait(false);
                break;
            case "/lock":
                await LockAsync(true, cancellationToken).ConfigureAwait(false);
                break;
            case "/unlock":
                await LockAsync(false, cancellationToken).ConfigureAwait(false);
                break;
            case "/quit":
                _ended.TrySetResult();
                break;
            default:
                // A mistyped command must not reach everyone as chat.
                Say("unknown-command", TerminalText.Clean(command));
                Print(_strings["help"]);
                break;
        }
    }

    private void Chat(string text)
    {
        if (text.Length == 0)
            return;
        if (text.Length > MaxChatLength)
            Say("chat-too-long", MaxChatLength);
        else if (_participant.SendChat(text) == 0)
            Print(_strings["chat-nobody"]);
    }

    /// <summary>§S9: a chat line is 1–4000 characters (checked on UTF-16 units, which are never fewer than the characters).</summary>
    private const int MaxChatLength = 4000;

    private bool TryNumber(string argument, string usage, out int number)
    {
        if (int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number >= 1)
            return true;
        Say("usage", usage);
        return false;
    }

    private string Render(IReadOnlyList<CodeEmoji>? code) =>
        code is null ? "" : string.Join("  ", code.Select(e => $"{e.Emoji} {(_strings.Russian ? e.Russian : e.English)}"));

    private sealed class LobbyGuest(int number, string id)
    {
        public int Number { get; } = number;

        public string Id { get; } = id;

        public bool Waiting { get; set; } = true;

        /// <summary>"Name (id)" once the lobby channel told us its name and the "waiting" line showed it.</summary>
        public string? Shown { get; set; }
    }

    private enum FileOfferState
    {
        Offered,
        Fetching,
        Declined,
        Saved,
        Failed,
    }

    /// <summary>A file someone offered us; <see cref="Name"/> is already the safe name it would be saved under.</summary>
    private sealed class FileOffer(int number, string from, string fileId, string name)
    {
        public int Number { get; } = number;

        public string From { get; } = from;

        public string FileId { get; } = fileId;

        public string Name { get; } = name;

        public FileOfferState State { get; set; }
    }
}
