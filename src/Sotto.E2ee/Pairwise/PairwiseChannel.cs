using System.Security.Cryptography;
using Sotto.E2ee.Messages;
using Sotto.E2ee.Noise;
using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Pairwise;

/// <summary>
/// The pairwise channel with one peer (§S4): commitment, Noise IXpsk2 handshake, confirmation by
/// the first TRANSPORT, continuous-rekey TRANSPORT, RESYNC, pinned static key, SAS, and the
/// §S4.9 diagnosis of a failed psk step. Single-threaded: the caller serializes Receive, Send and
/// CheckTimeouts (one signaling loop). No I/O: blobs leave through <see cref="IBlobTransport"/>.
/// </summary>
internal sealed class PairwiseChannel : IDisposable
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan BrokenToDeparted = TimeSpan.FromSeconds(10);
    /// <summary>§S4.8: one automatic retry 3 s after a link failure (rotation races), then manual.</summary>
    public static readonly TimeSpan LinkFailureRetry = TimeSpan.FromSeconds(3);
    public const int RetriesPerMinute = 3;

    private readonly PairContext _context;
    private readonly IBlobTransport _transport;
    private readonly TimeProvider _time;
    private readonly Func<X25519KeyPair> _newEphemeral;
    private readonly Queue<DateTimeOffset> _retryTimes = new();
    private readonly HashSet<ulong> _seenSids = [];
    private bool _autoLinkRetryUsed;
    private DateTimeOffset? _linkRetryAt;
    private bool _poke;
    private Attempt? _attempt;
    private Session? _session;
    private DateTimeOffset _brokenSince;
    private DateTimeOffset _waitSince;

    public PairwiseChannel(PairContext context, string peerId, IBlobTransport transport, TimeProvider? time = null, Func<X25519KeyPair>? newEphemeral = null)
    {
        _context = context;
        PeerId = peerId;
        _transport = transport;
        _time = time ?? TimeProvider.System;
        _newEphemeral = newEphemeral ?? X25519KeyPair.Generate;
        Role = PairCrypto.IsValidId(peerId) ? PairCrypto.RoleFor(context.SelfId, peerId) : null;
    }

    public string PeerId { get; }

    /// <summary>My role, or null for an equal (or invalid) peer id (→ FAILED(TAMPER) on Start).</summary>
    public PairRole? Role { get; }

    public ChannelState State { get; private set; } = ChannelState.New;

    public ChannelFailure Failure { get; private set; }

    /// <summary>The peer's static key, pinned at the first confirmation (§S4.6).</summary>
    public byte[]? PinnedStatic { get; private set; }

    /// <summary>The 6 SAS bytes of the first confirmed handshake with this (peer, static) (§S4.6).</summary>
    public byte[]? Sas { get; private set; }

    public HelloMessage? PeerHello { get; private set; }

    /// <summary>JSON messages received after hello, in order.</summary>
    public List<byte[]> Received { get; } = [];

    /// <summary>Unlisted or stale messages, ignored and counted (§S4.8).</summary>
    public int IgnoredCount { get; private set; }

    /// <summary>Attempts that failed beside a live session and were dropped (docs/e2ee.md C5).</summary>
    public int FailedAttemptCount { get; private set; }

    /// <summary>How often an ESTABLISHED channel went BROKEN (a bad TRANSPORT or the peer's RESYNC).</summary>
    public int BrokenCount { get; private set; }

    /// <summary>A blob with another version arrived: "participant uses an incompatible version" (§S4.2).</summary>
    public bool SawIncompatibleVersion { get; private set; }

    /// <summary>BROKEN for more than 10 s, KEY_CHANGED or DEAD: the peer counts as departed for sender keys (§S6).</summary>
    public bool IsDeparted => State == ChannelState.Dead || Failure == ChannelFailure.KeyChanged
        || (State == ChannelState.Broken && _time.GetUtcNow() - _brokenSince >= BrokenToDeparted);

    /// <summary>The sid of the current handshake attempt (tests), or null.</summary>
    internal byte[]? AttemptSid => _attempt?.Sid;

    /// <summary>
    /// The peer id is listed (§S4.8 NEW): C commits, I waits for the COMMIT. With
    /// <paramref name="poke"/> (the peer waits in the lobby and was told nobody), I also sends
    /// RESYNC(0⁸) so that it learns of me and commits, again on every step timeout (docs/e2ee.md C24).
    /// </summary>
    public void Start(bool poke = false)
    {
        if (State != ChannelState.New)
            return;
        _poke = poke;
        if (Role is null)
        {
            Fail(ChannelFailure.Tamper);
            return;
        }
        if (Role == PairRole.Committer)
            BeginCommit();
        else
        {
            State = ChannelState.WaitCommit;
            _attempt = null;
            _waitSince = _time.GetUtcNow();
            SendPoke();
        }
    }

    private void SendPoke()
    {
        if (_poke && Role == PairRole.Initiator && State == ChannelState.WaitCommit)
            _transport.Send(PeerId, Blob.Encode(BlobType.Resync, new byte[Blob.SidLength]));
    }

    /// <summary>One blob from the peer (the server's "from" field is this channel's peer).</summary>
    public void Receive(ReadOnlySpan<byte> bytes)
    {
        if (State == ChannelState.Dead || (State == ChannelState.Failed && !IsRetryable(Failure)))
        {
            IgnoredCount++;
            return;
        }
        RestartIfPskChanged();
        if (!Blob.TryParse(bytes, out Blob blob, out bool unknownVersion))
        {
            SawIncompatibleVersion |= unknownVersion;
            IgnoredCount++;
            return;
        }
        switch (blob.Type)
        {
            case BlobType.Commit:
                if (Role == PairRole.Committer)
                    Fail(ChannelFailure.RoleConflict);
                else
                    OnCommit(blob.Payload);
                break;
            case BlobType.Hs1:
                if (Role == PairRole.Initiator)
                    Fail(ChannelFailure.RoleConflict);
                else
                    OnHs1(blob.Sid, blob.Payload);
                break;
            case BlobType.Hs2:
                if (Role == PairRole.Committer)
                    Fail(ChannelFailure.RoleConflict);
                else
                    OnHs2(blob.Sid, blob.Payload);
                break;
            case BlobType.Transport:
                OnTransport(blob.Sid, blob.Payload);
                break;
            case BlobType.Resync:
                OnResync(blob.Sid);
                break;
            default:
                IgnoredCount++; // FILE_CHUNK goes to the file layer, not here
                break;
        }
    }

    /// <summary>Sends one §S5 message; only on an ESTABLISHED channel (never before confirmation, never while BROKEN).</summary>
    public bool TrySend(ReadOnlySpan<byte> json)
    {
        if (State != ChannelState.Established || _session is null || json.Length > PairCrypto.TransportMaxJson)
            return false;
        _transport.Send(PeerId, PairCrypto.SealTransport(_session.Send, _session.Sid, json));
        return true;
    }

    /// <summary>BYE or the server's "left": DEAD, departed, ignored forever.</summary>
    public void MarkDead()
    {
        State = ChannelState.Dead;
        DropAttempt();
        DropSession();
    }

    /// <summary>
    /// Applies the §S4.8 timers: a WAIT_* step older than 15 s retries from NEW with a fresh
    /// ephemeral (≤ 3 per minute), else FAILED(TIMEOUT).
    /// </summary>
    public void CheckTimeouts()
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_linkRetryAt is { } retryAt && now >= retryAt)
        {
            // The one automatic retry after a link failure (§S4.8); C drives it, from the retry budget.
            _linkRetryAt = null;
            if (State == ChannelState.Failed && TryTakeRetry(now))
            {
                Failure = ChannelFailure.None;
                BeginCommit();
            }
            return;
        }
        bool waiting = _attempt is not null ? now - _attempt.StepStarted >= StepTimeout
            : State == ChannelState.WaitCommit && now - _waitSince >= StepTimeout;
        if (!waiting || State is ChannelState.Failed or ChannelState.Dead)
            return;
        if (!TryTakeRetry(now))
        {
            FailAttempt(ChannelFailure.Timeout);
            return;
        }
        DropAttempt();
        if (Role == PairRole.Committer)
        {
            BeginCommit();
            return;
        }
        // docs/e2ee.md C8: I cannot start an attempt; it returns to WAIT_COMMIT and counts the retry.
        _waitSince = now;
        if (_session is null && State != ChannelState.Broken)
        {
            State = ChannelState.WaitCommit;
            SendPoke();
        }
    }

    /// <summary>
    /// The user's "try again" after FAILED (never after KEY_CHANGED, which stays an alarm): a fresh
    /// start with the per-peer budget and the automatic link retry renewed (as channel.js does).
    /// </summary>
    public void Retry()
    {
        if (State != ChannelState.Failed || Failure == ChannelFailure.KeyChanged)
            return;
        Failure = ChannelFailure.None;
        State = ChannelState.New;
        _autoLinkRetryUsed = false;
        _linkRetryAt = null;
        _retryTimes.Clear();
        DropAttempt();
        Start(_poke);
    }

    // --- C ------------------------------------------------------------------------------------

    private void BeginCommit()
    {
        X25519KeyPair ephemeral = _newEphemeral();
        byte[] c = PairCrypto.Commitment(_context.Room, _context.SelfId, PeerId, ephemeral.PublicKey, _context.Static.PublicKey);
        byte[] prologue = PairCrypto.Prologue(_context.Room, _context.SelfId, PeerId, c);
        _attempt?.Dispose();
        _attempt = new Attempt(c, _context.Psk,
            new HandshakeState(HandshakePattern.IXpsk2, initiator: false, prologue, _context.Static, ephemeral, _context.Psk),
            AttemptPhase.WaitHs1, _time.GetUtcNow());
        if (_session is null && State != ChannelState.Broken)
            State = ChannelState.WaitHs1;
        _transport.Send(PeerId, Blob.Encode(BlobType.Commit, c));
    }

    private void OnHs1(ReadOnlySpan<byte> sid, ReadOnlySpan<byte> msg1)
    {
        if (_attempt is not { Phase: AttemptPhase.WaitHs1 } attempt || !sid.SequenceEqual(attempt.Sid))
        {
            IgnoredCount++;
            return;
        }
        ChannelFailure rejected = ChannelFailure.None;
        if (!attempt.Handshake.TryReadMessage(msg1, out _, out HandshakeFailure failure, rs => CheckPinned(rs, ref rejected))
            || !attempt.Handshake.TryWriteMessage([], out byte[] msg2, out failure))
        {
            FailAttempt(failure == HandshakeFailure.RemoteStaticRejected ? rejected : ChannelFailure.Tamper);
            return;
        }
        attempt.Phase = AttemptPhase.WaitConfirm;
        attempt.StepStarted = _time.GetUtcNow();
        if (_session is null && State != ChannelState.Broken)
            State = ChannelState.WaitConfirm;
        _transport.Send(PeerId, Blob.Encode(BlobType.Hs2, attempt.Sid, msg2));
    }

    /// <summary>C: I's first TRANSPORT confirms the attempt (§S4.6); it must decrypt and be hello.</summary>
    private void OnConfirm(Attempt attempt, ReadOnlySpan<byte> ciphertext)
    {
        var (iToC, cToI) = attempt.Handshake.Split();
        if (!PairCrypto.TryOpenTransport(iToC, attempt.Sid, ciphertext, out byte[] json))
        {
            ChannelFailure diagnosis = DiagnoseCommitter(attempt, ciphertext);
            iToC.Dispose();
            cToI.Dispose();
            FailAttempt(diagnosis);
            return;
        }
        if (!AppMessage.TryParseHello(json, out HelloMessage? hello))
        {
            iToC.Dispose();
            cToI.Dispose();
            FailAttempt(ChannelFailure.Tamper); // I's first TRANSPORT must be hello
            return;
        }
        Complete(attempt, send: cToI, receive: iToC);
        PeerHello = hello;
        _session!.PeerHelloSeen = true;
        SendHello();
    }

    // --- I ------------------------------------------------------------------------------------

    private void OnCommit(ReadOnlySpan<byte> c)
    {
        // docs/e2ee.md C4: a COMMIT whose sid I has seen before is ignored whatever the state, so a
        // replayed old commitment cannot start attempts (and burn the retry budget).
        ulong sidValue = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(c);
        bool fresh = State is ChannelState.New or ChannelState.WaitCommit;
        bool newAttempt = State is ChannelState.WaitHs2 or ChannelState.Established or ChannelState.Broken;
        // §S4.8: after a non-fatal failure I accepts exactly one more COMMIT, the committer's
        // automatic retry; further ones wait for the user's "try again".
        bool autoRetry = State == ChannelState.Failed && IsRetryable(Failure) && !_autoLinkRetryUsed;
        if (_seenSids.Contains(sidValue) || !(fresh || newAttempt || autoRetry) || (newAttempt && !TryTakeRetry(_time.GetUtcNow())))
        {
            IgnoredCount++;
            return;
        }
        if (autoRetry)
            _autoLinkRetryUsed = true;
        _seenSids.Add(sidValue);
        if (State == ChannelState.Failed)
        {
            State = ChannelState.WaitCommit;
            Failure = ChannelFailure.None;
        }
        byte[] prologue = PairCrypto.Prologue(_context.Room, PeerId, _context.SelfId, c);
        var handshake = new HandshakeState(HandshakePattern.IXpsk2, initiator: true, prologue, _context.Static, _newEphemeral(), _context.Psk);
        if (!handshake.TryWriteMessage([], out byte[] msg1, out _))
        {
            handshake.Dispose();
            FailAttempt(ChannelFailure.Tamper);
            return;
        }
        _attempt?.Dispose();
        _attempt = new Attempt(c.ToArray(), _context.Psk, handshake, AttemptPhase.WaitHs2, _time.GetUtcNow());
        if (_session is null && State != ChannelState.Broken)
            State = ChannelState.WaitHs2;
        _transport.Send(PeerId, Blob.Encode(BlobType.Hs1, _attempt.Sid, msg1));
    }

    /// <summary>§S4.5, in order: e, ee, se, decrypt s_C; check c; es, psk, payload.</summary>
    private void OnHs2(ReadOnlySpan<byte> sid, ReadOnlySpan<byte> msg2)
    {
        if (_attempt is not { Phase: AttemptPhase.WaitHs2 } attempt || !sid.SequenceEqual(attempt.Sid))
        {
            IgnoredCount++; // never without a stored COMMIT
            return;
        }
        // docs/e2ee.md C2: the psk token mixes the link PSK current now, when HS2 is read.
        attempt.Psk = _context.Psk;
        attempt.Handshake.ReplacePsk(_context.Psk);
        byte[] remoteEphemeral = msg2[..HandshakeState.DhLength].ToArray();
        ChannelFailure rejected = ChannelFailure.None;
        bool ok = attempt.Handshake.TryReadMessage(msg2, out _, out HandshakeFailure failure, rs =>
        {
            byte[] expected = PairCrypto.Commitment(_context.Room, PeerId, _context.SelfId, remoteEphemeral, rs);
            if (!CryptographicOperations.FixedTimeEquals(expected, attempt.C))
            {
                rejected = ChannelFailure.Tamper;
                return false;
            }
            return CheckPinned(rs, ref rejected);
        });
        if (!ok)
        {
            if (failure == HandshakeFailure.DecryptFailed && attempt.Handshake.BeforePsk is not null)
            {
                // The psk step failed: tell C (so it fails the same way instead of timing out), then diagnose.
                _transport.Send(PeerId, Blob.Encode(BlobType.Resync, attempt.Sid));
                FailAttempt(DiagnoseInitiator(attempt));
                return;
            }
            FailAttempt(failure == HandshakeFailure.RemoteStaticRejected ? rejected : ChannelFailure.Tamper);
            return;
        }
        var (iToC, cToI) = attempt.Handshake.Split();
        Complete(attempt, send: iToC, receive: cToI);
        SendHello(); // I's first TRANSPORT must be hello
    }

    // --- both ---------------------------------------------------------------------------------

    private void OnTransport(ReadOnlySpan<byte> sid, ReadOnlySpan<byte> ciphertext)
    {
        if (_session is not null && sid.SequenceEqual(_session.Sid) && State == ChannelState.Established)
        {
            if (!PairCrypto.TryOpenTransport(_session.Receive, _session.Sid, ciphertext, out byte[] json))
            {
                Break();
                return;
            }
            if (!_session.PeerHelloSeen)
            {
                if (!AppMessage.TryParseHello(json, out HelloMessage? hello))
                {
                    Break(); // docs/e2ee.md C7: anything but hello first breaks the session
                    return;
                }
                _session.PeerHelloSeen = true;
                PeerHello = hello;
                return;
            }
            Received.Add(json);
            return;
        }
        if (Role == PairRole.Committer && _attempt is { Phase: AttemptPhase.WaitConfirm } attempt && sid.SequenceEqual(attempt.Sid))
        {
            OnConfirm(attempt, ciphertext);
            return;
        }
        IgnoredCount++; // TRANSPORT never before confirmation, nor on a stale sid
    }

    private void OnResync(ReadOnlySpan<byte> sid)
    {
        if (Role == PairRole.Committer && _attempt is { Phase: AttemptPhase.WaitConfirm } attempt && sid.SequenceEqual(attempt.Sid))
        {
            // I's HS2 psk step failed. C holds no ciphertext of I's to try other PSKs on
            // (docs/e2ee.md C1): NO_SECRET when C itself has no secret, else LINK_OR_TAMPER.
            FailAttempt(IsZero(attempt.Psk) ? ChannelFailure.NoSecret : ChannelFailure.LinkOrTamper);
            return;
        }
        if (_session is not null && sid.SequenceEqual(_session.Sid) && State == ChannelState.Established)
        {
            Break();
            return;
        }
        IgnoredCount++;
    }

    /// <summary>§S4.8 BROKEN: stop sending; C starts a new attempt, I sends RESYNC and waits for it.</summary>
    private void Break()
    {
        byte[] sid = _session!.Sid;
        DropSession();
        State = ChannelState.Broken;
        BrokenCount++;
        _brokenSince = _time.GetUtcNow();
        if (Role == PairRole.Committer)
            BeginCommit();
        else
        {
            DropAttempt();
            _transport.Send(PeerId, Blob.Encode(BlobType.Resync, sid));
        }
    }

    private void Complete(Attempt attempt, CipherState send, CipherState receive)
    {
        byte[] remoteStatic = attempt.Handshake.RemoteStatic.ToArray();
        if (PinnedStatic is null)
        {
            PinnedStatic = remoteStatic;
            Sas = PairCrypto.SasBytes(attempt.Handshake.HandshakeHash);
        }
        DropSession();
        _session = new Session(attempt.Sid, send, receive);
        _attempt = null;
        attempt.Dispose(); // deletes e and ck (§S4.6)
        State = ChannelState.Established;
        Failure = ChannelFailure.None;
    }

    private void SendHello() =>
        _transport.Send(PeerId, PairCrypto.SealTransport(_session!.Send, _session.Sid, AppMessage.Hello(new HelloMessage(_context.Name, _context.Gen))));

    /// <summary>
    /// §S4.8 with docs/e2ee.md C2: C, which mixes the PSK when writing HS2, restarts an attempt in
    /// WAIT_HS1/WAIT_CONFIRM when the link PSK changed. I mixes it only when HS2 arrives and needs no restart.
    /// </summary>
    private void RestartIfPskChanged()
    {
        if (Role != PairRole.Committer || _attempt is null || _attempt.Psk.AsSpan().SequenceEqual(_context.Psk))
            return;
        DropAttempt();
        BeginCommit();
    }

    private bool CheckPinned(byte[] remoteStatic, ref ChannelFailure rejected)
    {
        if (PinnedStatic is null || CryptographicOperations.FixedTimeEquals(PinnedStatic, remoteStatic))
            return true;
        rejected = ChannelFailure.KeyChanged;
        return false;
    }

    /// <summary>§S4.9 on I: redo the psk step and the payload with the zero PSK, then the previous generation's.</summary>
    private ChannelFailure DiagnoseInitiator(Attempt attempt)
    {
        if (IsZero(attempt.Psk))
            return ChannelFailure.NoSecret; // C1: I is itself the one without the secret
        foreach ((byte[] psk, ChannelFailure verdict) in AlternativePsks(attempt.Psk))
        {
            using SymmetricState retry = attempt.Handshake.BeforePsk!.Clone();
            retry.MixKeyAndHash(psk);
            if (retry.TryDecryptAndHash(attempt.Handshake.LastPayloadCiphertext, out _))
                return verdict; // never accepted as a channel
        }
        return ChannelFailure.LinkOrTamper;
    }

    /// <summary>§S4.9 on C: redo the psk step, HS2's payload and Split with each alternative PSK and try I's first TRANSPORT.</summary>
    private ChannelFailure DiagnoseCommitter(Attempt attempt, ReadOnlySpan<byte> ciphertext)
    {
        if (IsZero(attempt.Psk))
            return ChannelFailure.NoSecret;
        foreach ((byte[] psk, ChannelFailure verdict) in AlternativePsks(attempt.Psk))
        {
            using SymmetricState retry = attempt.Handshake.BeforePsk!.Clone();
            retry.MixKeyAndHash(psk);
            retry.EncryptAndHash([]);
            var (iToC, cToI) = retry.Split();
            bool opens = iToC.TryDecryptWithAd(PairCrypto.TransportAd(attempt.Sid), ciphertext, out _);
            iToC.Dispose();
            cToI.Dispose();
            if (opens)
                return verdict;
        }
        return ChannelFailure.LinkOrTamper;
    }

    private IEnumerable<(byte[] Psk, ChannelFailure Verdict)> AlternativePsks(byte[] used)
    {
        byte[] zero = new byte[32];
        if (!used.AsSpan().SequenceEqual(zero))
            yield return (zero, ChannelFailure.NoSecret);
        if (_context.PreviousPsk is { } previous && !previous.AsSpan().SequenceEqual(used))
            yield return (previous, ChannelFailure.OldLink);
    }

    /// <summary>Retries: ≤ 3 per peer per minute and ≤ 10 per meeting, shared by all peers (§S4.8, §S14).</summary>
    private bool TryTakeRetry(DateTimeOffset now)
    {
        while (_retryTimes.Count > 0 && now - _retryTimes.Peek() >= TimeSpan.FromMinutes(1))
            _retryTimes.Dequeue();
        if (_retryTimes.Count >= RetriesPerMinute || !_context.TryTakeMeetingRetry())
            return false;
        _retryTimes.Enqueue(now);
        return true;
    }

    private static bool IsZero(byte[] psk) => !psk.AsSpan().ContainsAnyExcept((byte)0);

    private static bool IsRetryable(ChannelFailure failure) =>
        failure is ChannelFailure.LinkOrTamper or ChannelFailure.NoSecret or ChannelFailure.OldLink or ChannelFailure.Timeout;

    /// <summary>
    /// A handshake attempt failed (docs/e2ee.md C5): beside an ESTABLISHED session the attempt is
    /// dropped and the session stays — COMMIT is not authenticated, so otherwise a server could kill
    /// working channels with garbage attempts — except KEY_CHANGED and ROLE_CONFLICT, alarms about the peer itself.
    /// </summary>
    private void FailAttempt(ChannelFailure failure)
    {
        if (_session is not null && State == ChannelState.Established && failure is not (ChannelFailure.KeyChanged or ChannelFailure.RoleConflict))
        {
            DropAttempt();
            FailedAttemptCount++;
            return;
        }
        Fail(failure);
    }

    private void Fail(ChannelFailure failure)
    {
        State = ChannelState.Failed;
        Failure = failure;
        DropAttempt();
        DropSession();
        // §S4.8: one automatic retry 3 s after a link failure (rotation races), then manual. C
        // drives it; I accepts one more COMMIT in FAILED (OnCommit).
        if (failure is ChannelFailure.LinkOrTamper or ChannelFailure.NoSecret or ChannelFailure.OldLink
            && Role == PairRole.Committer && !_autoLinkRetryUsed)
        {
            _autoLinkRetryUsed = true;
            _linkRetryAt = _time.GetUtcNow() + LinkFailureRetry;
        }
    }

    private void DropAttempt()
    {
        _attempt?.Dispose();
        _attempt = null;
    }

    private void DropSession()
    {
        _session?.Dispose();
        _session = null;
    }

    public void Dispose()
    {
        DropAttempt();
        DropSession();
    }

    private enum AttemptPhase
    {
        WaitHs1,
        WaitHs2,
        WaitConfirm,
    }

    /// <summary>One handshake attempt: its commitment c (sid = c[0..8)), the PSK it began under, and the Noise state.</summary>
    private sealed class Attempt(byte[] c, byte[] psk, HandshakeState handshake, AttemptPhase phase, DateTimeOffset started) : IDisposable
    {
        public byte[] C { get; } = c;
        public byte[] Sid { get; } = PairCrypto.SidOf(c);
        public byte[] Psk { get; set; } = psk;
        public HandshakeState Handshake { get; } = handshake;
        public AttemptPhase Phase { get; set; } = phase;
        public DateTimeOffset StepStarted { get; set; } = started;

        public void Dispose() => Handshake.Dispose();
    }

    /// <summary>An ESTABLISHED channel: its sid and the two rekeying cipher states.</summary>
    private sealed class Session(byte[] sid, CipherState send, CipherState receive) : IDisposable
    {
        public byte[] Sid { get; } = sid;
        public CipherState Send { get; } = send;
        public CipherState Receive { get; } = receive;
        public bool PeerHelloSeen { get; set; }

        public void Dispose()
        {
            Send.Dispose();
            Receive.Dispose();
        }
    }
}
