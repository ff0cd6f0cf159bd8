using System.Security.Cryptography;
using Sotto.E2ee.Codes;
using Sotto.E2ee.Files;
using Sotto.E2ee.Frames;
using Sotto.E2ee.Links;
using Sotto.E2ee.Messages;
using Sotto.E2ee.Pairwise;
using Sotto.E2ee.Primitives;
using Sotto.E2ee.SenderKeys;

namespace Sotto.E2ee.Participant;

/// <summary>
/// One participant's whole end-to-end protocol (§S3–§S11), the C# twin of
/// <c>web/e2ee/participant.js</c>: its meeting identity, one <see cref="PairwiseChannel"/> per
/// peer, the application messages, its sender keys, the room code, chat and link rotation. No I/O:
/// blobs leave through <see cref="IBlobTransport"/>, frame keys go into <see cref="Keyring"/> (the
/// media path encrypts and decrypts with it), time comes from a <see cref="TimeProvider"/> and the
/// owner calls <see cref="Tick"/> a few times a second for the §S14 timers.
/// <para>
/// Every input runs under one lock, as the browser's participant runs everything in one serial
/// queue; events are raised after the lock is released, so a handler may call back in.
/// </para>
/// </summary>
internal sealed class E2eeParticipant : ISenderKeyHost, IDisposable
{
    public static readonly TimeSpan RoomCodeDebounce = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan RoomCodeStuckAfter = TimeSpan.FromSeconds(10);
    /// <summary>docs/e2ee.md C24: at most this many channels opened from the lobby by unknown ids.</summary>
    public const int LobbyMaxPeers = 64;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly IBlobTransport _transport;
    private readonly Action<E2eeEvent> _onEvent;
    private readonly Func<X25519KeyPair>? _newEphemeral;
    private readonly PairContext _context;
    private readonly SenderKeyReceiver _receiver;
    private readonly SenderKeySchedule _keys;
    private readonly Dictionary<string, Peer> _peers = [];
    private readonly HashSet<string> _gone = [];
    private readonly ChatInbox _chat = new();
    private readonly FileTransfers _files = new();
    private readonly Dictionary<string, (byte[] Rid, byte[] C)> _roomCommits = [];
    private readonly List<E2eeEvent> _outbox = [];
    private byte[]? _secret;
    private bool _admitted;
    private CallState _callState = CallState.Empty;
    private RoomCodeRound? _round;
    private DateTimeOffset? _roomCodeDue;
    private DateTimeOffset? _roomCodeStuckDue;
    private bool _disposed;

    public E2eeParticipant(
        byte[] room,
        string selfId,
        ushort slot,
        byte[]? secret,
        string name,
        IBlobTransport transport,
        Action<E2eeEvent>? onEvent = null,
        TimeProvider? time = null,
        X25519KeyPair? staticKey = null,
        Func<X25519KeyPair>? newEphemeral = null,
        bool admitted = true)
    {
        if (slot == 0)
            throw new ArgumentOutOfRangeException(nameof(slot), "slots are 1–65535 (§S2)");
        _time = time ?? TimeProvider.System;
        _transport = transport;
        _onEvent = onEvent ?? (_ => { });
        _newEphemeral = newEphemeral;
        _secret = secret?.ToArray();
        _admitted = admitted;
        Slot = slot;
        Keyring = new FrameKeyring(_time);
        Keyring.SetOwnSlot(slot);
        _context = new PairContext(room, selfId, staticKey ?? X25519KeyPair.Generate(), LinkKeys.Psk(_secret, room), Truncate(name), 0);
        _receiver = new SenderKeyReceiver(Keyring);
        _keys = new SenderKeySchedule(this, _time);
    }

    public string SelfId => _context.SelfId;

    public ushort Slot { get; }

    /// <summary>My display name (sent only inside <c>hello</c>).</summary>
    public string Name => _context.Name;

    /// <summary>The link generation I know (§S11): rotations and peers' <c>hello</c> raise it.</summary>
    public uint Gen
    {
        get
        {
            lock (_lock)
                return _context.Gen;
        }
    }

    /// <summary>False while I wait in the lobby (§S6 lobby, C13).</summary>
    public bool Admitted
    {
        get
        {
            lock (_lock)
                return _admitted;
        }
    }

    public byte[] Room => _context.Room;

    /// <summary>Every frame key of this participant: the media path encrypts and decrypts through it.</summary>
    public FrameKeyring Keyring { get; }

