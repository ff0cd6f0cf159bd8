using System.Buffers;
using System.Net;
using Sotto.Rtc.Srtp;
using Sotto.Rtc.Stun;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Transport;

/// <summary>
/// One peer's WebRTC transport on the shared <see cref="UdpMux"/>: ICE, then DTLS-SRTP, then
/// SRTP/SRTCP both ways (BUNDLE and rtcp-mux: one 5-tuple carries everything).
/// <list type="bullet">
/// <item>Server (<see cref="CreateServer"/>): the SFU side, ICE-lite controlled (RFC 8445 §2.5),
/// DTLS server (<c>a=setup:passive</c>). The DTLS handshake starts only after a valid check from
/// the address, which is our protection against spoofed ClientHellos (no cookie exchange).</item>
/// <item>Client (<see cref="CreateClient"/>): our C# participant, ICE controlling with aggressive
/// nomination, DTLS client (<c>a=setup:active</c>) by default.</item>
/// </list>
/// The DTLS role is independent of the ICE role (RFC 8842 §5: SDP <c>a=setup</c> decides it): a peer
/// such as Chromium or Janus that answers our <c>actpass</c> offer <c>active</c> makes our
/// controlling transport the DTLS server (<see cref="DtlsRole.Server"/>).
/// </summary>
public sealed class WebRtcTransport : IUdpMuxSession, IDatagramSender, IDisposable
{
    // Passed by argument.
    private readonly UdpMux _mux;
    private readonly DtlsCertificate _certificate;
    private readonly DtlsFingerprint _remoteFingerprint;
    private readonly IWebRtcTransportListener _listener;
    private readonly WebRtcTransportOptions _options;

    /// <summary>Room after a packet for what SRTP/SRTCP adds (auth tag, SRTCP index; 20 at most).</summary>
    private const int SrtpTrailerRoom = 32;

    /// <summary>Most media datagrams kept while the DTLS handshake finishes (a first key frame and some audio).</summary>
    internal const int MaxHeldBeforeKeys = 32;

    // Allocated by this.
    private readonly IceLiteAgent? _liteAgent;
    private readonly IceControllingAgent? _controllingAgent;
    private readonly object _sync = new();
    private readonly object _sendLock = new();
    private readonly object _receiveLock = new();
    private readonly byte[] _sendBuffer;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile SocketAddress? _selected;
    private volatile WebRtcTransportState _state = WebRtcTransportState.Checking;
    private DtlsDatagramChannel? _dtlsChannel;
    private DtlsHandshakeResult? _dtls;
    private SrtpContext? _outbound;
    private SrtpContext? _inbound;
    private long _lastConsentAt;
    private int _draining;

    // Media that arrived during the DTLS handshake, before our keys existed (the peer may finish one
    // flight before us and send at once). Under _receiveLock; delivered on the receive loop later.
    private (byte[] Copy, int Length)[]? _held;
    private volatile int _heldCount;

    private WebRtcTransport(
        UdpMux mux,
        DtlsCertificate certificate,
        IceParameters localIce,
        IceParameters? remoteIce,
        DtlsFingerprint remoteFingerprint,
        IWebRtcTransportListener listener,
        WebRtcTransportOptions options,
        bool isIceControlling,
        DtlsRole dtlsRole)
    {
        _mux = mux;
        _certificate = certificate;
        _remoteFingerprint = remoteFingerprint;
        _listener = listener;
        _options = options;
        LocalIce = localIce;
        IsIceControlling = isIceControlling;
        DtlsRole = dtlsRole;
        _lastConsentAt = Environment.TickCount64;
        _sendBuffer = GC.AllocateArray<byte>(options.MaxPacketSize + SrtpTrailerRoom, pinned: true);
        // Owners that never await Connected must not leave an unobserved faulted task behind.
        _connected.Task.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (isIceControlling)
        {
            _controllingAgent = new IceControllingAgent(localIce, remoteIce!, options.Ice, _lastConsentAt);
            // A full peer (Janus) also checks us and waits for our answer before it selects the pair.
            _liteAgent = new IceLiteAgent(localIce, remoteIce, controlling: true);
            // As the DTLS server: our one remote address is bound exclusively from the start, so
            // only the peer we chose reaches this channel. Creating it now queues a ClientHello that
            // overtakes the answer to our check (the peer may start DTLS as soon as it has answered
            // us); the handshake itself still waits for ICE (StartDtlsOnce).
            if (dtlsRole == DtlsRole.Server)
                _dtlsChannel = new DtlsDatagramChannel(this, options.Dtls.Mtu);
        }
        else
        {
            _liteAgent = new IceLiteAgent(localIce, remoteIce);
        }
    }

