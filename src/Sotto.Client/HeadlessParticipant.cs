using System.Buffers;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Sotto.Client.Media;
using Sotto.Client.Negotiation;
using Sotto.Client.Recording;
using Sotto.Client.Signaling;
using Sotto.E2ee.Codes;
using Sotto.E2ee.Frames;
using Sotto.E2ee.Links;
using Sotto.E2ee.Pairwise;
using Sotto.E2ee.Participant;
using Sotto.E2ee.Primitives;
using Sotto.Rtc.Rtcp;
using Sotto.Rtc.Rtp;
using Sotto.Rtc.Rtp.Extensions;
using Sotto.Rtc.Sdp;
using Sotto.Transport;
using Sotto.Transport.Dtls;

namespace Sotto.Client;

/// <summary>
/// A participant that is not a browser (issue 8): it joins a Sotto room from a meeting link, runs
/// the E2EE protocol of docs/e2ee.md with the C# <see cref="E2eeParticipant"/>, publishes Opus and
/// VP8 from files SFrame-encrypted as the browser does, receives and decrypts everyone's tracks, and
/// behaves on RTCP like a well-behaved endpoint (receiver reports, NACK, PLI, transport-cc feedback;
/// sender reports, RTX answers to NACK).
/// <para>
/// Negotiation is the browser's (docs/protocol.md "Media"): publish = our offer, the server's
/// answer; subscribe = the server's offer, our answer; one BUNDLE transport each, ICE controlling,
/// DTLS in the role <c>a=setup</c> gives us (<see cref="DtlsSetup"/>: the client against Sotto).
/// </para>
/// </summary>
public sealed class HeadlessParticipant : IMediaConnectionListener, IBlobTransport, IAsyncDisposable
{
    private static readonly TimeSpan RtcpTick = TimeSpan.FromMilliseconds(100);

    // Passed by argument.
    private readonly HeadlessParticipantOptions _options;
    private readonly Uri _signalingUri;

    // Allocated by this.
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate();
    private readonly E2eeParticipant _e2ee;
    private readonly TransportSequence _transportSequence = new();
    private readonly Lock _receiveLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly uint _receiverSsrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
    private readonly TransportCcFeedbackBuilder _feedback;
    private readonly Dictionary<string, IDisposable> _recorders = [];
    private readonly List<Task> _playback = [];
    private readonly Timer _timer;
    private readonly FrameSink _frameSink; // one delegate, not one per packet
    private readonly TaskCompletionSource _admitted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SignalingConnection _signaling;
    private Task _eventLoop = Task.CompletedTask;
    private string _resumeToken;
    private MediaConnection? _publish;
    private MediaConnection? _subscribe;
    private RtpStreamSender[] _senders = [];
    private Dictionary<uint, (RemoteTrack Track, bool Rtx)> _tracksBySsrc = [];
    private RemoteTrack[] _tracks = [];
    private readonly HashSet<string> _members = [];
    private volatile string? _moderatorId;
    private readonly List<ushort> _nackScratch = [];
    private long _lastPliAt;
    private int _tickCount;
    private bool _leaving;

    private HeadlessParticipant(HeadlessParticipantOptions options, Uri signalingUri, SignalingConnection signaling, JsonObject joined, byte[] room, byte[]? secret)
    {
        _options = options;
        _signalingUri = signalingUri;
        _signaling = signaling;
        Id = (string)joined["id"]!;
        Slot = (int)joined["slot"]!;
        _resumeToken = (string)joined["resumeToken"]!;
        _moderatorId = (string?)joined["moderatorId"];
        bool admitted = (string?)joined["type"] == "joined";
        if (admitted)
            _admitted.TrySetResult();
        // Owners that never await Admitted must not leave an unobserved faulted task behind (denied).
        _admitted.Task.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _e2ee = new E2eeParticipant(room, Id, (ushort)Slot, secret, options.Name, this, OnE2eeEvent, options.Time, admitted: admitted);
        _feedback = new TransportCcFeedbackBuilder(_receiverSsrc);
        _frameSink = OnFrame;
        _timer = new Timer(static state => ((HeadlessParticipant)state!).OnTick(), this, RtcpTick, RtcpTick);
    }

    /// <summary>Our participant id in the room.</summary>
    public string Id { get; }

    /// <summary>
    /// Completes when we are a member: at once after a plain join, on the moderator's admission
    /// after a join that waited in the lobby (<see cref="HeadlessParticipantOptions.WaitInLobby"/>);
    /// faults with <see cref="JoinRefusedException"/> when the lobby wait is denied.
    /// </summary>
    public Task Admitted => _admitted.Task;

    /// <summary>True while we wait in the lobby.</summary>
    public bool InLobby => !_admitted.Task.IsCompletedSuccessfully;

    /// <summary>True while the server says we are the room's moderator (lock, admit, deny).</summary>
    public bool IsModerator => _moderatorId == Id;