    /// <summary>"Protected by link" / "Not protected by link" (§S13).</summary>
    public bool ProtectedByLink
    {
        get
        {
            lock (_lock)
                return _secret is not null;
        }
    }

    /// <summary>"N people can decrypt what you send" (§S6).</summary>
    public int DecryptorCount
    {
        get
        {
            lock (_lock)
                return _keys.DecryptorCount;
        }
    }

    public uint CurrentEpoch
    {
        get
        {
            lock (_lock)
                return _keys.CurrentEpoch;
        }
    }

    /// <summary>The room code's 7 emoji once the §S8 round completed for the current view, else null.</summary>
    public IReadOnlyList<SasEmoji>? RoomCodeEmoji { get; private set; }

    /// <summary>How many people (me included) the current room code covers.</summary>
    public int RoomCodeSize { get; private set; }

    /// <summary>Unlisted blobs, ignored and counted (§S4.8, C17).</summary>
    public int IgnoredCount { get; private set; }

    public byte[] StaticPublicKey => _context.Static.PublicKey;

    // --- server events ------------------------------------------------------------------------

    /// <summary>
    /// The server listed a participant: a member (the <c>joined</c> list or
    /// <c>participant-joined</c>), or one waiting in the lobby (<c>knock</c>, <paramref name="admitted"/> false).
    /// </summary>
    public void PeerJoined(string id, int slot, bool admitted = true) => Run(() =>
    {
        if (id == SelfId || !PairCrypto.IsValidId(id) || _gone.Contains(id) || slot is < 1 or > ushort.MaxValue)
            return;
        // Slots are unique in a room (§S2, C21): a duplicate means the server lies about someone.
        if (slot == Slot || _peers.Values.Any(p => p.Id != id && p.Slot == slot))
        {
            Emit(new E2eeEvent(E2eeEventKind.Alarm, id, Reason: "DUPLICATE_SLOT"));
            return;
        }
        if (_peers.TryGetValue(id, out Peer? known))
        {
            // A member I met from the lobby (slot unknown until admission) is now listed.
            if (known.Slot is null)
                SetSlot(known, (ushort)slot);
            if (admitted && !known.Admitted)
                Admit(known);
            return;
        }
        AddPeer(id, (ushort)slot, admitted);
    });

    private Peer AddPeer(string id, ushort? slot, bool admitted)
    {
        var peer = new Peer(id, new PairwiseChannel(_context, id, _transport, _time, _newEphemeral)) { Admitted = admitted };
        _peers[id] = peer;
        if (slot is { } known)
            SetSlot(peer, known);
        // A lobby participant is told nobody (docs/protocol.md): as I, poke it so that it commits (C24).
        Observe(peer, () => peer.Channel.Start(poke: !admitted));
        return peer;
    }

    private void SetSlot(Peer peer, ushort slot)
    {
        peer.Slot = slot;
        _receiver.SetSlot(peer.Id, slot);
    }

    /// <summary>A lobby participant was admitted by the moderator (§S6 lobby).</summary>
    public void PeerAdmitted(string id) => Run(() =>
    {
        if (_peers.TryGetValue(id, out Peer? peer) && !peer.Admitted)
            Admit(peer);
    });

    private void Admit(Peer peer)
    {
        peer.Admitted = true;
        if (IsEligible(peer))
            PeerBecameEligible(peer);
    }

    /// <summary>
    /// I was admitted from the lobby; <paramref name="members"/> is the member list of the
    /// server's <c>joined</c>. Channels opened from the lobby with ids not in it are closed (C24).
    /// </summary>
    public void SelfAdmitted(IReadOnlyList<(string Id, int Slot)>? members = null) => Run(() =>
    {
        if (_admitted)
            return;
        _admitted = true;
        if (members is not null)
        {
            var listed = new Dictionary<string, int>();
            foreach (var (id, slot) in members)
                listed[id] = slot;
            foreach (Peer peer in _peers.Values.ToArray())
            {
                if (!listed.TryGetValue(peer.Id, out int slot))
                {
                    _gone.Add(peer.Id);
                    peer.DeadReason = "not-a-member";
                    Observe(peer, peer.Channel.MarkDead);
                }
                else if (peer.Slot is null && slot is >= 1 and <= ushort.MaxValue)
                {
                    SetSlot(peer, (ushort)slot);
                }
            }
            foreach (var (id, slot) in members)
            {
                if (!_peers.ContainsKey(id) && id != SelfId && PairCrypto.IsValidId(id) && !_gone.Contains(id) && slot is >= 1 and <= ushort.MaxValue)
                    AddPeer(id, (ushort)slot, admitted: true);
            }
        }
        foreach (Peer peer in _peers.Values.ToArray())
        {
            if (IsEligible(peer))
                PeerBecameEligible(peer);
        }
    });