    /// <summary>Our ICE credentials, for our SDP.</summary>
    public IceParameters LocalIce { get; }

    /// <summary>Our certificate fingerprint, for our SDP.</summary>
    public DtlsFingerprint LocalFingerprint => _certificate.Fingerprint;

    /// <summary>True for our participant's side (ICE controlling, <see cref="CreateClient"/>).</summary>
    public bool IsIceControlling { get; }

    /// <summary>Our side of the DTLS handshake.</summary>
    public DtlsRole DtlsRole { get; }

    /// <summary>The current state.</summary>
    public WebRtcTransportState State => _state;

    /// <summary>Completes when SRTP keys are installed; faults if the transport closes first.</summary>
    public Task Connected => _connected.Task;

    /// <summary>The negotiated SRTP profile, once connected.</summary>
    public SrtpProtectionProfile? SrtpProfile => _dtls?.Keys.Profile;

    /// <summary>The exported SRTP keys, once connected (tests build a peer's SRTP context from them).</summary>
    internal SrtpKeyingMaterial? Keys => _dtls?.Keys;

    /// <summary>How long the DTLS handshake took, once connected.</summary>
    public TimeSpan? DtlsHandshakeTime => _dtls?.Elapsed;

    /// <summary>The peer address media is sent to (the nominated pair), once known. Allocates: for logs and tests.</summary>
    public IPEndPoint? RemoteEndPoint => _selected?.ToIPEndPoint();

    /// <summary>Packet counters.</summary>
    public WebRtcTransportCounters Counters { get; } = new();

    /// <summary>
    /// The SFU side for one browser: registers <paramref name="localIce"/>'s ufrag on the mux and
    /// waits for its checks. <paramref name="remoteIce"/> and <paramref name="remoteFingerprint"/>
    /// come from the browser's offer. <paramref name="dtlsRole"/> is <see cref="DtlsRole.Server"/>
    /// for every SFU answer (<c>a=setup:passive</c>); tests use <see cref="DtlsRole.Client"/> to
    /// stand in for a controlled peer that answers <c>active</c>.
    /// </summary>
    public static WebRtcTransport CreateServer(
        UdpMux mux,
        DtlsCertificate certificate,
        IceParameters localIce,
        IceParameters? remoteIce,
        DtlsFingerprint remoteFingerprint,
        IWebRtcTransportListener listener,
        WebRtcTransportOptions? options = null,
        DtlsRole dtlsRole = DtlsRole.Server)
    {
        var transport = Create(mux, certificate, localIce, remoteIce, remoteFingerprint, listener, options, isIceControlling: false, dtlsRole);
        mux.Register(localIce.UsernameFragment, transport);
        return transport;
    }

    /// <summary>
    /// Our participant's side: checks <paramref name="remoteCandidate"/> (the server's single host
    /// candidate) from the mux's socket, then runs DTLS in <paramref name="dtlsRole"/>: the client
    /// when the peer answered <c>passive</c> (Sotto) or offered <c>actpass</c>, the server when it
    /// answered our offer <c>active</c> (Chromium, Janus). One client transport per mux and server
    /// address (the server routes by our address).
    /// </summary>
    public static WebRtcTransport CreateClient(
        UdpMux mux,
        DtlsCertificate certificate,
        IceParameters localIce,
        IceParameters remoteIce,
        DtlsFingerprint remoteFingerprint,
        IPEndPoint remoteCandidate,
        IWebRtcTransportListener listener,
        WebRtcTransportOptions? options = null,
        DtlsRole dtlsRole = DtlsRole.Client)
    {
        ArgumentNullException.ThrowIfNull(remoteIce);
        ArgumentNullException.ThrowIfNull(remoteCandidate);
        var transport = Create(mux, certificate, localIce, remoteIce, remoteFingerprint, listener, options, isIceControlling: true, dtlsRole);
        SocketAddress remote = mux.ToSocketAddress(remoteCandidate);
        transport._selected = remote;
        // We initiate towards a known address: bind it now; its answers are still authenticated
        // by MESSAGE-INTEGRITY with the remote password before anything else happens. The server
        // tells its sessions apart by our address, so a second client transport to the same
        // server cannot share this socket: give each client its own mux.
        if (!mux.TryBindExclusive(remote, transport))
            throw new InvalidOperationException($"This mux already has a transport to {remoteCandidate}; use one mux per client transport.");
        mux.Register(localIce.UsernameFragment, transport);
        transport.PollChecks(Environment.TickCount64);
        return transport;
    }

