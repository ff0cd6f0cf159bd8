using System.Net;
using System.Net.Sockets;
using System.Text;
using Sotto.Rtc.Srtp;
using Sotto.Rtc.Stun;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;
using Sotto.Transport.Tests.Support;

namespace Sotto.Transport.Tests;

/// <summary>Our client and our server, each on its own mux, over loopback.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The muxes are disposed in IAsyncLifetime.DisposeAsync.")]
public sealed class WebRtcTransportTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly DtlsCertificate _serverCertificate = DtlsCertificate.Generate();
    private readonly DtlsCertificate _clientCertificate = DtlsCertificate.Generate();
    private readonly IceParameters _serverIce = IceParameters.Generate();
    private readonly IceParameters _clientIce = IceParameters.Generate();
    private UdpMux _serverMux = null!;
    private UdpMux _clientMux = null!;

    public Task InitializeAsync()
    {
        var options = new UdpMuxOptions { BindAddress = IPAddress.Loopback, HousekeepingInterval = TimeSpan.FromMilliseconds(50) };
        _serverMux = new UdpMux(options);
        _clientMux = new UdpMux(options);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _clientMux.DisposeAsync();
        await _serverMux.DisposeAsync();
    }

    private (WebRtcTransport Server, RecordingListener ServerListener, WebRtcTransport Client, RecordingListener ClientListener) Pair(
        WebRtcTransportOptions? serverOptions = null,
        WebRtcTransportOptions? clientOptions = null,
        IceParameters? serverIceAsTheClientKnowsIt = null)
    {
        var serverListener = new RecordingListener();
        var clientListener = new RecordingListener();
        var server = WebRtcTransport.CreateServer(_serverMux, _serverCertificate, _serverIce, _clientIce, _clientCertificate.Fingerprint, serverListener, serverOptions);
        var client = WebRtcTransport.CreateClient(
            _clientMux, _clientCertificate, _clientIce, serverIceAsTheClientKnowsIt ?? _serverIce, _serverCertificate.Fingerprint,
            _serverMux.LocalEndPoint, clientListener, clientOptions);
        return (server, serverListener, client, clientListener);
    }

    public static TheoryData<SrtpProtectionProfile> Profiles => new()
    {
        SrtpProtectionProfile.AeadAes128Gcm,
        SrtpProtectionProfile.AeadAes256Gcm,
        SrtpProtectionProfile.AesCm128HmacSha1_80,
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Client_and_server_connect_and_carry_RTP_and_RTCP_both_ways(SrtpProtectionProfile profile)
    {
        var serverOptions = new WebRtcTransportOptions { Dtls = new DtlsOptions { SrtpProfiles = [profile] } };
        var (server, serverListener, client, clientListener) = Pair(serverOptions);
        using (server)
        using (client)
        {
            await Task.WhenAll(server.Connected, client.Connected).WaitAsync(Timeout);
            Assert.Equal(profile, server.SrtpProfile);
            Assert.Equal(profile, client.SrtpProfile);
            Assert.Equal(1, _serverMux.BoundAddressCount);

            byte[] up = RtpPackets.Rtp(111, 1000, 0x11111111);
            byte[] down = RtpPackets.Rtp(96, 2000, 0x22222222);
            byte[] upReport = RtpPackets.ReceiverReport(0x11111111);
            byte[] downReport = RtpPackets.ReceiverReport(0x22222222);
            Assert.True(client.SendRtp(up));
            Assert.True(server.SendRtp(down));
            Assert.True(client.SendRtcp(upReport));
            Assert.True(server.SendRtcp(downReport));

            await Wait.UntilAsync(() => serverListener.Rtp.Count == 1 && clientListener.Rtp.Count == 1 && serverListener.Rtcp.Count == 1 && clientListener.Rtcp.Count == 1, Timeout, "one RTP and one RTCP packet each way");
            Assert.Equal(up, serverListener.Rtp.Single());
            Assert.Equal(down, clientListener.Rtp.Single());
            Assert.Equal(upReport, serverListener.Rtcp.Single());
            Assert.Equal(downReport, clientListener.Rtcp.Single());
            Assert.Equal(0, server.Counters.SrtpRejected);
        }
    }

    [Fact]
    public async Task Many_clients_share_one_server_port_and_each_gets_its_own_packets()
    {
        const int Clients = 4;
        var muxes = new List<UdpMux>();
        var servers = new List<(WebRtcTransport Transport, RecordingListener Listener)>();
        var clients = new List<WebRtcTransport>();
        try
        {
            for (int i = 0; i < Clients; i++)
            {
                var serverIce = IceParameters.Generate();
                var clientIce = IceParameters.Generate();
                var clientMux = new UdpMux(new UdpMuxOptions { BindAddress = IPAddress.Loopback });
                muxes.Add(clientMux);
                var listener = new RecordingListener();
                servers.Add((WebRtcTransport.CreateServer(_serverMux, _serverCertificate, serverIce, clientIce, _clientCertificate.Fingerprint, listener), listener));
                clients.Add(WebRtcTransport.CreateClient(clientMux, _clientCertificate, clientIce, serverIce, _serverCertificate.Fingerprint, _serverMux.LocalEndPoint, new RecordingListener()));
            }

            await Task.WhenAll(servers.Select(s => s.Transport.Connected).Concat(clients.Select(c => c.Connected))).WaitAsync(Timeout);
            Assert.Equal(Clients, _serverMux.BoundAddressCount);

            for (int i = 0; i < Clients; i++)
                Assert.True(clients[i].SendRtp(RtpPackets.Rtp(111, 1, (uint)(1000 + i))));
            await Wait.UntilAsync(() => servers.All(s => s.Listener.Rtp.Count == 1), Timeout, "one packet per server transport");
            for (int i = 0; i < Clients; i++)
                Assert.Equal(RtpPackets.Rtp(111, 1, (uint)(1000 + i)), servers[i].Listener.Rtp.Single());

            // One socket cannot carry two client transports to the same server address.
            Assert.Throws<InvalidOperationException>(() => WebRtcTransport.CreateClient(
                muxes[0], _clientCertificate, IceParameters.Generate(), IceParameters.Generate(), _serverCertificate.Fingerprint, _serverMux.LocalEndPoint, new RecordingListener()));
        }
        finally
        {
            clients.ForEach(c => c.Close());
            servers.ForEach(s => s.Transport.Close());
            foreach (var mux in muxes)
                await mux.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_stream_of_packets_arrives_in_order_and_replays_are_dropped()
    {
        byte[]? lastProtected = null;
        _serverMux.Tap = (kind, datagram) =>
        {
            if (kind == DatagramKind.Rtp)
                lastProtected = datagram.ToArray();
        };
        var (server, serverListener, client, _) = Pair();
        using (server)
        using (client)
        {
            await Task.WhenAll(server.Connected, client.Connected).WaitAsync(Timeout);
            for (ushort sequence = 0; sequence < 200; sequence++)
                Assert.True(client.SendRtp(RtpPackets.Rtp(111, sequence, 0xABCDEF01)));
            await Wait.UntilAsync(() => serverListener.Rtp.Count == 200, Timeout, "200 RTP packets");
            Assert.Equal(Enumerable.Range(0, 200), serverListener.Rtp.Select(p => (p[2] << 8) | p[3]));
            Assert.Equal(0, server.Counters.Replayed);

            // An attacker (or the network) repeats the last protected datagram: the replay window drops it.
            _serverMux.Dispatch(lastProtected!, _serverMux.ToSocketAddress(_clientMux.LocalEndPoint));
            Assert.Equal(1, server.Counters.Replayed);
            Assert.Equal(200, serverListener.Rtp.Count);
        }
    }

    [Fact]
    public async Task A_check_with_the_wrong_password_is_refused_and_binds_nothing()
    {
        var wrong = new IceParameters(_serverIce.UsernameFragment, "wrongPasswordWrongPasswordWrong1");
        var (server, serverListener, client, clientListener) = Pair(serverIceAsTheClientKnowsIt: wrong);
        using (server)
        using (client)
        {
            await Wait.UntilAsync(() => server.Counters.ChecksRejected >= 2, Timeout, "two rejected checks (first try and a retransmission)");
            Assert.Equal(0, _serverMux.BoundAddressCount);
            Assert.Equal(0, server.Counters.ChecksAnswered);
            Assert.Equal(WebRtcTransportState.Checking, server.State);
            Assert.Equal(WebRtcTransportState.Checking, client.State);
        }

        // Positive control: the same pair with the right password binds and connects.
        var (goodServer, _, goodClient, _) = Pair();
        using (goodServer)
        using (goodClient)
        {
            await Task.WhenAll(goodServer.Connected, goodClient.Connected).WaitAsync(Timeout);
            Assert.Equal(1, _serverMux.BoundAddressCount);
        }
    }

    [Fact]
    public async Task A_silent_peer_is_dropped_when_consent_expires()
    {
        var serverOptions = new WebRtcTransportOptions { Ice = new IceOptions { ConsentTimeout = TimeSpan.FromSeconds(2) } };
        var clientOptions = new WebRtcTransportOptions { Ice = new IceOptions { ConsentInterval = TimeSpan.FromMilliseconds(200) } };
        var (server, serverListener, client, _) = Pair(serverOptions, clientOptions);
        using (server)
        using (client)
        {
            await Task.WhenAll(server.Connected, client.Connected).WaitAsync(Timeout);

            // Positive control: while the client keeps sending consent checks, the server keeps the transport.
            long answered = server.Counters.ChecksAnswered;
            await Wait.UntilAsync(() => server.Counters.ChecksAnswered >= answered + 3, Timeout, "three consent checks");
            Assert.Equal(WebRtcTransportState.Connected, server.State);

            // Silence the client without a close_notify: its socket goes away.
            await _clientMux.DisposeAsync();
            Assert.Equal(WebRtcTransportCloseReason.ConsentExpired, await serverListener.Closed.WaitAsync(Timeout));
            Assert.Equal(WebRtcTransportState.Closed, server.State);
            Assert.Equal(0, _serverMux.BoundAddressCount);
        }
    }

    [Fact]
    public async Task A_client_whose_server_goes_silent_loses_consent()
    {
        var clientOptions = new WebRtcTransportOptions
        {
            Ice = new IceOptions { ConsentInterval = TimeSpan.FromMilliseconds(200), ConsentTimeout = TimeSpan.FromSeconds(2) },
        };
        var (server, _, client, clientListener) = Pair(clientOptions: clientOptions);
        using (server)
        using (client)
        {
            await Task.WhenAll(server.Connected, client.Connected).WaitAsync(Timeout);
            Assert.Equal(WebRtcTransportState.Connected, client.State); // positive control: consent answered so far

            await _serverMux.DisposeAsync(); // the server vanishes without a close_notify
            Assert.Equal(WebRtcTransportCloseReason.ConsentExpired, await clientListener.Closed.WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task A_client_checking_a_dead_address_fails_after_its_retransmissions()
    {
        var listener = new RecordingListener();
        var options = new WebRtcTransportOptions
        {
            Ice = new IceOptions { InitialRetransmissionTimeout = TimeSpan.FromMilliseconds(50), MaxRequests = 3, LastWaitMultiplier = 4 },
        };
        using var client = WebRtcTransport.CreateClient(
            _clientMux, _clientCertificate, _clientIce, _serverIce, _serverCertificate.Fingerprint,
            new IPEndPoint(IPAddress.Loopback, OpenSsl.FreeUdpPort()), listener, options);

        Assert.Equal(WebRtcTransportCloseReason.IceFailed, await listener.Closed.WaitAsync(Timeout));
        await Assert.ThrowsAnyAsync<Exception>(() => client.Connected);
    }

    [Fact]
    public async Task Closing_one_side_tells_the_other_through_DTLS_close_notify()
    {
        var (server, serverListener, client, _) = Pair();
        using (server)
        {
            await Task.WhenAll(server.Connected, client.Connected).WaitAsync(Timeout);
            client.Close();
            Assert.Equal(WebRtcTransportCloseReason.DtlsClosedByPeer, await serverListener.Closed.WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task DTLS_and_RTP_from_an_address_without_a_valid_check_are_dropped()
    {
        var listener = new RecordingListener();
        using var server = WebRtcTransport.CreateServer(_serverMux, _serverCertificate, _serverIce, _clientIce, _clientCertificate.Fingerprint, listener);
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        byte[] dtlsLike = [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] rtp = RtpPackets.Rtp(111, 1, 1);
        stranger.SendTo(dtlsLike, _serverMux.LocalEndPoint);
        stranger.SendTo(rtp, _serverMux.LocalEndPoint);
        await Wait.UntilAsync(() => _serverMux.Counters.DroppedUnknownAddress == 2, Timeout, "both datagrams dropped");
        Assert.Equal(0, _serverMux.BoundAddressCount);
        Assert.Equal(WebRtcTransportState.Checking, server.State);

        // Positive control: after a valid check from that address, the same datagrams reach the session.
        stranger.SendTo(ValidCheck(), _serverMux.LocalEndPoint);
        var answer = new byte[512];
        int answerLength = stranger.Receive(answer);
        Assert.True(StunMessage.TryParse(answer.AsSpan(0, answerLength), out var response));
        Assert.Equal(StunMessageClass.SuccessResponse, response.Class);
        Assert.Equal(1, _serverMux.BoundAddressCount);
        Assert.Equal(WebRtcTransportState.DtlsHandshaking, server.State);

        stranger.SendTo(rtp, _serverMux.LocalEndPoint);
        await Wait.UntilAsync(() => server.Counters.MediaHeld == 1, Timeout, "the RTP packet reached the session (kept until the keys exist)");
        Assert.Equal(2, _serverMux.Counters.DroppedUnknownAddress);
    }

    [Fact]
    public async Task Garbage_and_unknown_ufrags_are_counted_and_dropped()
    {
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        stranger.SendTo(new byte[] { 70, 1, 2, 3 }, _serverMux.LocalEndPoint); // 64–79 (TURN channel): not ours
        stranger.SendTo(ValidCheck(username: "nobody:" + _clientIce.UsernameFragment), _serverMux.LocalEndPoint);
        stranger.SendTo(new byte[] { 0, 1, 0, 0 }, _serverMux.LocalEndPoint); // looks like STUN, is not

        await Wait.UntilAsync(
            () => _serverMux.Counters.DroppedUnknownKind == 1 && _serverMux.Counters.DroppedUnknownUfrag == 1 && _serverMux.Counters.DroppedMalformedStun == 1,
            Timeout,
            "one drop of each kind");
        Assert.Equal(3, _serverMux.Counters.Received);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(1)]
    public async Task Packets_sent_from_the_receive_loop_are_protected_in_the_send_batch_and_arrive_intact(int batchSize)
    {
        // The server answers every RTP packet from inside its listener, i.e. on the receive loop: with
        // batching the answer is protected straight into the loop's send batch (more than one batch's
        // worth, so full batches are sent mid-way); with batch size 1 into the transport's own buffer.
        await using var mux = new UdpMux(new UdpMuxOptions { BindAddress = IPAddress.Loopback, BatchSize = batchSize });
        Assert.Equal(batchSize > 1 && OperatingSystem.IsLinux() && Environment.Is64BitProcess, mux.IsBatching);
        var echo = new EchoListener();
        var clientListener = new RecordingListener();
        using var server = WebRtcTransport.CreateServer(mux, _serverCertificate, _serverIce, _clientIce, _clientCertificate.Fingerprint, echo);
        using var client = WebRtcTransport.CreateClient(
            _clientMux, _clientCertificate, _clientIce, _serverIce, _serverCertificate.Fingerprint, mux.LocalEndPoint, clientListener);
        await Task.WhenAll(server.Connected, client.Connected).WaitAsync(Timeout);

        const int Packets = 200;
        var sent = new List<byte[]>();
        for (ushort sequence = 0; sequence < Packets; sequence++)
        {
            byte[] packet = RtpPackets.Rtp(96, sequence, 0xEC40, payloadLength: 200 + (sequence % 7 * 150));
            sent.Add(packet);
            Assert.True(client.SendRtp(packet));
        }

        await Wait.UntilAsync(() => clientListener.Rtp.Count == Packets, Timeout, "every echo back at the client");
        Assert.Equal(0, client.Counters.SrtpRejected);
        Assert.Equal(Packets, echo.Echoed);
        var received = clientListener.Rtp.ToArray();
        for (int i = 0; i < Packets; i++)
            Assert.Equal(sent[i], received[i]);
    }

    /// <summary>Sends every RTP packet straight back on the receive loop (the SFU forwards the same way).</summary>
    private sealed class EchoListener : IWebRtcTransportListener
    {
        public int Echoed;

        public void OnConnected(WebRtcTransport transport)
        {
        }

        public void OnRtp(WebRtcTransport transport, Span<byte> packet)
        {
            if (transport.SendRtp(packet))
                Interlocked.Increment(ref Echoed);
        }

        public void OnRtcp(WebRtcTransport transport, Span<byte> packet)
        {
        }

        public void OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error)
        {
        }
    }

    [Fact]
    public async Task The_receive_and_send_paths_allocate_nothing_per_packet()
    {
        var serverListener = new CountingListener();
        using var server = WebRtcTransport.CreateServer(_serverMux, _serverCertificate, _serverIce, _clientIce, _clientCertificate.Fingerprint, serverListener);
        using var client = WebRtcTransport.CreateClient(
            _clientMux, _clientCertificate, _clientIce, _serverIce, _serverCertificate.Fingerprint, _serverMux.LocalEndPoint, new RecordingListener());
        await Task.WhenAll(server.Connected, client.Connected).WaitAsync(Timeout);

        // Protect packets as the client would (its half of the exported keys), then feed them to
        // the mux's dispatch on this thread so the thread's allocation counter sees the whole path:
        // classification, address lookup, SRTP unprotect, listener.
        SrtpKeyingMaterial keys = server.Keys!;
        using var clientOutbound = SrtpContext.Create(keys.Profile, keys.ClientKey, keys.ClientSalt);
        const int Packets = 2000;
        var protectedPackets = new byte[Packets][];
        for (int i = 0; i < Packets; i++)
        {
            var buffer = new byte[1200 + 32];
            RtpPackets.Rtp(96, (ushort)i, 0x5EED, payloadLength: 1200 - 12).CopyTo(buffer, 0);
            Assert.Equal(SrtpResult.Ok, clientOutbound.ProtectRtp(buffer, 1200, out int length));
            protectedPackets[i] = buffer[..length];
        }

        SocketAddress clientAddress = _serverMux.ToSocketAddress(_clientMux.LocalEndPoint);
        var receiveBuffer = new byte[2048];
        void Dispatch(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                protectedPackets[i].CopyTo(receiveBuffer, 0);
                _serverMux.Dispatch(receiveBuffer.AsSpan(0, protectedPackets[i].Length), clientAddress);
            }
        }

        Dispatch(0, Packets / 2); // warm up (JIT, first-SSRC state)
        long before = GC.GetAllocatedBytesForCurrentThread();
        Dispatch(Packets / 2, Packets);
        long receiveAllocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Positive control: the packets really went all the way through.
        Assert.Equal(Packets, serverListener.Rtp);
        Assert.Equal(Packets * 1200L, serverListener.RtpBytes);
        Assert.Equal(0, receiveAllocated);

        // Each send needs a fresh sequence number: the SRTP sender refuses to reuse an index (RFC 7714 §8).
        byte[] plain = RtpPackets.Rtp(111, 0, 0xF00D, payloadLength: 1000);
        bool SendNext(ushort sequence)
        {
            plain[2] = (byte)(sequence >> 8);
            plain[3] = (byte)sequence;
            return server.SendRtp(plain);
        }

        for (ushort sequence = 0; sequence < 100; sequence++)
            Assert.True(SendNext(sequence));
        before = GC.GetAllocatedBytesForCurrentThread();
        int sent = 0;
        for (ushort sequence = 100; sequence < 1100; sequence++)
            sent += SendNext(sequence) ? 1 : 0;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, sent);
        Assert.Equal(1100, server.Counters.RtpSent);
    }

    [Fact]
    public async Task A_lost_final_server_flight_is_resent_after_the_server_finished()
    {
        // The server's last flight is ChangeCipherSpec (content type 20) + Finished. Drop it once:
        // the server is already done, so only its post-handshake DTLS reading can answer the
        // client's retransmitted flight.
        int dropped = 0;
        using var proxy = new LossyUdpProxy(_serverMux.LocalEndPoint, datagram => datagram[0] == 20 && Interlocked.Exchange(ref dropped, 1) == 0);
        var serverListener = new RecordingListener();
        var clientOptions = new WebRtcTransportOptions { Dtls = new DtlsOptions { InitialRetransmission = TimeSpan.FromMilliseconds(300) } };
        using var server = WebRtcTransport.CreateServer(_serverMux, _serverCertificate, _serverIce, _clientIce, _clientCertificate.Fingerprint, serverListener);
        using var client = WebRtcTransport.CreateClient(
            _clientMux, _clientCertificate, _clientIce, _serverIce, _serverCertificate.Fingerprint, proxy.EndPoint, new RecordingListener(), clientOptions);

        await Task.WhenAll(server.Connected, client.Connected).WaitAsync(Timeout);
        Assert.Equal(1, proxy.Dropped); // positive control: the flight really was lost
        Assert.True(client.SendRtp(RtpPackets.Rtp(111, 1, 1)));
        await Wait.UntilAsync(() => serverListener.Rtp.Count == 1, Timeout, "RTP after the recovered handshake");
    }

    [Theory]
    [InlineData(3)] // a first key frame's worth: everything is kept
    [InlineData(WebRtcTransport.MaxHeldBeforeKeys + 3)] // more than the bound: the rest is dropped and counted
    public async Task Media_that_overtakes_the_final_DTLS_flight_is_kept_up_to_a_bound_and_delivered_in_order_once_the_keys_exist(int sent)
    {
        var (server, client, clientListener, proxy) = PairWithTheFinalFlightHeld();
        using (proxy)
        using (server)
        using (client)
        {
            await server.Connected.WaitAsync(Timeout);
            Assert.Equal(WebRtcTransportState.DtlsHandshaking, client.State); // the server's Finished is still in the proxy
            for (ushort sequence = 1; sequence <= sent; sequence++)
                Assert.True(server.SendRtp(RtpPackets.Rtp(96, sequence, 0x22222222)));
            await Wait.UntilAsync(() => client.Counters.MediaHeld + client.Counters.MediaBeforeKeys == sent, Timeout, "the media reached the client before its keys");
            int kept = Math.Min(sent, WebRtcTransport.MaxHeldBeforeKeys);
            Assert.Equal(kept, client.Counters.MediaHeld);
            Assert.Equal(sent - kept, client.Counters.MediaBeforeKeys);
            Assert.Empty(clientListener.Rtp);

            await proxy.ReleaseHeldAsync();
            await client.Connected.WaitAsync(Timeout);
            Assert.True(server.SendRtp(RtpPackets.Rtp(96, (ushort)(sent + 1), 0x22222222)));
            await Wait.UntilAsync(() => clientListener.Rtp.Count == kept + 1, Timeout, "the kept packets and the next one");
            int[] expected = [.. Enumerable.Range(1, kept), sent + 1];
            Assert.Equal(expected, clientListener.Rtp.Select(p => (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2))));
            Assert.Equal(0, client.Counters.SrtpRejected);
        }
    }

    /// <summary>
    /// A client whose proxy holds back the server's final flight (ChangeCipherSpec, content type 20, then
    /// Finished, and any resend of it): the server is done and may send media; the client is not.
    /// </summary>
    private (WebRtcTransport Server, WebRtcTransport Client, RecordingListener ClientListener, LossyUdpProxy Proxy) PairWithTheFinalFlightHeld()
    {
        bool holding = false;
        var proxy = new LossyUdpProxy(
            _serverMux.LocalEndPoint,
            dropTowardsClient: _ => false,
            holdTowardsClient: datagram => (datagram[0] == 20 || (holding && datagram[0] is >= 20 and <= 63)) && (holding = true));
        var clientListener = new RecordingListener();
        var server = WebRtcTransport.CreateServer(_serverMux, _serverCertificate, _serverIce, _clientIce, _clientCertificate.Fingerprint, new RecordingListener());
        var client = WebRtcTransport.CreateClient(
            _clientMux, _clientCertificate, _clientIce, _serverIce, _serverCertificate.Fingerprint, proxy.EndPoint, clientListener);
        return (server, client, clientListener, proxy);
    }

    [Fact]
    public async Task A_throwing_listener_does_not_stop_the_receive_loop()
    {
        var clientOptions = new WebRtcTransportOptions { Ice = new IceOptions { ConsentInterval = TimeSpan.FromMilliseconds(200) } };
        using var server = WebRtcTransport.CreateServer(_serverMux, _serverCertificate, _serverIce, _clientIce, _clientCertificate.Fingerprint, new ThrowingListener());
        using var client = WebRtcTransport.CreateClient(
            _clientMux, _clientCertificate, _clientIce, _serverIce, _serverCertificate.Fingerprint, _serverMux.LocalEndPoint, new RecordingListener(), clientOptions);
        await Task.WhenAll(server.Connected, client.Connected).WaitAsync(Timeout);

        Assert.True(client.SendRtp(RtpPackets.Rtp(111, 1, 1)));
        Assert.True(client.SendRtp(RtpPackets.Rtp(111, 2, 1)));
        await Wait.UntilAsync(() => _serverMux.Counters.HandlerErrors == 2, Timeout, "both packets to reach the throwing listener");

        // The loop still serves the port: consent checks keep being answered.
        long answered = server.Counters.ChecksAnswered;
        await Wait.UntilAsync(() => server.Counters.ChecksAnswered > answered, Timeout, "a consent check answered after the exceptions");
    }

    private sealed class ThrowingListener : IWebRtcTransportListener
    {
        public void OnConnected(WebRtcTransport transport)
        {
        }

        public void OnRtp(WebRtcTransport transport, Span<byte> packet) => throw new InvalidOperationException("listener bug");

        public void OnRtcp(WebRtcTransport transport, Span<byte> packet)
        {
        }

        public void OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error)
        {
        }
    }

    [Fact]
    public async Task A_fingerprint_mismatch_fails_both_sides_and_cleans_up()
    {
        var serverListener = new RecordingListener();
        var clientListener = new RecordingListener();
        // The server expects some other certificate than the client's.
        using var server = WebRtcTransport.CreateServer(_serverMux, _serverCertificate, _serverIce, _clientIce, DtlsCertificate.Generate().Fingerprint, serverListener);
        using var client = WebRtcTransport.CreateClient(
            _clientMux, _clientCertificate, _clientIce, _serverIce, _serverCertificate.Fingerprint, _serverMux.LocalEndPoint, clientListener);

        Assert.Equal(WebRtcTransportCloseReason.DtlsFailed, await serverListener.Closed.WaitAsync(Timeout));
        Assert.Contains("fingerprint mismatch", serverListener.CloseError!.Message, StringComparison.Ordinal);
        Assert.Equal(WebRtcTransportCloseReason.DtlsFailed, await clientListener.Closed.WaitAsync(Timeout));
        Assert.Equal(0, _serverMux.BoundAddressCount);
        await Assert.ThrowsAnyAsync<Exception>(() => server.Connected);
    }

    [Fact]
    public async Task A_dual_stack_server_serves_an_IPv4_client()
    {
        await using var dualStack = new UdpMux(new UdpMuxOptions { BindAddress = IPAddress.IPv6Any, AnnouncedAddress = IPAddress.Loopback });
        var serverListener = new RecordingListener();
        using var server = WebRtcTransport.CreateServer(dualStack, _serverCertificate, _serverIce, _clientIce, _clientCertificate.Fingerprint, serverListener);
        using var client = WebRtcTransport.CreateClient(
            _clientMux, _clientCertificate, _clientIce, _serverIce, _serverCertificate.Fingerprint, dualStack.AnnouncedEndPoint, new RecordingListener());

        await Task.WhenAll(server.Connected, client.Connected).WaitAsync(Timeout);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, _clientMux.LocalEndPoint.Port), server.RemoteEndPoint);
        Assert.True(client.SendRtp(RtpPackets.Rtp(111, 7, 7)));
        await Wait.UntilAsync(() => serverListener.Rtp.Count == 1, Timeout, "RTP over the dual-stack socket");
    }

    [Fact]
    public async Task Client_and_server_connect_over_IPv6_loopback()
    {
        var options = new UdpMuxOptions { BindAddress = IPAddress.IPv6Loopback, HousekeepingInterval = TimeSpan.FromMilliseconds(50) };
        await using var serverMux = new UdpMux(options);
        await using var clientMux = new UdpMux(options);
        var serverListener = new RecordingListener();
        using var server = WebRtcTransport.CreateServer(serverMux, _serverCertificate, _serverIce, _clientIce, _clientCertificate.Fingerprint, serverListener);
        using var client = WebRtcTransport.CreateClient(
            clientMux, _clientCertificate, _clientIce, _serverIce, _serverCertificate.Fingerprint, serverMux.LocalEndPoint, new RecordingListener());

        await Task.WhenAll(server.Connected, client.Connected).WaitAsync(Timeout);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, clientMux.LocalEndPoint.Port), server.RemoteEndPoint);
        Assert.True(client.SendRtp(RtpPackets.Rtp(111, 1, 1)));
        await Wait.UntilAsync(() => serverListener.Rtp.Count == 1, Timeout, "RTP over IPv6");
    }

    private byte[] ValidCheck(string? username = null)
    {
        var buffer = new byte[512];
        Span<byte> transactionId = stackalloc byte[StunMessage.TransactionIdLength];
        StunMessageWriter.GenerateTransactionId(transactionId);
        StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, transactionId, out var writer);
        writer.TryAddUsername(Encoding.ASCII.GetBytes(username ?? $"{_serverIce.UsernameFragment}:{_clientIce.UsernameFragment}"));
        writer.TryAddIceControlling(1);
        writer.TryAddUseCandidate();
        writer.TryAddMessageIntegrity(Encoding.UTF8.GetBytes(_serverIce.Password));
        writer.TryAddFingerprint();
        return buffer[..writer.Length];
    }
}