    /// <summary>The server says the participant left or was removed: DEAD, departed (§S4.8).</summary>
    public void PeerLeft(string id) => Run(() =>
    {
        _gone.Add(id);
        if (_peers.TryGetValue(id, out Peer? peer))
            Observe(peer, peer.Channel.MarkDead);
    });

    /// <summary>One relayed blob, with <paramref name="from"/> as the server added it.</summary>
    public void Receive(string from, byte[] blob) => Run(() =>
    {
        if (!_peers.TryGetValue(from, out Peer? peer))
        {
            if (!MayMeetFromLobby(from, blob))
            {
                IgnoredCount++; // not listed: a hidden participant cannot even start a handshake (C17)
                return;
            }
            peer = AddPeer(from, slot: null, admitted: true);
        }
        if (blob.Length >= 2 && blob[0] == Blob.Version && blob[1] == (byte)BlobType.FileChunk)
        {
            OnFileChunk(peer, blob.AsSpan(2));
            return;
        }
        Observe(peer, () => peer.Channel.Receive(blob));
    });

    /// <summary>
    /// In the lobby the server lists nobody to me (docs/protocol.md); only members can address me,
    /// so the first handshake blob of an unknown id (COMMIT, or a member's RESYNC poke) opens a
    /// channel, at most <see cref="LobbyMaxPeers"/> of them. Nothing but <c>hello</c> flows on them
    /// until admission, and admission's member list closes any id that is not a member (C24).
    /// </summary>
    private bool MayMeetFromLobby(string from, byte[] blob)
    {
        if (_admitted || !PairCrypto.IsValidId(from) || from == SelfId || _gone.Contains(from) || _peers.Count >= LobbyMaxPeers)
            return false;
        return Blob.TryParse(blob, out Blob parsed, out _) && parsed.Type is BlobType.Commit or BlobType.Resync;
    }

    /// <summary>The §S14 timers: handshake steps and the one link-failure retry (in the channels), sender keys, room code.</summary>
    public void Tick() => Run(() =>
    {
        DateTimeOffset now = _time.GetUtcNow();
        foreach (Peer peer in _peers.Values.ToArray())
            Observe(peer, peer.Channel.CheckTimeouts);
        _keys.Tick();
        if (_roomCodeDue is { } due && now >= due)
        {
            _roomCodeDue = null;
            StartRoomCodeRound();
        }
        if (_roomCodeStuckDue is { } stuck && now >= stuck)
        {
            _roomCodeStuckDue = null;
            if (_round is { Code: null } round)
                Emit(new E2eeEvent(E2eeEventKind.RoomCodeStuck, Text: string.Join(", ", round.MissingCommits)));
        }
    });

    // --- user actions -------------------------------------------------------------------------

    /// <summary>Sends a chat line to every established peer (§S9); returns how many it went to.</summary>
    public int SendChat(string text)
    {
        int length = text.EnumerateRunes().Count();
        if (length is 0 or > AppMessage.MaxChatLength)
            throw new ArgumentOutOfRangeException(nameof(text), "chat text must be 1–4000 characters");
        int count = 0;
        Run(() =>
        {
            byte[] json = AppMessage.Chat(new ChatMessage(RandomNumberGenerator.GetBytes(AppMessage.MessageIdLength), text));
            foreach (Peer peer in EligiblePeers())
            {
                if (peer.Channel.TrySend(json))
                    count++;
            }
        });
        return count;
    }

    /// <summary>Offers a file to each established peer of <paramref name="to"/> with a fresh key per receiver (§S10); returns the fids (b64u) per peer.</summary>
    public IReadOnlyDictionary<string, string> OfferFile(IReadOnlyCollection<string> to, string name, string type, byte[] data)
    {
        if (data.LongLength > FileTransfers.DefaultSizeLimit)
            throw new ArgumentOutOfRangeException(nameof(data), "file too large");
        var fids = new Dictionary<string, string>();
        Run(() =>
        {
            foreach (Peer peer in EligiblePeers().Where(p => to.Contains(p.Id)))
            {
                (byte[] json, byte[] fid) = _files.Offer(peer.Id, name, type, data);
                if (peer.Channel.TrySend(json))
                    fids[peer.Id] = Base64Url.Encode(fid);
            }
        });
        return fids;
    }