    private static WebRtcTransport Create(
        UdpMux mux,
        DtlsCertificate certificate,
        IceParameters localIce,
        IceParameters? remoteIce,
        DtlsFingerprint remoteFingerprint,
        IWebRtcTransportListener listener,
        WebRtcTransportOptions? options,
        bool isIceControlling,
        DtlsRole dtlsRole)
    {
        ArgumentNullException.ThrowIfNull(mux);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(localIce);
        ArgumentNullException.ThrowIfNull(listener);
        if (remoteFingerprint.IsEmpty)
            throw new ArgumentException("The remote SDP's fingerprint is required.", nameof(remoteFingerprint));
        if (!Enum.IsDefined(dtlsRole))
            throw new ArgumentOutOfRangeException(nameof(dtlsRole));
        return new WebRtcTransport(mux, certificate, localIce, remoteIce, remoteFingerprint, listener, options ?? new(), isIceControlling, dtlsRole);
    }

    /// <summary>Protects a copy of <paramref name="packet"/> (RTP) and sends it; false before connecting or when closed.</summary>
    public bool SendRtp(ReadOnlySpan<byte> packet) => Send(packet, rtcp: false);

    /// <summary>Protects a copy of <paramref name="packet"/> (RTCP) and sends it; false before connecting or when closed.</summary>
    public bool SendRtcp(ReadOnlySpan<byte> packet) => Send(packet, rtcp: true);

    private bool Send(ReadOnlySpan<byte> packet, bool rtcp)
    {
        SocketAddress? remote = _selected;
        if (remote is null || _state != WebRtcTransportState.Connected || packet.Length > _options.MaxPacketSize)
            return false;

        lock (_sendLock)
        {
            SrtpContext? outbound = _outbound;
            if (outbound is null)
                return false;

            // Protect a copy in place: the caller's bytes stay untouched (an SFU sends one packet to
            // many transports), and no buffer is allocated per packet. On a receive loop the copy is
            // made straight into the loop's send batch; elsewhere into our own buffer.
            Span<byte> slot = _mux.ReserveBatchedSend();
            bool batched = slot.Length >= packet.Length + SrtpTrailerRoom;
            Span<byte> buffer = batched ? slot : _sendBuffer;
            packet.CopyTo(buffer);
            SrtpResult result = rtcp
                ? outbound.ProtectRtcp(buffer, packet.Length, out int length)
                : outbound.ProtectRtp(buffer, packet.Length, out length);
            if (result != SrtpResult.Ok)
                return false;
            if (batched ? !_mux.CommitBatchedSend(length, remote) : !_mux.TrySend(buffer[..length], remote))
                return false;
        }

        Interlocked.Increment(ref rtcp ? ref Counters.RtcpSentCount : ref Counters.RtpSentCount);
        return true;
    }

    void IUdpMuxSession.OnDatagram(DatagramKind kind, Span<byte> datagram, SocketAddress remote, bool isBound)
    {
        if (_heldCount != 0)
            DeliverHeld();

        switch (kind)
        {
            case DatagramKind.Stun when IsIceControlling && !IsStunRequest(datagram):
                OnStunResponse(datagram);
                break;
            case DatagramKind.Stun when IsIceControlling:
                AnswerPeerCheck(datagram, remote);
                break;
            case DatagramKind.Stun:
                OnCheck(datagram, remote, isBound);
                break;
            case DatagramKind.Dtls:
                OnDtls(datagram);
                break;
            case DatagramKind.Rtp:
                OnMedia(datagram);
                break;
        }
    }