    /// <summary>Our slot (the KID's sender part, §S7).</summary>
    public int Slot { get; }

    /// <summary>Everything that happens: joins, codes, chat, failures. Raised on a background thread.</summary>
    public event EventHandler<CallEvent>? Event;

    /// <summary>The room safety code once the §S8 round completed, else null.</summary>
    public IReadOnlyList<CodeEmoji>? RoomCode => ToCode(_e2ee.RoomCodeEmoji);

    /// <summary>How many people the current room code covers (me included).</summary>
    public int RoomCodeSize => _e2ee.RoomCodeSize;

    /// <summary>"Protected by link" (§S13).</summary>
    public bool ProtectedByLink => _e2ee.ProtectedByLink;

    /// <summary>"N people can decrypt what you send" (§S6).</summary>
    public int DecryptorCount => _e2ee.DecryptorCount;

    /// <summary>Members the server listed, me excluded.</summary>
    public IReadOnlyCollection<string> Members
    {
        get
        {
            lock (_members)
                return [.. _members];
        }
    }

    /// <summary>The pair code with a peer, or null before its channel is confirmed.</summary>
    public IReadOnlyList<CodeEmoji>? PairCode(string peerId) => ToCode(_e2ee.SasWith(peerId));

    /// <summary>A peer's self-asserted name, or null before its hello.</summary>
    public string? PeerName(string peerId) => _e2ee.PeerName(peerId);

    /// <summary>"connecting", "established", "failed: REASON", "left", or null for an unknown id.</summary>
    public string? PeerStatus(string peerId) => _e2ee.PeerState(peerId) switch
    {
        null => null,
        { State: ChannelState.Established } => "established",
        { State: ChannelState.Failed, Failure: var failure } => "failed: " + E2eeParticipant.ReasonOf(failure),
        { State: ChannelState.Dead } => "left",
        _ => "connecting",
    };

    /// <summary>Per received track: packets, decrypted and valid frames, drops.</summary>
    public IReadOnlyList<RemoteTrackStats> RemoteTracks
    {
        get
        {
            lock (_receiveLock)
            {
                return [.. _tracks.Select(t => new RemoteTrackStats(t.OwnerId, t.Source, t.Kind, t.PacketsReceived, t.FramesDecrypted, t.KeyFramesDecrypted,
                    t.FramesValid, t.FramesDropped, t.LastDropReason.ToString(), t.Width, t.Height, t.RetransmissionsReceived, t.EmptyFrames, t.FirstInvalidFrame))];
            }
        }
    }

    /// <summary>Frames we sent per source (after encryption), and frames dropped for lack of a key.</summary>
    public long FramesSent => _senders.Sum(s => s.FramesSent);

    public long FramesUnencryptable => Interlocked.Read(ref _framesUnencryptable);

    /// <summary>PLI/FIR the server sent us (it wants a key frame of our video).</summary>
    public long KeyFrameRequests => Interlocked.Read(ref _keyFrameRequests);

    /// <summary>NACKed packets we answered with RTX.</summary>
    public long RetransmissionsSent => _senders.Sum(s => s.RetransmissionsSent);

    /// <summary>Our receiver-side RTCP: reports, NACKs, PLIs and transport-cc feedback packets sent.</summary>
    public (long Reports, long Nacks, long Plis, long Feedback) RtcpSent => (_reportsSent, _nacksSent, _plisSent, _feedbackSent);

    private long _framesUnencryptable;
    private long _keyFrameRequests;
    private long _reportsSent;
    private long _nacksSent;
    private long _plisSent;
    private long _feedbackSent;

    /// <summary>The key frames the sender's E2EE asked for (after a new sender key).</summary>
    internal FrameKeyring Keyring => _e2ee.Keyring;

    internal E2eeParticipant E2ee => _e2ee;

    /// <summary>The publish peer connection, once <see cref="PublishAsync"/> started it (the connectivity check reads its state).</summary>
    internal MediaConnection? PublishConnection => _publish;

    // --- joining ------------------------------------------------------------------------------