    /// <summary>The user clicked "Accept": only now may the sender send chunks.</summary>
    public void AcceptFile(string from, string fileId) => Run(() =>
    {
        if (_peers.TryGetValue(from, out Peer? peer) && IsEligible(peer) && Base64Url.TryDecode(fileId, out byte[] fid, 16) && _files.Accept(from, fid))
            peer.Channel.TrySend(AppMessage.FileAnswer(MessageType.FileAccept, fid));
    });

    /// <summary>The sender cancels an offer not yet accepted: the receiver gets <c>file_cancel</c> and no chunk ever follows.</summary>
    public void CancelFile(string fileId) => Run(() =>
    {
        if (Base64Url.TryDecode(fileId, out byte[] fid, 16) && _files.Cancel(fid) is { } to && _peers.TryGetValue(to, out Peer? peer))
            peer.Channel.TrySend(AppMessage.FileAnswer(MessageType.FileCancel, fid));
    });

    /// <summary>The UI's "try again" after FAILED (not after KEY_CHANGED, which stays an alarm).</summary>
    public void RetryPeer(string id) => Run(() =>
    {
        if (_peers.TryGetValue(id, out Peer? peer))
            Observe(peer, peer.Channel.Retry);
    });

    /// <summary>The user clicked "Decline": nothing is sent to us.</summary>
    public void DeclineFile(string from, string fileId) => Run(() =>
    {
        if (_peers.TryGetValue(from, out Peer? peer) && Base64Url.TryDecode(fileId, out byte[] fid, 16))
        {
            _files.Decline(from, fid);
            peer.Channel.TrySend(AppMessage.FileAnswer(MessageType.FileDecline, fid));
        }
    });

    /// <summary>A received file's bytes, only after every §S10 check passed; else null.</summary>
    public byte[]? FileContent(string from, string fileId)
    {
        lock (_lock)
            return Base64Url.TryDecode(fileId, out byte[] fid, 16) ? _files.Content(from, fid) : null;
    }

    private void OnFileChunk(Peer peer, ReadOnlySpan<byte> body)
    {
        if (!IsEligible(peer) || _files.Chunk(peer.Id, body) is not { } result)
        {
            IgnoredCount++;
            return;
        }
        string fid = Base64Url.Encode(result.Offer.FileId);
        if (result.State == IncomingFileState.Complete)
            Emit(new E2eeEvent(E2eeEventKind.FileComplete, peer.Id, Text: result.Offer.Name, Reason: fid, Count: (long)result.Offer.Size));
        else if (result.State == IncomingFileState.Failed)
            Emit(new E2eeEvent(E2eeEventKind.FileFailed, peer.Id, Text: result.Offer.Name, Reason: fid));
    }

    /// <summary>"They match" / "They don't match" in the pair dialog (§S13).</summary>
    public void ConfirmSas(string id, bool match) => Run(() =>
    {
        if (!_peers.TryGetValue(id, out Peer? peer) || peer.Channel.Sas is null)
            return;
        peer.VerifiedByYou = match;
        if (!match)
            Emit(new E2eeEvent(E2eeEventKind.Alarm, id, Reason: "SAS_MISMATCH"));
        peer.Channel.TrySend(AppMessage.Sas(match));
    });

    /// <summary>A new link secret for every established peer except <paramref name="exclude"/> (§S11); returns it.</summary>
    public byte[] RotateLink(IReadOnlyCollection<string>? exclude = null)
    {
        byte[] secret = RandomNumberGenerator.GetBytes(MeetingLink.SecretLength);
        Run(() =>
        {
            uint gen = _context.Gen + 1;
            AdoptLink(gen, secret, SelfId);
            byte[] json = AppMessage.Rotate(new RotateMessage(gen, secret));
            foreach (Peer peer in EligiblePeers())
            {
                if (exclude is null || !exclude.Contains(peer.Id))
                    peer.Channel.TrySend(json);
            }
        });
        return secret;
    }

    /// <summary>Leaving: <c>bye</c> to everyone, so they switch keys at once instead of waiting for the server.</summary>
    public void Leave() => Run(() =>
    {
        byte[] bye = AppMessage.Bye();
        foreach (Peer peer in _peers.Values)
            peer.Channel.TrySend(bye);
    });