    private void OnCheck(ReadOnlySpan<byte> datagram, SocketAddress remote, bool isBound)
    {
        Span<byte> response = stackalloc byte[IceLiteAgent.MaxResponseLength];
        IceCheckOutcome outcome = _liteAgent!.HandleRequest(datagram, remote, response, out int responseLength);
        if (outcome is IceCheckOutcome.Valid or IceCheckOutcome.Nominated)
        {
            lock (_sync)
            {
                if (_state == WebRtcTransportState.Closed)
                    return;

                // Bind before answering: the peer's DTLS follows our answer and must find us.
                if (!isBound)
                    _mux.Bind(remote, this);
                Volatile.Write(ref _lastConsentAt, Environment.TickCount64);
                if (_selected is null || (outcome == IceCheckOutcome.Nominated && !_selected.Equals(remote)))
                    _selected = remote.Clone();
                StartDtlsOnce();
            }

            Interlocked.Increment(ref Counters.ChecksAnsweredCount);
        }
        else if (outcome == IceCheckOutcome.Rejected)
        {
            Interlocked.Increment(ref Counters.ChecksRejectedCount);
        }

        if (responseLength > 0)
            _mux.TrySend(response[..responseLength], remote);
    }

    // RFC 8489 §5: the class bits C1 (0x0100) and C0 (0x0010) of the message type; 00 = request.
    private static bool IsStunRequest(ReadOnlySpan<byte> datagram) => datagram.Length >= 2 && (datagram[0] & 0x01) == 0 && (datagram[1] & 0x10) == 0;

    /// <summary>
    /// Client side: answers a full peer's (triggered) check on our one pair. As the DTLS server we
    /// also start listening for the handshake before answering: the peer's ClientHello follows
    /// its own successful check, i.e. this answer.
    /// </summary>
    private void AnswerPeerCheck(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        Span<byte> response = stackalloc byte[IceLiteAgent.MaxResponseLength];
        IceCheckOutcome outcome = _liteAgent!.HandleRequest(datagram, remote, response, out int responseLength);
        if (outcome is IceCheckOutcome.Valid or IceCheckOutcome.Nominated)
        {
            if (DtlsRole == DtlsRole.Server && remote.Equals(_selected))
            {
                lock (_sync)
                {
                    if (_state != WebRtcTransportState.Closed)
                        StartDtlsOnce();
                }
            }

            Interlocked.Increment(ref Counters.ChecksAnsweredCount);
        }
        else if (outcome == IceCheckOutcome.Rejected)
            Interlocked.Increment(ref Counters.ChecksRejectedCount);
        if (responseLength > 0 && _state != WebRtcTransportState.Closed)
            _mux.TrySend(response[..responseLength], remote);
    }

    private void OnStunResponse(ReadOnlySpan<byte> datagram)
    {
        lock (_sync)
        {
            if (_state == WebRtcTransportState.Closed || !_controllingAgent!.HandleResponse(datagram, Environment.TickCount64))
                return;
            StartDtlsOnce();
        }
    }

    private void PollChecks(long now)
    {
        Span<byte> check = stackalloc byte[IceControllingAgent.MaxCheckLength];
        int length;
        lock (_sync)
        {
            if (_state == WebRtcTransportState.Closed)
                return;
            length = _controllingAgent!.Poll(now, check);
        }

        if (length > 0 && _selected is { } remote)
            _mux.TrySend(check[..length], remote);
    }