    /// <summary>Joins the room of <paramref name="link"/> (<c>https://host/room#k=secret</c>).</summary>
    public static async Task<HeadlessParticipant> JoinAsync(string link, HeadlessParticipantOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new HeadlessParticipantOptions();
        if (!MeetingLink.TryParse(link, out MeetingLink? meeting, out LinkProblem problem))
            throw new ArgumentException($"the link is incomplete or malformed ({problem})", nameof(link));
        var uri = new Uri(link);
        string room = uri.AbsolutePath.TrimStart('/').Split('/')[0];
        var signalingUri = new UriBuilder(uri) { Scheme = uri.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = "/ws", Fragment = "", Query = "" }.Uri;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        SignalingConnection signaling = await SignalingConnection.ConnectAsync(signalingUri, timeout.Token).ConfigureAwait(false);
        try
        {
            await WaitForWelcomeAsync(signaling, timeout.Token).ConfigureAwait(false);
            var join = new JsonObject { ["type"] = "join", ["room"] = room };
            if (options.Password is { } password)
                join["password"] = password;
            JsonObject reply = await signaling.RequestAsync(join, timeout.Token).ConfigureAwait(false);
            ThrowIfRefused(reply);
            if ((string?)reply["type"] == "lobby" && !options.WaitInLobby)
                throw new JoinRefusedException("lobby", "the room is locked (wait in the lobby with WaitInLobby)");
            var participant = new HeadlessParticipant(options, signalingUri, signaling, reply, meeting!.Room, meeting.Secret);
            participant.ApplyMemberList(reply);
            participant._eventLoop = Task.Run(() => participant.EventLoopAsync(signaling), CancellationToken.None);
            return participant;
        }
        catch
        {
            await signaling.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task WaitForWelcomeAsync(SignalingConnection signaling, CancellationToken cancellationToken)
    {
        JsonObject first = await signaling.Events.ReadAsync(cancellationToken).ConfigureAwait(false);
        if ((string?)first["type"] != "welcome" || (int?)first["protocol"] != 1)
            throw new InvalidDataException("the server did not greet with protocol 1");
    }

    private static void ThrowIfRefused(JsonObject reply)
    {
        if ((string?)reply["type"] == "error")
            throw new JoinRefusedException((string?)reply["code"] ?? "error", (string?)reply["message"] ?? "");
    }

    private void ApplyMemberList(JsonObject joined)
    {
        foreach (JsonNode? member in joined["participants"]?.AsArray() ?? [])
        {
            string id = (string)member!["id"]!;
            if (id == Id)
                continue;
            lock (_members)
                _members.Add(id);
            _e2ee.PeerJoined(id, (int)member["slot"]!); // idempotent: a resume's snapshot may repeat ids
        }
    }

    // --- signaling events ---------------------------------------------------------------------

    private async Task EventLoopAsync(SignalingConnection signaling)
    {
        await foreach (JsonObject message in signaling.Events.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                OnSignaling(signaling, message);
            }
            catch (Exception exception) when (exception is InvalidOperationException or FormatException or InvalidCastException or NullReferenceException
                or System.Net.WebSockets.WebSocketException or OperationCanceledException)
            {
                // The server may be hostile (§S0): a message with missing or mistyped fields must not stop
                // the loop; the next offer or event repairs the state.
            }
        }
        if (!_leaving && signaling == _signaling)
            Raise(new CallEvent(CallEventKind.Disconnected, Reason: signaling.CloseStatus?.ToString()));
    }

    private void OnSignaling(SignalingConnection signaling, JsonObject message)
    {
        switch ((string?)message["type"])
        {
            case "participant-joined":
            {
                string id = (string)message["id"]!;
                lock (_members)
                    _members.Add(id);
                _e2ee.PeerJoined(id, (int)message["slot"]!);
                Raise(new CallEvent(CallEventKind.ParticipantJoined, id));
                break;
            }
            case "participant-left":
            {
                string id = (string)message["id"]!;
                lock (_members)
                    _members.Remove(id);
                _e2ee.PeerLeft(id);
                Raise(new CallEvent(CallEventKind.ParticipantLeft, id, Reason: (string?)message["reason"]));
                break;
            }
            case "joined" when InLobby:
            {
                // Admitted from the lobby: the member list gives the slots of the members met from
                // the lobby and closes any lobby channel that is not a member's (C24).
                var members = new List<(string, int)>();
                foreach (JsonNode? member in message["participants"]?.AsArray() ?? [])
                    members.Add(((string)member!["id"]!, (int)member["slot"]!));
                _e2ee.SelfAdmitted(members);
                ApplyMemberList(message);
                if (message["resumeToken"] is JsonValue token)
                    _resumeToken = (string)token!;
                _moderatorId = (string?)message["moderatorId"];
                _admitted.TrySetResult();
                Raise(new CallEvent(CallEventKind.Admitted));
                break;
            }
            case "denied":
                _admitted.TrySetException(new JoinRefusedException("denied", (string?)message["reason"] ?? ""));
                Raise(new CallEvent(CallEventKind.Ended, Text: (string?)message["reason"], Reason: "denied"));
                break;
            case "knock":
                // We are the moderator: the waiting participant may complete a channel with us, so
                // its name and pair code show before we admit it; nothing else flows (§S6 lobby, C13).
                _e2ee.PeerJoined((string)message["id"]!, (int)message["slot"]!, admitted: false);
                Raise(new CallEvent(CallEventKind.Knock, (string)message["id"]!));
                break;
            case "knock-ended":
                if ((string?)message["reason"] == "admitted")
                    _e2ee.PeerAdmitted((string)message["id"]!);
                else
                    _e2ee.PeerLeft((string)message["id"]!);
                Raise(new CallEvent(CallEventKind.KnockEnded, (string)message["id"]!, Reason: (string?)message["reason"]));
                break;
            case "room-locked":
                Raise(new CallEvent(CallEventKind.RoomLockChanged, Reason: (bool)message["locked"]! ? "locked" : "unlocked"));
                break;
            case "moderator-changed":
                _moderatorId = (string)message["id"]!;
                Raise(new CallEvent(CallEventKind.ModeratorChanged, _moderatorId));
                break;
            case "e2ee":
                if (message["from"] is JsonValue from && message["blob"] is JsonValue blob && Base64Url.TryDecode((string)blob!, out byte[] bytes))
                    _e2ee.Receive((string)from!, bytes);
                break;
            case "subscribe-offer":
                OnSubscribeOffer(signaling, message);
                break;
            case "removed" or "room-ended" or "server-shutdown" or "media-closed":
                Raise(new CallEvent(CallEventKind.Ended, Reason: (string?)message["type"]));
                break;
            default:
                break;
        }
    }

    void IBlobTransport.Send(string peerId, byte[] blob) =>
        _signaling.Send(new JsonObject { ["type"] = "e2ee", ["to"] = peerId, ["blob"] = Base64Url.Encode(blob) });

    private void OnE2eeEvent(E2eeEvent e)
    {
        CallEvent? call = e.Kind switch
        {
            E2eeEventKind.PeerEstablished => new CallEvent(CallEventKind.PeerVerifiable, e.PeerId, Code: ToCode(e.Emoji)),
            E2eeEventKind.PeerHello => new CallEvent(CallEventKind.PeerNamed, e.PeerId, Text: e.Text),
            E2eeEventKind.PeerFailed => new CallEvent(CallEventKind.PeerFailed, e.PeerId, Reason: e.Reason),
            E2eeEventKind.Alarm => new CallEvent(CallEventKind.Alarm, e.PeerId, Reason: e.Reason),
            E2eeEventKind.Chat => new CallEvent(CallEventKind.Chat, e.PeerId, Text: e.Text),
            E2eeEventKind.RoomCode => new CallEvent(CallEventKind.RoomCode, Code: ToCode(e.Emoji), Count: (int)e.Count),
            E2eeEventKind.FileOffered => new CallEvent(CallEventKind.FileOffered, e.PeerId, Text: e.Text, Reason: e.Reason, Count: (int)Math.Min(e.Count, int.MaxValue)),
            E2eeEventKind.FileComplete => new CallEvent(CallEventKind.FileComplete, e.PeerId, Text: e.Text, Reason: e.Reason, Count: (int)Math.Min(e.Count, int.MaxValue)),
            E2eeEventKind.FileFailed => new CallEvent(CallEventKind.FileFailed, e.PeerId, Text: e.Text, Reason: e.Reason),
            E2eeEventKind.PeerCallState => new CallEvent(CallEventKind.PeerCallState, e.PeerId),
            _ => null,
        };
        if (call is not null)
            Raise(call);
    }

    private void Raise(CallEvent e)
    {
        try
        {
            Event?.Invoke(this, e);
        }
#pragma warning disable CA1031 // an owner's handler bug must not stop the call
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static IReadOnlyList<CodeEmoji>? ToCode(IReadOnlyList<SasEmoji>? emoji) =>
        emoji is null ? null : [.. emoji.Select(e => new CodeEmoji(e.Number, e.Emoji, e.English, e.Russian))];

    // --- user actions -------------------------------------------------------------------------

    /// <summary>Our in-call state (mute, camera, raised hand), sent only end-to-end encrypted (§S5 <c>state</c>); null fields stay as they were.</summary>
    public void SetCallState(bool? mic = null, bool? cam = null, bool? hand = null) => _e2ee.SetCallState(mic, cam, hand);

    /// <summary>A peer's in-call state from its <c>state</c> messages (null fields: never sent), or null for an unknown id.</summary>
    public (bool? Mic, bool? Cam, bool? Hand)? PeerCallState(string peerId) =>
        _e2ee.PeerCallState(peerId) is { } state ? (state.Mic, state.Cam, state.Hand) : null;

    /// <summary>Changes our display name mid-call: a fresh <c>hello</c> to every established peer (docs/e2ee.md C25).</summary>
    public void SetName(string name) => _e2ee.SetName(name);

    /// <summary>Moderator: lock or unlock the room (locked: new joiners wait in the lobby).</summary>
    public Task LockAsync(bool locked, CancellationToken cancellationToken = default) =>
        ModerateAsync(new JsonObject { ["type"] = "lock", ["locked"] = locked }, cancellationToken);

    /// <summary>Moderator: admit a participant waiting in the lobby.</summary>
    public Task AdmitAsync(string lobbyId, CancellationToken cancellationToken = default) =>
        ModerateAsync(new JsonObject { ["type"] = "admit", ["target"] = lobbyId }, cancellationToken);

    /// <summary>Moderator: refuse a participant waiting in the lobby (it gets <c>denied</c>).</summary>
    public Task DenyAsync(string lobbyId, CancellationToken cancellationToken = default) =>
        ModerateAsync(new JsonObject { ["type"] = "deny", ["target"] = lobbyId }, cancellationToken);

    private async Task ModerateAsync(JsonObject request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        JsonObject reply = await _signaling.RequestAsync(request, timeout.Token).ConfigureAwait(false);
        if ((string?)reply["type"] != "ok")
            throw new ModerationRefusedException((string)request["type"]!, (string?)reply["code"] ?? "error", (string?)reply["message"] ?? "");
    }

    /// <summary>Sends a chat line to every established peer (§S9); returns how many it reached.</summary>
    public int SendChat(string text) => _e2ee.SendChat(text);

    /// <summary>The largest file <see cref="OfferFile"/> sends and the largest offer we take (§S10's default size limit).</summary>
    public static long FileSizeLimit => FileTransfers.DefaultSizeLimit;

    /// <summary>Offers a file to the given peers, each under its own key (§S10); chunks go only to those who accept. Returns the file id per peer.</summary>
    public IReadOnlyDictionary<string, string> OfferFile(IReadOnlyCollection<string> to, string name, byte[] data) =>
        _e2ee.OfferFile(to, name, "application/octet-stream", data);

    /// <summary>Accepts a file offer (the id from <see cref="CallEventKind.FileOffered"/>); nothing is fetched before this.</summary>
    public void AcceptFile(string from, string fileId) => _e2ee.AcceptFile(from, fileId);

    public void DeclineFile(string from, string fileId) => _e2ee.DeclineFile(from, fileId);

    /// <summary>A received file, only once every check (order, size, SHA-256) passed; else null.</summary>
    public byte[]? FileContent(string from, string fileId) => _e2ee.FileContent(from, fileId);

    /// <summary>Publishes the given sources (at most one audio, one video) as mic and camera, then plays them in real time.</summary>
    public async Task PublishAsync(IReadOnlyList<IMediaSource> sources, CancellationToken cancellationToken = default)
    {
        if (_publish is not null)
            throw new InvalidOperationException("already publishing");
        if (InLobby)
            throw new InvalidOperationException("waiting in the lobby: publish after Admitted");
        IMediaSource? audio = sources.FirstOrDefault(s => s.Kind == "audio");
        IMediaSource? video = sources.FirstOrDefault(s => s.Kind == "video");
        var specs = new List<PublishedTrackSpec>();
        if (audio is not null)
            specs.Add(new PublishedTrackSpec("0", "audio", "mic", RandomSsrc(), null));
        if (video is not null)
            specs.Add(new PublishedTrackSpec(specs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "video", "camera", RandomSsrc(), RandomSsrc()));
        if (specs.Count == 0)
            return;

        var publish = new MediaConnection(_certificate, this);
        _publish = publish;
        string offer = PublishOfferWriter.Write(publish.LocalIce, publish.LocalFingerprint, Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"), specs, 2);
        var request = new JsonObject
        {
            ["type"] = "publish",
            ["sdp"] = offer,
            ["tracks"] = new JsonArray([.. specs.Select(s => (JsonNode)new JsonObject { ["mid"] = s.Mid, ["source"] = s.Source })]),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        JsonObject reply = await _signaling.RequestAsync(request, timeout.Token).ConfigureAwait(false);
        if ((string?)reply["type"] != "publish-answer")
            throw new InvalidOperationException($"publish refused: {(string?)reply["code"]} ({(string?)reply["message"]})");
        var answer = SessionDescription.Parse((string)reply["sdp"]!);
        CodecPolicy.ThrowIfViolated(answer);
        if (!RemoteTransport.TryRead(answer, out RemoteTransport? remote, out string? problem)
            || !DtlsSetup.TryGetRoleFromAnswer(remote!.Setup, out DtlsRole dtlsRole, out problem))
        {
            throw new InvalidOperationException("the publish answer is unusable: " + problem);
        }
        _senders = [.. specs.Select(s => new RtpStreamSender(publish, _transportSequence, s))];
        await publish.ConnectAsync(remote, dtlsRole).WaitAsync(timeout.Token).ConfigureAwait(false);

        foreach (RtpStreamSender sender in _senders)
        {
            IMediaSource source = sender.IsVideo ? video! : audio!;
            _playback.Add(Task.Factory.StartNew(() => Play(source, sender, _stop.Token), TaskCreationOptions.LongRunning));
        }
    }

    /// <summary>Plays frames in real time: encrypt (§S7) → packetize → send; frames without a key are dropped, never sent in the clear.</summary>
    private void Play(IMediaSource source, RtpStreamSender sender, CancellationToken cancellationToken)
    {
        FrameCodec codec = sender.IsVideo ? FrameCodec.Vp8 : FrameCodec.Opus;
        MediaStream stream = sender.IsVideo ? MediaStream.Camera : MediaStream.Mic;
        double clockRate = sender.IsVideo ? RtpNumbers.VideoClockRate : RtpNumbers.OpusClockRate;
        long start = Stopwatch.GetTimestamp();
        TimeSpan due = TimeSpan.Zero;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            foreach (MediaFrame frame in source.ReadFrames())
            {
                if (cancellationToken.IsCancellationRequested)
                    return;
                TimeSpan wait = due - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero && cancellationToken.WaitHandle.WaitOne(wait))
                    return;
                uint timestamp = (uint)(long)(due.TotalSeconds * clockRate);
                if (frame.Data.Length + 64 <= buffer.Length
                    && _e2ee.Keyring.TryEncrypt(codec, stream, frame.Data.Span, buffer, out int written, out _))
                {
                    sender.SendFrame(buffer.AsSpan(0, written), timestamp);
                }
                else
                {
                    Interlocked.Increment(ref _framesUnencryptable);
                }
                due += frame.Duration;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static uint RandomSsrc() => (uint)Random.Shared.NextInt64(1, uint.MaxValue);

    // --- subscribing --------------------------------------------------------------------------

    private void OnSubscribeOffer(SignalingConnection signaling, JsonObject message)
    {
        int version = (int)message["version"]!;
        var offer = SessionDescription.Parse((string)message["sdp"]!);
        if (!RemoteTransport.TryRead(offer, out RemoteTransport? remote, out _))
            return;
        _subscribe ??= new MediaConnection(_certificate, this);
        MediaConnection subscribe = _subscribe;
        // A running transport keeps its DTLS role whatever a renegotiation says (DESIGN.md §9).
        SetupRole setup;
        DtlsRole dtlsRole;
        if (subscribe.Transport is { } running)
            (setup, dtlsRole) = (DtlsSetup.AnswerFor(running.DtlsRole), running.DtlsRole);
        else if (!DtlsSetup.TryAnswer(remote!.Setup, out setup, out dtlsRole, out _))
            return;

        var tracks = new List<RemoteTrack>();
        foreach (JsonNode? entry in message["tracks"]?.AsArray() ?? [])
        {
            string mid = (string)entry!["mid"]!;
            string owner = (string)entry["owner"]!;
            // The KID must name the owner the server announced for this id (§S7): use our slot for
            // the owner id, never the slot the offer claims.
            if (_e2ee.SlotOf(owner) is not { } ownerSlot || offer.FindMedia(mid) is not { } media)
                continue;
            SsrcGroupAttribute? fid = media.SsrcGroups.FirstOrDefault(g => g.Semantics == SsrcGroupAttribute.Fid);
            uint ssrc = fid is { Ssrcs.Count: >= 1 } ? fid.Ssrcs[0] : media.Ssrcs.Count > 0 ? media.Ssrcs[0] : 0;
            uint? rtx = fid is { Ssrcs.Count: >= 2 } ? fid.Ssrcs[1] : null;
            if (ssrc == 0)
                continue;
            lock (_receiveLock)
            {
                // A track that stays (same SSRC, owner and source) keeps its state across offers.
                RemoteTrack? kept = _tracks.FirstOrDefault(t => t.Ssrc == ssrc && t.OwnerId == owner && t.Source == (string?)entry["source"]);
                tracks.Add(kept ?? new RemoteTrack(mid, owner, ownerSlot, (string)entry["source"]!, (string)entry["kind"]!, ssrc, rtx));
            }
        }
        lock (_receiveLock)
        {
            _tracks = [.. tracks];
            var bySsrc = new Dictionary<uint, (RemoteTrack, bool)>();
            foreach (RemoteTrack track in tracks)
            {
                bySsrc[track.Ssrc] = (track, false);
                if (track.RtxSsrc is { } rtx)
                    bySsrc[rtx] = (track, true);
            }
            _tracksBySsrc = bySsrc;
            if (tracks.Count > 0)
                _feedback.MediaSsrc = tracks[0].Ssrc;
        }

        string answer = SubscribeAnswerWriter.Write(offer, subscribe.LocalIce, subscribe.LocalFingerprint, setup, version + 1);
        signaling.Send(new JsonObject { ["type"] = "subscribe-answer", ["version"] = version, ["sdp"] = answer });
        if (subscribe.Transport is null)
            _ = subscribe.ConnectAsync(remote!, dtlsRole).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // failures show as no media
    }

    void IMediaConnectionListener.OnConnected(MediaConnection connection)
    {
    }

    void IMediaConnectionListener.OnRtp(MediaConnection connection, Span<byte> datagram)
    {
        if (connection != _subscribe || !RtpPacket.TryParse(datagram, out RtpPacket packet))
            return;
        lock (_receiveLock)
        {
            List<ushort> nackNow = _nackScratch;
            nackNow.Clear();
            if (packet.TryGetExtension(RtpNumbers.TransportCcExtensionId, out ReadOnlySpan<byte> value) && TransportSequenceNumber.TryRead(value, out ushort transportSequence))
                _feedback.OnPacketReceived(transportSequence, Stopwatch.GetTimestamp() * 1_000_000 / Stopwatch.Frequency);
            if (packet.IsPaddingOnly || !_tracksBySsrc.TryGetValue(packet.Ssrc, out var route))
                return;
            ReadOnlySpan<byte> payload = packet.Payload;
            ushort sequence = packet.SequenceNumber;
            if (route.Rtx)
            {
                // RFC 4588 §4: the original sequence number, then the original payload.
                if (payload.Length <= 2)
                    return;
                sequence = (ushort)(payload[0] << 8 | payload[1]);
                payload = payload[2..];
            }
            route.Track.OnPacket(sequence, packet.Timestamp, packet.Marker, payload, route.Rtx, _e2ee.Keyring, _frameSink, nackNow);
            if (nackNow.Count > 0)
                SendNack(route.Track, nackNow);
            if (route.Track.IsVideo && route.Track.NeedsKeyFrame)
                MaybeSendPli(route.Track);
        }
    }

    void IMediaConnectionListener.OnRtcp(MediaConnection connection, Span<byte> datagram)
    {
        if (connection != _publish)
            return;
        foreach (RtcpPacket rtcp in new RtcpCompoundReader(datagram))
        {
            if (rtcp.PacketType == RtcpPacketType.PayloadSpecificFeedback && rtcp.Count is RtcpFeedbackFormat.PictureLossIndication or RtcpFeedbackFormat.FullIntraRequest)
            {
                // Our source is a file: its next key frame comes on the file's own schedule.
                Interlocked.Increment(ref _keyFrameRequests);
            }
            else if (rtcp.PacketType == RtcpPacketType.TransportLayerFeedback && rtcp.Count == RtcpFeedbackFormat.GenericNack
                && GenericNack.TryParse(rtcp.Packet, out GenericNack nack))
            {
                List<ushort> lost = [];
                foreach (ushort sequence in nack.EnumerateLostSequenceNumbers())
                    lost.Add(sequence);
                foreach (RtpStreamSender sender in _senders)
                {
                    if (sender.Spec.Ssrc == nack.MediaSsrc)
                        sender.Retransmit(lost.ToArray());
                }
            }
        }
    }

    void IMediaConnectionListener.OnClosed(MediaConnection connection, WebRtcTransportCloseReason reason)
    {
    }

    private void OnFrame(ReceivedFrame frame)
    {
        if (_options.RecordDirectory is not { } directory)
            return;
        string key = $"{frame.Track.OwnerId}-{frame.Track.Source}";
        if (!_recorders.TryGetValue(key, out IDisposable? recorder))
        {
            if (frame.Track.IsVideo && !frame.KeyFrame)
                return; // a recording starts at a key frame
            Directory.CreateDirectory(directory);
            string name = $"{(_e2ee.PeerName(frame.Track.OwnerId) is { } peer ? SafeName(peer) + "-" : "")}{key}";
            recorder = frame.Track.IsVideo
                ? new IvfWriter(Path.Combine(directory, name + ".ivf"), frame.Track.Width, frame.Track.Height)
                : new OggOpusWriter(Path.Combine(directory, name + ".ogg"));
            _recorders[key] = recorder;
        }
        if (recorder is IvfWriter ivf)
            ivf.Write(frame.Frame, frame.RtpTimestamp);
        else if (recorder is OggOpusWriter ogg)
            ogg.Write(frame.Frame);
    }

    private static string SafeName(string name) => new([.. name.Where(char.IsAsciiLetterOrDigit).Take(32)]);

    // --- RTCP ---------------------------------------------------------------------------------

    private void OnTick()
    {
        if (_stop.IsCancellationRequested)
            return;
        _e2ee.Tick();
        int tick = Interlocked.Increment(ref _tickCount);
        Span<byte> buffer = stackalloc byte[1200];
        lock (_receiveLock)
        {
            // transport-cc feedback every 100 ms (libwebrtc's default interval).
            if (_subscribe is { IsConnected: true } subscribe)
            {
                while (_feedback.PendingCount > 0 && _feedback.TryWriteFeedback(buffer, out int written))
                {
                    subscribe.SendRtcp(buffer[..written]);
                    _feedbackSent++;
                }
                if (tick % 2 == 0)
                {
                    List<ushort> lost = [];
                    foreach (RemoteTrack track in _tracks)
                    {
                        lost.Clear();
                        track.CollectNacks(lost);
                        if (lost.Count > 0)
                            SendNack(track, lost);
                        if (track.IsVideo && track.NeedsKeyFrame && track.PacketsReceived > 0)
                            MaybeSendPli(track);
                    }
                }
                if (tick % 10 == 0)
                    SendReceiverReport(subscribe, buffer);
            }
        }
        if (tick % 10 == 5 && _publish is { IsConnected: true } publish)
        {
            var writer = new RtcpCompoundWriter(buffer);
            foreach (RtpStreamSender sender in _senders)
                sender.TryAddSenderReport(ref writer, _options.Time);
            if (writer.PacketCount > 0)
                publish.SendRtcp(writer.Written);
        }
    }

    /// <summary>Receiver report (RFC 3550 §6.4.2) with one block per received SSRC; called under the receive lock.</summary>
    private void SendReceiverReport(MediaConnection subscribe, Span<byte> buffer)
    {
        var blocks = new List<ReportBlock>();
        foreach (RemoteTrack track in _tracks)
        {
            if (track.GetReportBlock() is { } block && blocks.Count < RtcpHeader.MaxCount)
                blocks.Add(block);
        }
        var writer = new RtcpCompoundWriter(buffer);
        if (writer.TryAdd(new ReceiverReport(_receiverSsrc, blocks.ToArray())) && subscribe.SendRtcp(writer.Written))
            _reportsSent++;
    }

    /// <summary>Generic NACK (RFC 4585 §6.2.1) for lost packets of a track; called under the receive lock.</summary>
    private void SendNack(RemoteTrack track, List<ushort> lost)
    {
        if (_subscribe is not { IsConnected: true } subscribe || !track.IsVideo)
            return;
        Span<NackItem> items = stackalloc NackItem[Math.Min(lost.Count, 64)];
        if (!NackItem.TryCreate(lost.ToArray(), items, out int count))
            return;
        Span<byte> buffer = stackalloc byte[RtcpFeedbackCommonLength + count * NackItem.Size];
        if (new GenericNack(_receiverSsrc, track.Ssrc, items[..count]).TryWrite(buffer, out int written) && subscribe.SendRtcp(buffer[..written]))
            _nacksSent++;
    }

    private const int RtcpFeedbackCommonLength = 12;

    /// <summary>PLI (RFC 4585 §6.3.1), at most every 500 ms; called under the receive lock.</summary>
    private void MaybeSendPli(RemoteTrack track)
    {
        long now = Stopwatch.GetTimestamp();
        if (_subscribe is not { IsConnected: true } subscribe || Stopwatch.GetElapsedTime(_lastPliAt, now) < TimeSpan.FromMilliseconds(500))
            return;
        _lastPliAt = now;
        Span<byte> buffer = stackalloc byte[PictureLossIndication.Size];
        if (new PictureLossIndication(_receiverSsrc, track.Ssrc).TryWrite(buffer, out int written) && subscribe.SendRtcp(buffer[..written]))
            _plisSent++;
    }

    // --- leaving and resuming -----------------------------------------------------------------

    /// <summary>Drops the signaling connection without a close frame, as a lost network does (tests of resume).</summary>
    internal void SimulateNetworkLoss() => _signaling.Abort();

    /// <summary>Takes the seat back on a new connection with the last resume token (docs/protocol.md "resume"); media continues.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        SignalingConnection old = _signaling;
        SignalingConnection signaling = await SignalingConnection.ConnectAsync(_signalingUri, timeout.Token).ConfigureAwait(false);
        await WaitForWelcomeAsync(signaling, timeout.Token).ConfigureAwait(false);
        JsonObject reply = await signaling.RequestAsync(new JsonObject { ["type"] = "resume", ["token"] = _resumeToken }, timeout.Token).ConfigureAwait(false);
        if ((string?)reply["type"] == "error")
        {
            await signaling.DisposeAsync().ConfigureAwait(false);
            ThrowIfRefused(reply);
        }
        _resumeToken = (string)reply["resumeToken"]!;
        _moderatorId = (string?)reply["moderatorId"] ?? _moderatorId;
        _signaling = signaling;
        await old.DisposeAsync().ConfigureAwait(false);
        ApplyMemberList(reply);
        _eventLoop = Task.Run(() => EventLoopAsync(signaling), CancellationToken.None);
    }

    /// <summary>Leaves cleanly: <c>bye</c> to every peer (they switch keys at once), <c>leave</c>, close 1000, media closed.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        if (_leaving)
            return;
        _leaving = true;
        _e2ee.Leave();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await _signaling.RequestAsync(new JsonObject { ["type"] = "leave" }, timeout.Token).ConfigureAwait(false);
            await _signaling.CloseAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            // Leaving anyway: the server releases the seat at the resume window's end.
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        _leaving = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _timer.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_playback).ConfigureAwait(false);
        await _signaling.DisposeAsync().ConfigureAwait(false);
        await _eventLoop.ConfigureAwait(false);
        if (_publish is not null)
            await _publish.DisposeAsync().ConfigureAwait(false);
        if (_subscribe is not null)
            await _subscribe.DisposeAsync().ConfigureAwait(false);
        lock (_receiveLock)
        {
            foreach (IDisposable recorder in _recorders.Values)
                recorder.Dispose();
            _recorders.Clear();
        }
        _e2ee.Dispose();
        _stop.Dispose();
    }
}