    /// <summary>
    /// The user changed their display name during the call: a fresh <c>hello</c> to every
    /// established peer (a later <c>hello</c> only renames; the first one still confirms, §S4.6) (C25).
    /// </summary>
    public void SetName(string name) => Run(() =>
    {
        _context.Name = Truncate(name);
        byte[] hello = AppMessage.Hello(new HelloMessage(_context.Name, _context.Gen));
        foreach (Peer peer in _peers.Values)
            peer.Channel.TrySend(hello);
    });

    /// <summary>
    /// In-call state (mute, camera, raised hand) travels only encrypted (§S5, C14): the fields given
    /// are merged into my state and sent to every eligible peer; a newcomer gets the whole state.
    /// </summary>
    public void SetCallState(bool? mic = null, bool? cam = null, bool? hand = null) => Run(() =>
    {
        var change = new CallState(mic, cam, hand);
        _callState = _callState.With(change);
        byte[] json = AppMessage.State(change);
        foreach (Peer peer in EligiblePeers())
            peer.Channel.TrySend(json);
    });

    // --- queries ------------------------------------------------------------------------------

    /// <summary>A peer's in-call state as its <c>state</c> messages set it (fields never sent are null).</summary>
    public CallState? PeerCallState(string id)
    {
        lock (_lock)
            return _peers.TryGetValue(id, out Peer? peer) ? peer.CallState : null;
    }

    /// <summary>The pair code with a peer, or null before confirmation (§S4.6).</summary>
    public IReadOnlyList<SasEmoji>? SasWith(string id)
    {
        lock (_lock)
            return _peers.TryGetValue(id, out Peer? peer) && peer.Channel.Sas is { } sas ? SasEmojiTable.Emoji(sas) : null;
    }

    /// <summary>A peer's channel state and failure (tests, status lines).</summary>
    public (ChannelState State, ChannelFailure Failure)? PeerState(string id)
    {
        lock (_lock)
            return _peers.TryGetValue(id, out Peer? peer) ? (peer.Channel.State, peer.Channel.Failure) : null;
    }

    /// <summary>A peer's self-asserted name from its latest <c>hello</c>, or null.</summary>
    public string? PeerName(string id)
    {
        lock (_lock)
            return _peers.TryGetValue(id, out Peer? peer) ? peer.Name : null;
    }

    /// <summary>The slot the server announced for a peer id, or null (the media path checks a track's owner with it).</summary>
    public ushort? SlotOf(string id)
    {
        lock (_lock)
            return _peers.TryGetValue(id, out Peer? peer) ? peer.Slot : null;
    }

    public IReadOnlyList<string> PeerIds
    {
        get
        {
            lock (_lock)
                return [.. _peers.Keys];
        }
    }

    // --- channels -----------------------------------------------------------------------------

    /// <summary>
    /// Runs one channel operation and turns what changed into participant actions: the channel
    /// itself is pull-based (state, hello, the received messages), the participant reacts here.
    /// </summary>
    private void Observe(Peer peer, Action operation)
    {
        PairwiseChannel channel = peer.Channel;
        bool wasEstablished = channel.State == ChannelState.Established;
        ChannelState before = channel.State;
        HelloMessage? helloBefore = channel.PeerHello;
        bool incompatibleBefore = channel.SawIncompatibleVersion;
        operation();

        if (channel.SawIncompatibleVersion && !incompatibleBefore)
            Emit(new E2eeEvent(E2eeEventKind.IncompatibleVersion, peer.Id));
        if (channel.State == ChannelState.Established && !wasEstablished)
        {
            Emit(new E2eeEvent(E2eeEventKind.PeerEstablished, peer.Id, Emoji: SasEmojiTable.Emoji(channel.Sas!)));
            if (IsEligible(peer))
                PeerBecameEligible(peer);
        }
        if (channel.PeerHello is { } hello && !ReferenceEquals(hello, helloBefore))
            OnHello(peer, hello);
        if (channel.State == ChannelState.Broken && before != ChannelState.Broken)
            ViewChanged();
        if (channel.State == ChannelState.Failed && before != ChannelState.Failed)
        {
            string reason = ReasonOf(channel.Failure);
            Emit(new E2eeEvent(E2eeEventKind.PeerFailed, peer.Id, Reason: reason));
            if (channel.Failure == ChannelFailure.KeyChanged)
                Emit(new E2eeEvent(E2eeEventKind.Alarm, peer.Id, Reason: reason));
        }

        // Messages after hello, in order. A bye makes the channel DEAD, so later ones are moot.
        while (channel.Received.Count > 0 && channel.State != ChannelState.Dead)
        {
            byte[] json = channel.Received[0];
            channel.Received.RemoveAt(0);
            OnMessage(peer, json);
        }
        channel.Received.Clear();

        if (!peer.Departed && (channel.IsDeparted || (channel.State == ChannelState.Failed && peer.EverEstablished)))
            OnDeparted(peer);
        peer.EverEstablished |= channel.State == ChannelState.Established;
    }