    /// <summary>Called under <see cref="_sync"/>.</summary>
    private void StartDtlsOnce()
    {
        if (_state != WebRtcTransportState.Checking)
            return;

        _state = WebRtcTransportState.DtlsHandshaking;
        _dtlsChannel ??= new DtlsDatagramChannel(this, _options.Dtls.Mtu);
        Task<DtlsHandshakeResult> handshake = DtlsRole == DtlsRole.Client
            ? DtlsHandshake.ConnectAsync(_dtlsChannel, _certificate, _remoteFingerprint, _options.Dtls, OnDtlsClosedByPeer)
            : DtlsHandshake.AcceptAsync(_dtlsChannel, _certificate, _remoteFingerprint, _options.Dtls, OnDtlsClosedByPeer);
        handshake.ContinueWith(static (task, state) => ((WebRtcTransport)state!).OnHandshakeDone(task), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnHandshakeDone(Task<DtlsHandshakeResult> handshake)
    {
        if (!handshake.IsCompletedSuccessfully)
        {
            Close(WebRtcTransportCloseReason.DtlsFailed, handshake.Exception?.InnerException);
            return;
        }

        DtlsHandshakeResult result = handshake.Result;
        lock (_sync)
        {
            if (_state == WebRtcTransportState.Closed)
            {
                result.Transport.Close();
                return;
            }

            (SrtpContext outbound, SrtpContext inbound) = result.Keys.CreateContexts(isClient: DtlsRole == DtlsRole.Client);
            _dtls = result;
            lock (_sendLock)
                _outbound = outbound;
            lock (_receiveLock)
                _inbound = inbound;
            _state = WebRtcTransportState.Connected;
        }

        _listener.OnConnected(this);
        _connected.TrySetResult();
    }

    private void OnDtls(ReadOnlySpan<byte> datagram)
    {
        DtlsDatagramChannel? channel = _dtlsChannel;
        if (channel is null)
            return;

        channel.Deliver(datagram);

        // After the handshake, DTLS records are rare (a retransmitted Finished flight to answer,
        // close_notify, alerts). Read them off the receive loop; BouncyCastle may block briefly.
        if (_dtls is not null && Interlocked.Exchange(ref _draining, 1) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static transport => transport.DrainDtls(), this, preferLocal: false);
    }

    private void DrainDtls()
    {
        DtlsHandshakeResult? dtls = _dtls;
        DtlsDatagramChannel? channel = _dtlsChannel;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(channel?.GetReceiveLimit() ?? 1500);
        try
        {
            while (dtls is not null && channel is not null && !channel.IsClosed && channel.HasPending)
                dtls.Transport.Receive(buffer, 0, buffer.Length, 1); // application data: we carry none (no data channel).
        }
        catch (Exception exception) when (exception is IOException or Org.BouncyCastle.Tls.TlsException)
        {
            Close(WebRtcTransportCloseReason.DtlsClosedByPeer, exception);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Volatile.Write(ref _draining, 0);
        }
    }

    private void OnDtlsClosedByPeer() => ThreadPool.UnsafeQueueUserWorkItem(
        static transport => transport.Close(WebRtcTransportCloseReason.DtlsClosedByPeer, null), this, preferLocal: false);

    private void OnMedia(Span<byte> datagram)
    {
        // RFC 5761 §4: RTCP packet types 192–223 sit where RTP payload types 64–95 would be.
        bool isRtcp = datagram.Length >= 2 && (datagram[1] & 0x7F) is >= 64 and <= 95;
        SrtpResult result;
        int length;
        lock (_receiveLock)
        {
            SrtpContext? inbound = _inbound;
            if (inbound is null)
            {
                HoldUntilKeys(datagram);
                return;
            }

            result = isRtcp
                ? inbound.UnprotectRtcp(datagram, datagram.Length, out length)
                : inbound.UnprotectRtp(datagram, datagram.Length, out length);
        }

        if (result != SrtpResult.Ok)
        {
            Interlocked.Increment(ref result == SrtpResult.Replayed ? ref Counters.ReplayedCount : ref Counters.SrtpRejectedCount);
            return;
        }

        if (isRtcp)
        {
            Interlocked.Increment(ref Counters.RtcpReceivedCount);
            _listener.OnRtcp(this, datagram[..length]);
        }
        else
        {
            Interlocked.Increment(ref Counters.RtpReceivedCount);
            _listener.OnRtp(this, datagram[..length]);
        }
    }

    /// <summary>
    /// Keeps a media datagram that arrived during the DTLS handshake: the peer finishes its side one
    /// flight before ours completes here and may send at once (as the DTLS client it sees our Finished
    /// before our handshake call has returned and the keys are installed). Dropping those would cost
    /// the first key frame. Bounded; anything else before keys is dropped and counted. Under _receiveLock.
    /// </summary>
    private void HoldUntilKeys(ReadOnlySpan<byte> datagram)
    {
        if (_state != WebRtcTransportState.DtlsHandshaking || _heldCount == MaxHeldBeforeKeys || datagram.Length > _options.MaxPacketSize + SrtpTrailerRoom)
        {
            Interlocked.Increment(ref Counters.MediaBeforeKeysCount);
            return;
        }

        _held ??= new (byte[], int)[MaxHeldBeforeKeys];
        byte[] copy = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(copy);
        _held[_heldCount] = (copy, datagram.Length);
        _heldCount++;
        Interlocked.Increment(ref Counters.MediaHeldCount);
    }

    /// <summary>
    /// Hands on what <see cref="HoldUntilKeys"/> kept, in arrival order, once the keys exist. Runs on
    /// the receive loop (before the datagram that triggered it), so the listener sees packets on its
    /// usual thread. Held datagrams are dropped if the transport closed.
    /// </summary>
    private void DeliverHeld()
    {
        (byte[] Copy, int Length)[] held;
        int count;
        lock (_receiveLock)
        {
            if (_heldCount == 0 || (_inbound is null && _state != WebRtcTransportState.Closed))
                return; // still handshaking (or another loop took them)
            held = _held!;
            count = _heldCount;
            _held = null;
            _heldCount = 0;
        }

        for (int i = 0; i < count; i++)
        {
            if (_state != WebRtcTransportState.Closed)
                OnMedia(held[i].Copy.AsSpan(0, held[i].Length));
            ArrayPool<byte>.Shared.Return(held[i].Copy);
        }
    }

    void IUdpMuxSession.OnHousekeeping(long nowMilliseconds)
    {
        if (_state == WebRtcTransportState.Closed)
            return;

        if (IsIceControlling)
        {
            PollChecks(nowMilliseconds);
            if (_controllingAgent!.HasFailed)
                Close(WebRtcTransportCloseReason.IceFailed, null);
            else if (nowMilliseconds - _controllingAgent.LastSuccessAt > (long)_options.Ice.ConsentTimeout.TotalMilliseconds)
                Close(WebRtcTransportCloseReason.ConsentExpired, null);
        }
        else if (nowMilliseconds - Volatile.Read(ref _lastConsentAt) > (long)_options.Ice.ConsentTimeout.TotalMilliseconds)
        {
            // RFC 7675 §5.1: no valid check for the consent timeout; also reaps a transport whose
            // browser never showed up.
            Close(WebRtcTransportCloseReason.ConsentExpired, null);
        }
    }

    void IDatagramSender.SendDatagram(ReadOnlySpan<byte> datagram)
    {
        if (_selected is { } remote)
            _mux.TrySend(datagram, remote);
    }

    /// <summary>Closes the transport (sends DTLS close_notify when connected).</summary>
    public void Close() => Close(WebRtcTransportCloseReason.Closed, null);

    /// <inheritdoc/>
    public void Dispose() => Close();

    private void Close(WebRtcTransportCloseReason reason, Exception? error)
    {
        lock (_sync)
        {
            if (_state == WebRtcTransportState.Closed)
                return;
            _state = WebRtcTransportState.Closed;
        }

        _mux.Unregister(LocalIce.UsernameFragment, this);
        if (reason != WebRtcTransportCloseReason.DtlsClosedByPeer)
        {
            try
            {
                _dtls?.Transport.Close(); // close_notify, so the peer notices at once.
            }
            catch (Exception exception) when (exception is IOException or Org.BouncyCastle.Tls.TlsException)
            {
                // The association is already broken; nothing more to tell the peer.
            }
        }

        _dtlsChannel?.Close();
        lock (_sendLock)
        {
            _outbound?.Dispose();
            _outbound = null;
        }

        lock (_receiveLock)
        {
            _inbound?.Dispose();
            _inbound = null;
            for (int i = 0; i < _heldCount; i++)
                ArrayPool<byte>.Shared.Return(_held![i].Copy);
            _heldCount = 0;
        }

        _connected.TrySetException(error ?? new InvalidOperationException($"Transport closed before connecting: {reason}."));
        _listener.OnClosed(this, reason, error);
    }
}