    private void OnDeparted(Peer peer)
    {
        peer.Departed = true;
        _gone.Add(peer.Id);
        string reason = peer.DeadReason ?? (peer.Channel.State == ChannelState.Dead ? "left" : ReasonOf(peer.Channel.Failure));
        Emit(new E2eeEvent(E2eeEventKind.PeerDeparted, peer.Id, Reason: reason));
        _receiver.Remove(peer.Id);
        _files.PeerDeparted(peer.Id);
        _keys.PeerDeparted(peer.Id);
        ViewChanged();
    }

    /// <summary>
    /// Keys, chat, files, state and the room view only for established, admitted peers, and only
    /// once I am admitted myself (§S6 lobby, C13: the rule is symmetric).
    /// </summary>
    private bool IsEligible(Peer? peer) => _admitted && peer is { Departed: false, Admitted: true } && peer.Channel.State == ChannelState.Established;

    private Peer[] EligiblePeers() => [.. _peers.Values.Where(IsEligible)];

    private void PeerBecameEligible(Peer peer)
    {
        _keys.PeerEligible(peer.Id);
        ViewChanged();
        // A newcomer learns my current mute/camera/hand state at once, not at my next toggle.
        if (!_callState.IsEmpty)
            peer.Channel.TrySend(AppMessage.State(_callState));
    }

    // --- application messages (§S5) -----------------------------------------------------------

    /// <summary>
    /// One message after hello. As participant.js: <c>hello</c> (a rename), <c>bye</c> and
    /// <c>sas</c> count on any established channel, lobby ones included (the moderator compares
    /// codes before admitting); everything else only from an eligible peer (§S6 lobby, C13).
    /// </summary>
    private void OnMessage(Peer peer, byte[] json)
    {
        string? type = AppMessage.TypeOf(json);
        switch (type)
        {
            case MessageType.Hello:
                if (AppMessage.TryParseHello(json, out HelloMessage? hello))
                    OnHello(peer, hello!);
                return;
            case MessageType.Bye:
                peer.Channel.MarkDead();
                return;
            case MessageType.Sas:
                if (AppMessage.TryParseSas(json, out bool match) && !match)
                    Emit(new E2eeEvent(E2eeEventKind.Alarm, peer.Id, Reason: "SAS_MISMATCH"));
                return;
        }
        if (!IsEligible(peer))
            return;
        switch (type)
        {
            case MessageType.Key:
                OnKey(peer, json);
                break;
            case MessageType.KeyAck:
                if (AppMessage.TryParseKeyAck(json, out uint epoch))
                    _keys.Acknowledged(peer.Id, epoch);
                break;
            case MessageType.State:
                if (AppMessage.TryParseState(json, out CallState state))
                {
                    peer.CallState = peer.CallState.With(state);
                    Emit(new E2eeEvent(E2eeEventKind.PeerCallState, peer.Id, CallState: peer.CallState));
                }
                break;
            case MessageType.Chat:
                if (_chat.TryAccept(peer.Id, json))
                    Emit(new E2eeEvent(E2eeEventKind.Chat, peer.Id, Text: _chat.Messages[^1].Text));
                break;
            case MessageType.RoomCodeCommit:
                OnRoomCommit(peer, json);
                break;
            case MessageType.RoomCodeReveal:
                OnRoomReveal(peer, json);
                break;
            case MessageType.Rotate:
                if (AppMessage.TryParseRotate(json, out RotateMessage? rotate)
                    && LinkRotation.ShouldAdopt(_context.Gen, _secret ?? [], _secret is not null, rotate!.Gen, rotate.Secret))
                {
                    AdoptLink(rotate.Gen, rotate.Secret, peer.Id);
                }
                break;
            case MessageType.FileOffer:
                if (AppMessage.TryParseFileOffer(json, out FileOfferMessage? offer) && _files.Offered(peer.Id, offer!))
                    Emit(new E2eeEvent(E2eeEventKind.FileOffered, peer.Id, Text: offer!.Name, Reason: Base64Url.Encode(offer.FileId), Count: (long)offer.Size));
                break;
            case MessageType.FileAccept:
                if (AppMessage.TryParseFileAnswer(json, MessageType.FileAccept, out byte[] accepted))
                {
                    // Chunks only after this receiver's authenticated accept, addressed to it alone (§S10).
                    foreach (byte[] chunk in _files.Accepted(peer.Id, accepted))
                        _transport.Send(peer.Id, chunk);
                }
                break;
            case MessageType.FileDecline:
                if (AppMessage.TryParseFileAnswer(json, MessageType.FileDecline, out byte[] declined))
                    _files.Declined(peer.Id, declined);
                break;
            case MessageType.FileCancel:
                if (AppMessage.TryParseFileAnswer(json, MessageType.FileCancel, out byte[] cancelled))
                    _files.Cancelled(peer.Id, cancelled);
                break;
            default:
                break; // unknown types are ignored (§S5)
        }
    }

    /// <summary>A <c>hello</c>, the first or a later one (a rename, C25): the name, and the link generation it carries (§S11).</summary>
    private void OnHello(Peer peer, HelloMessage hello)
    {
        peer.Name = hello.Name;
        _context.LearnGen(hello.Gen);
        Emit(new E2eeEvent(E2eeEventKind.PeerHello, peer.Id, Text: hello.Name));
    }

    private void OnKey(Peer peer, byte[] json)
    {
        if (!AppMessage.TryParseKey(json, out KeyMessage? key))
            return;
        if (_receiver.Accept(peer.Id, key!, out byte[] ack) != KeyRejection.None)
            return;
        CryptographicOperations.ZeroMemory(key!.Key);
        peer.Channel.TrySend(ack);
        Emit(new E2eeEvent(E2eeEventKind.PeerKeyInstalled, peer.Id, Count: key.Epoch));
    }

    private void AdoptLink(uint gen, byte[] secret, string by)
    {
        if (_secret is not null)
            CryptographicOperations.ZeroMemory(_secret);
        _secret = secret.ToArray();
        _context.Rotate(gen, LinkKeys.Psk(_secret, _context.Room));
        Emit(new E2eeEvent(E2eeEventKind.LinkRotated, by, Count: gen));
    }

    // --- room code (§S8) ----------------------------------------------------------------------

    private void ViewChanged()
    {
        RoomCodeEmoji = null;
        RoomCodeSize = 0;
        _roomCodeDue = _time.GetUtcNow() + RoomCodeDebounce;
    }

    private void StartRoomCodeRound()
    {
        Peer[] eligible = [.. EligiblePeers()];
        if (eligible.Length == 0)
        {
            _round = null;
            return;
        }
        List<RoomMember> view = [new RoomMember(SelfId, _context.Static.PublicKey), .. eligible.Select(p => new RoomMember(p.Id, p.Channel.PinnedStatic!))];
        var round = new RoomCodeRound(_context.Room, SelfId, view);
        _round = round;
        foreach (var (id, commit) in _roomCommits)
            round.AcceptCommit(id, commit.Rid, commit.C);
        byte[] json = AppMessage.RoomCodeCommit(new RoomCodeMessage(round.Rid, round.Commitment));
        foreach (Peer peer in eligible)
            peer.Channel.TrySend(json);
        _roomCodeStuckDue = _time.GetUtcNow() + RoomCodeStuckAfter;
        MaybeReveal();
    }

    private void MaybeReveal()
    {
        if (_round is not { } round || !round.TryReveal())
            return;
        byte[] json = AppMessage.RoomCodeReveal(new RoomCodeMessage(round.Rid, round.R));
        foreach (Peer peer in EligiblePeers())
            peer.Channel.TrySend(json);
        RoomCodeMaybeDone(round);
    }

    private void OnRoomCommit(Peer peer, byte[] json)
    {
        if (!AppMessage.TryParseRoomCode(json, reveal: false, out RoomCodeMessage? commit))
            return;
        // C16: keep the latest commit of every peer, to tell "no commit yet" from "another view".
        _roomCommits[peer.Id] = (commit!.Rid, commit.Value);
        if (_round is { } round && commit.Rid.AsSpan().SequenceEqual(round.Rid))
        {
            round.AcceptCommit(peer.Id, commit.Rid, commit.Value);
            MaybeReveal();
        }
    }

    private void OnRoomReveal(Peer peer, byte[] json)
    {
        if (_round is not { } round || !AppMessage.TryParseRoomCode(json, reveal: true, out RoomCodeMessage? reveal))
            return;
        if (round.AcceptReveal(peer.Id, reveal!.Rid, reveal.Value) == RevealResult.Tamper)
            Emit(new E2eeEvent(E2eeEventKind.Alarm, peer.Id, Reason: "ROOM_CODE_TAMPER"));
        RoomCodeMaybeDone(round);
    }

    private void RoomCodeMaybeDone(RoomCodeRound round)
    {
        if (round.Code is null || round != _round || RoomCodeEmoji is not null)
            return;
        _roomCodeStuckDue = null;
        RoomCodeEmoji = SasEmojiTable.Emoji(round.Code);
        RoomCodeSize = round.ViewSize;
        Emit(new E2eeEvent(E2eeEventKind.RoomCode, Emoji: RoomCodeEmoji, Count: round.ViewSize));
    }

    // --- ISenderKeyHost -----------------------------------------------------------------------

    void ISenderKeyHost.InstallSendingKey(uint epoch, byte[] baseKey) => Keyring.SetSendingKey(epoch, baseKey);

    bool ISenderKeyHost.SendingKeyUsed(uint epoch) => Keyring.SendingKeyUsed(epoch);

    bool ISenderKeyHost.IsEligible(string peerId) => IsEligible(_peers.GetValueOrDefault(peerId));

    IReadOnlyCollection<string> ISenderKeyHost.EligiblePeers() => [.. EligiblePeers().Select(p => p.Id)];

    void ISenderKeyHost.SendKey(string peerId, uint epoch, byte[] baseKey)
    {
        if (_peers.TryGetValue(peerId, out Peer? peer))
            peer.Channel.TrySend(AppMessage.Key(new KeyMessage(epoch, Slot, baseKey)));
    }

    void ISenderKeyHost.RequestKeyFrame() => Emit(new E2eeEvent(E2eeEventKind.RequestKeyFrame));

    // --- plumbing -----------------------------------------------------------------------------

    internal static string ReasonOf(ChannelFailure failure) => failure switch
    {
        ChannelFailure.Tamper => "TAMPER",
        ChannelFailure.LinkOrTamper => "LINK_OR_TAMPER",
        ChannelFailure.NoSecret => "NO_SECRET",
        ChannelFailure.OldLink => "OLD_LINK",
        ChannelFailure.RoleConflict => "ROLE_CONFLICT",
        ChannelFailure.KeyChanged => "KEY_CHANGED",
        ChannelFailure.Timeout => "TIMEOUT",
        _ => "NONE",
    };

    private void Emit(E2eeEvent e) => _outbox.Add(e);

    private static string Truncate(string name) => new([.. name.EnumerateRunes().Take(AppMessage.MaxNameLength).SelectMany(r => r.ToString())]);

    private void Run(Action action)
    {
        E2eeEvent[] events;
        lock (_lock)
        {
            if (_disposed)
                return;
            action();
            events = [.. _outbox];
            _outbox.Clear();
        }
        foreach (E2eeEvent e in events)
        {
            try
            {
                _onEvent(e);
            }
#pragma warning disable CA1031 // a UI handler's bug must not break the protocol (as in participant.js)
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            foreach (Peer peer in _peers.Values)
                peer.Channel.Dispose();
            Keyring.Dispose();
            if (_secret is not null)
                CryptographicOperations.ZeroMemory(_secret);
        }
    }

    private sealed class Peer(string id, PairwiseChannel channel)
    {
        public string Id { get; } = id;
        /// <summary>Null for a member met from the lobby until admission lists it (C24).</summary>
        public ushort? Slot { get; set; }
        public PairwiseChannel Channel { get; } = channel;
        /// <summary>False while the peer waits in the lobby (§S6 lobby).</summary>
        public bool Admitted { get; set; }
        public string? Name { get; set; }
        public CallState CallState { get; set; } = CallState.Empty;
        public bool Departed { get; set; }
        /// <summary>Why a channel was closed by us rather than by the peer (participant.js: kill('not-a-member')).</summary>
        public string? DeadReason { get; set; }
        public bool EverEstablished { get; set; }
        public bool? VerifiedByYou { get; set; }
    }
}
