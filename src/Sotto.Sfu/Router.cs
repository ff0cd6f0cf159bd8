using System.Buffers.Binary;
using Sotto.Rtc.Codecs.Vp8;
using Sotto.Rtc.Rtcp;
using Sotto.Rtc.Rtp;
using Sotto.Rtc.Rtp.Extensions;
using Sotto.Rtc.Sdp;
using Sotto.Sfu.Adaptation;
using Sotto.Sfu.Adaptation.Allocation;
using Sotto.Sfu.Adaptation.Speech;
using Sotto.Sfu.Negotiation;
using Sotto.Sfu.Rtp;
using Sotto.Sfu.Stages;
using Sotto.Transport;
using Sotto.Transport.Ice;

namespace Sotto.Sfu;

/// <summary>
/// One room's media (mediasoup's Router): tables (participants, producers, consumers) and the
/// fan-out loop. Everything of a room runs under this router's own lock — the receive loop's
/// packets, the RTCP timer and signaling — and no lock or counter is shared with other rooms.
/// </summary>
/// <remarks>
/// The receive path, in order (JVB style, declared here in one place; see docs/architecture.md):
/// SRTP (in the transport) → RTP parse → transport-cc arrival → padding termination → SSRC route
/// (mid/rid/repaired-rid) → RTX unwrap → payload type check → test stages → statistics and NACK
/// generation → VP8 descriptor and key-frame bit → fan-out to consumers. The send path, per
/// consumer: layer gate (switch only at a key frame) → SSRC/seq/timestamp/picture id rewrite →
/// retransmission cache → test stages → SRTP and send.
/// </remarks>
public sealed partial class Router : IDisposable
{
    private const int MaxNackItems = 64;
    private const int MaxReportBlocks = 31;

    // Passed by argument.
    private readonly SfuHost _host;
    private readonly SfuOptions _options;
    private readonly IMediaPathStage[] _stages;

    // Allocated by this.
    private readonly object _gate = new();
    private readonly Dictionary<string, SfuParticipant> _participants = new(StringComparer.Ordinal);
    private readonly byte[] _scratch = new byte[RetransmissionBuffer.SlotSize];
    private readonly byte[] _rtxPayload = new byte[RetransmissionBuffer.SlotSize];
    private readonly byte[] _rtcpScratch = new byte[1200];
    private readonly ushort[] _nackScratch = new ushort[NackGenerator.Capacity];
    private readonly NackItem[] _nackItems = new NackItem[MaxNackItems];
    private readonly ReportBlock[] _reportBlocks = new ReportBlock[MaxReportBlocks];
    private readonly Timer _timer;
    private readonly long _inactivityTicks;
    private readonly DominantSpeakerDetector _speakers = new();
    private long _nextReportTicks;
    private long _nextAllocationTicks;
    private bool _disposed;

    internal Router(string roomId, SfuHost host, SfuOptions options, IMediaPathStage[] stages)
    {
        RoomId = roomId;
        _host = host;
        _options = options;
        _stages = stages;
        _inactivityTicks = options.LayerInactivityTimeout.Ticks;
        _timer = new Timer(static state => ((Router)state!).OnTick(), this, options.FeedbackInterval, options.FeedbackInterval);
    }

    internal object Gate => _gate;

    /// <summary>A layer without packets for this long is not forwarded.</summary>
    internal long InactivityTicks => _inactivityTicks;

    /// <summary>The room's dominant speaker (null until someone has spoken).</summary>
    public string? DominantSpeaker
    {
        get
        {
            lock (_gate)
                return _speakers.Dominant;
        }
    }

    /// <summary>The room this router serves (never exported in metrics).</summary>
    public string RoomId { get; }

    /// <summary>Per-room counters.</summary>
    public MediaCounters Counters { get; } = new();

    /// <summary>Pooled buffers this room holds (retransmission caches).</summary>
    public long BuffersHeld => Buffers.Held;

    internal RetransmissionSlotPool Buffers { get; } = new();

    public int ParticipantCount
    {
        get
        {
            lock (_gate)
                return _participants.Count;
        }
    }

    public int LiveProducers => Sum(p => p.LiveProducers);

    public int LiveConsumers => Sum(p => p.LiveConsumers);

    public int LiveTransports => Sum(p => p.LiveTransports);

    public SfuParticipant? FindParticipant(string id)
    {
        lock (_gate)
            return _participants.GetValueOrDefault(id);
    }

    // ---- membership and negotiation ---------------------------------------------------------

    internal SfuParticipant Join(string participantId, int slot, ISfuSignal signal)
    {
        SfuParticipant participant;
        List<(ISfuSignal, SubscribeOfferMessage)> offers;
        string? dominant;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_participants.ContainsKey(participantId))
                throw new InvalidOperationException("The participant already has media in this room.");
            if (_participants.Count >= _options.MaxParticipantsPerRoom)
                throw new SfuNegotiationException("room-full", "The room has reached its media participant limit.");
            participant = new SfuParticipant(this, participantId, slot, signal, _options.InitialDownlinkBitsPerSecond);
            _participants.Add(participantId, participant);
            _speakers.Add(participantId);
            dominant = _speakers.Dominant;
            // A newcomer subscribes to everything already published: its first offer goes out now.
            offers = RefreshSubscriptions();
        }
        // Not from inside Join: the caller does not hold the participant yet.
        if (offers.Count > 0)
            ThreadPool.UnsafeQueueUserWorkItem(static offers => Deliver(offers), offers, preferLocal: false);
        if (dominant is not null)
            ThreadPool.UnsafeQueueUserWorkItem(static state => Signal(() => state.signal.OnDominantSpeaker(state.dominant)), (signal, dominant), preferLocal: false);
        return participant;
    }

    internal string Publish(SfuParticipant participant, string offerSdp, IReadOnlyList<PublishTrackRequest> tracks)
    {
        if (!SessionDescription.TryParse(offerSdp, out var offer, out var error))
            throw new SfuNegotiationException("bad-sdp", "The offer is not valid SDP: " + error);
        List<(ISfuSignal, SubscribeOfferMessage)> offers;
        string answer;
        lock (_gate)
        {
            if (participant.IsClosed)
                throw new SfuNegotiationException("not-joined", "The participant's media is closed.");
            var local = participant.PublishLocal ?? new LocalTransportDescription(IceParameters.Generate(), _host.Certificate.Fingerprint, _host.AnnouncedEndPoint);
            var result = PublishNegotiator.Answer(offer, tracks, local, participant.SessionId, participant.PublishVersion + 1);
            if (participant.PublishTransport is { } existing)
            {
                if (participant.PublishLocal is null || !SameRemote(existing, result.Remote, participant))
                    throw new SfuNegotiationException("bad-sdp", "ICE restarts and new DTLS fingerprints are not supported; rejoin instead.");
            }
            else
            {
                participant.PublishLocal = local;
                participant.PublishRemote = result.Remote;
                participant.PublishTransport = WebRtcTransport.CreateServer(
                    _host.Mux, _host.Certificate, local.Ice, result.Remote.Ice, result.Remote.Fingerprint,
                    new TransportListener(this, participant, publish: true), _host.TransportOptions);
            }
            participant.PublishVersion++;
            participant.PublishExtensions = result.Extensions;
            UpdateProducers(participant, result.Tracks);
            answer = result.Answer;
            offers = RefreshSubscriptions();
        }
        Deliver(offers);
        return answer;
    }

    private static bool SameRemote(WebRtcTransport existing, RemoteTransportDescription remote, SfuParticipant participant) =>
        participant.PublishRemote is { } known
        && known.Ice.UsernameFragment == remote.Ice.UsernameFragment
        && known.Fingerprint == remote.Fingerprint
        && existing.State != WebRtcTransportState.Closed;

    private static void UpdateProducers(SfuParticipant participant, IReadOnlyList<PublishedTrack> tracks)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var track in tracks)
        {
            keep.Add(track.Mid);
            if (participant.ProducersByMid.TryGetValue(track.Mid, out var existing))
            {
                if (existing.Source == track.Source && existing.Track.Rids.SequenceEqual(track.Rids))
                {
                    existing.Update(track);
                    continue;
                }
                CloseProducer(participant, existing);
            }
            var producer = new Producer(participant, track);
            participant.ProducersByMid[track.Mid] = producer;
            participant.AddAnnouncedRoutes(producer);
        }
        foreach (var producer in participant.Producers.Where(p => !keep.Contains(p.Mid)).ToList())
            CloseProducer(participant, producer);
    }

    private static void CloseProducer(SfuParticipant owner, Producer producer)
    {
        producer.Close();
        owner.ProducersByMid.Remove(producer.Mid);
        owner.RemoveRoutes(producer);
        foreach (var consumer in producer.Consumers)
            ReleaseConsumer(consumer);
    }

    private static void ReleaseConsumer(Consumer consumer)
    {
        consumer.Producer.RemoveConsumer(consumer);
        var subscriber = consumer.Subscriber;
        subscriber.ConsumersBySsrc.Remove(consumer.Ssrc);
        if (consumer.RtxSsrc is uint rtxSsrc)
            subscriber.ConsumersBySsrc.Remove(rtxSsrc);
        foreach (var slot in subscriber.Slots)
        {
            if (slot.Consumer == consumer)
            {
                slot.Consumer = null;
                slot.FreedInVersion = subscriber.OfferedVersion + 1;
            }
        }
        consumer.Dispose();
        subscriber.SubscriptionsChanged = true;
    }

    /// <summary>Brings every participant's consumers in line with the room's producers; returns the offers to send.</summary>
    private List<(ISfuSignal, SubscribeOfferMessage)> RefreshSubscriptions()
    {
        var offers = new List<(ISfuSignal, SubscribeOfferMessage)>();
        foreach (var subscriber in _participants.Values)
        {
            if (subscriber.IsClosed)
                continue;
            foreach (var publisher in _participants.Values)
            {
                if (publisher == subscriber || publisher.IsClosed)
                    continue;
                foreach (var producer in publisher.Producers)
                {
                    if (producer.Consumers.Any(c => c.Subscriber == subscriber))
                        continue;
                    var slot = subscriber.Slots.FirstOrDefault(s => s.Consumer is null && s.Kind == producer.Kind && s.FreedInVersion <= subscriber.AnsweredVersion);
                    if (slot is null)
                    {
                        slot = new SubscribeSlot(subscriber.Slots.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), producer.Kind);
                        subscriber.Slots.Add(slot);
                    }
                    var consumer = new Consumer(producer, subscriber, slot.Mid, _options, Buffers);
                    slot.Consumer = consumer;
                    slot.OfferedInVersion = subscriber.OfferedVersion + 1;
                    producer.AddConsumer(consumer);
                    subscriber.ConsumersBySsrc[consumer.Ssrc] = consumer;
                    if (consumer.RtxSsrc is uint rtx)
                        subscriber.ConsumersBySsrc[rtx] = consumer;
                    subscriber.SubscriptionsChanged = true;
                }
            }
            if (TryCreateOffer(subscriber) is { } offer)
                offers.Add((subscriber.Signal, offer));
        }
        return offers;
    }

    /// <summary>The next subscribe offer, if something changed and no offer is waiting for its answer.</summary>
    private SubscribeOfferMessage? TryCreateOffer(SfuParticipant subscriber)
    {
        if (!subscriber.SubscriptionsChanged || subscriber.AwaitingAnswer || subscriber.Slots.Count == 0)
            return null;
        subscriber.SubscribeLocal ??= new LocalTransportDescription(IceParameters.Generate(), _host.Certificate.Fingerprint, _host.AnnouncedEndPoint);
        var version = subscriber.OfferedVersion + 1;
        var slots = subscriber.Slots.Select(s => new SubscribeOfferWriter.Slot(s.Mid, s.Kind, s.Consumer?.ToSlotSender())).ToList();
        var sdp = SubscribeOfferWriter.Write(slots, subscriber.SubscribeLocal, subscriber.SessionId, version);
        var tracks = subscriber.Slots
            .Where(s => s.Consumer is not null)
            .Select(s => new SubscribeTrack(s.Mid, s.Consumer!.Producer.Owner.Id, s.Consumer.Producer.Owner.Slot, s.Consumer.Producer.Source, s.Kind))
            .ToList();
        subscriber.OfferedVersion = version;
        subscriber.OfferedSlotCount = subscriber.Slots.Count;
        subscriber.AwaitingAnswer = true;
        subscriber.SubscriptionsChanged = false;
        return new SubscribeOfferMessage(version, sdp, tracks);
    }

    internal void ApplySubscribeAnswer(SfuParticipant subscriber, int version, string answerSdp)
    {
        if (!SessionDescription.TryParse(answerSdp, out var answer, out var error))
            throw new SfuNegotiationException("bad-sdp", "The answer is not valid SDP: " + error);
        SubscribeOfferMessage? next;
        lock (_gate)
        {
            if (subscriber.IsClosed)
                throw new SfuNegotiationException("not-joined", "The participant's media is closed.");
            if (!subscriber.AwaitingAnswer || version != subscriber.OfferedVersion)
                throw new SfuNegotiationException("bad-version", "No subscribe offer with this version is waiting for an answer.");
            // Slots added since the offer went out are not in it: compare with what was offered.
            var offeredMids = subscriber.Slots.Take(subscriber.OfferedSlotCount).Select(s => s.Mid);
            if (!offeredMids.SequenceEqual(answer.Media.Select(m => m.Mid)))
                throw new SfuNegotiationException("bad-sdp", "The answer's m-lines do not match the offer's.");
            var remote = RemoteTransportDescription.From(answer);
            if (answer.GetSetup(answer.Media[0]) is SetupRole.Passive)
                throw new SfuNegotiationException("bad-sdp", "The SFU is always the DTLS server: answer a=setup:active.");
            if (subscriber.SubscribeTransport is null)
            {
                subscriber.SubscribeTransport = WebRtcTransport.CreateServer(
                    _host.Mux, _host.Certificate, subscriber.SubscribeLocal!.Ice, remote.Ice, remote.Fingerprint,
                    new TransportListener(this, subscriber, publish: false), _host.TransportOptions);
            }
            subscriber.AwaitingAnswer = false;
            subscriber.AnsweredVersion = version;
            var now = SfuClock.NowTicks();
            foreach (var slot in subscriber.Slots)
            {
                if (slot.Consumer is { IsNegotiated: false } consumer && slot.OfferedInVersion <= version)
                {
                    consumer.IsNegotiated = true;
                    if (consumer.ResolveTarget(now, _inactivityTicks) is { } stream)
                        RequestKeyFrame(stream, now);
                }
            }
            // Changes that arrived while the offer was out are folded into the next one.
            next = TryCreateOffer(subscriber);
        }
        if (next is not null)
            Notify(subscriber.Signal, next);
    }

    internal void Remove(SfuParticipant participant, SfuCloseReason reason)
    {
        List<(ISfuSignal, SubscribeOfferMessage)> offers;
        WebRtcTransport? publish, subscribe;
        lock (_gate)
        {
            if (participant.IsClosed)
                return;
            participant.IsClosed = true;
            _participants.Remove(participant.Id);
            _speakers.Remove(participant.Id);
            foreach (var producer in participant.Producers.ToList())
                CloseProducer(participant, producer);
            foreach (var consumer in participant.ConsumersBySsrc.Values.Distinct().ToList())
                ReleaseConsumer(consumer);
            participant.Slots.Clear();
            publish = participant.PublishTransport;
            subscribe = participant.SubscribeTransport;
            participant.PublishTransport = null;
            participant.SubscribeTransport = null;
            offers = RefreshSubscriptions();
        }
        publish?.Close();
        subscribe?.Close();
        Deliver(offers);
        if (reason != SfuCloseReason.Left)
            participant.Signal.OnMediaClosed(reason);
        _host.OnParticipantRemoved(this);
    }

    private static void Deliver(List<(ISfuSignal Signal, SubscribeOfferMessage Offer)> offers)
    {
        foreach (var (signal, offer) in offers)
            Notify(signal, offer);
    }

    /// <summary>
    /// Hands an offer to a participant's signaling. This can run on a transport callback (a closed
    /// transport renegotiates the others): a failing sink must not take the receive loop down.
    /// </summary>
    private static void Notify(ISfuSignal signal, SubscribeOfferMessage offer)
    {
        try
        {
            signal.OnSubscribeOffer(offer);
        }
        catch (Exception exception) when (exception is SfuNegotiationException or InvalidOperationException or ObjectDisposedException)
        {
            // The participant is going away at the same time; its own removal cleans up.
        }
    }

    // ---- receive path ------------------------------------------------------------------------

    /// <summary>An SRTP-authenticated RTP packet from a publisher (on the mux receive loop).</summary>
    internal void OnPublisherRtp(SfuParticipant publisher, Span<byte> datagram)
    {
        var now = SfuClock.NowTicks();
        lock (_gate)
        {
            if (publisher.IsClosed)
                return;
            publisher.Counters.PacketsReceivedCount++;
            publisher.Counters.BytesReceivedCount += datagram.Length;
            Counters.PacketsReceivedCount++;
            Counters.BytesReceivedCount += datagram.Length;
            if (!RtpPacket.TryParse(datagram, out var packet))
            {
                Counters.MalformedDroppedCount++;
                return;
            }

            // transport-cc counts every packet, padding and RTX included (draft-holmer §3.1) — except one a
            // test stage drops: reported as received, libwebrtc culls it from its history and never answers
            // the NACK for it (a loss stage must look like real loss to the sender).
            var ids = publisher.PublishExtensions;
            ushort transportSequence = 0;
            var hasTransportSequence = ids.TransportCc != 0 && packet.TryGetExtension(ids.TransportCc, out var twcc) && TransportSequenceNumber.TryRead(twcc, out transportSequence);

            // Padding termination: probes (also on SSRC 0) are counted and never forwarded.
            if (packet.IsPaddingOnly || packet.Payload.IsEmpty)
            {
                publisher.Counters.PaddingDroppedCount++;
                Counters.PaddingDroppedCount++;
                if (hasTransportSequence)
                    publisher.TransportCc.OnPacketReceived(transportSequence, now / 10);
                return;
            }

            if (!publisher.TryResolve(packet, out var route) || route.Stream.Producer.IsClosed)
            {
                Counters.UnknownStreamDroppedCount++;
                if (hasTransportSequence)
                    publisher.TransportCc.OnPacketReceived(transportSequence, now / 10);
                return;
            }
            var stream = route.Stream;
            var producer = stream.Producer;
            var payload = packet.Payload;
            ushort sequenceNumber;
            if (route.IsRtx)
            {
                // RFC 4588 §4: OSN then the original payload; an RTX packet with no more is padding.
                if (payload.Length <= 2 || packet.PayloadType != producer.Track.RtxPayloadType)
                {
                    publisher.Counters.PaddingDroppedCount++;
                    Counters.PaddingDroppedCount++;
                    if (hasTransportSequence)
                        publisher.TransportCc.OnPacketReceived(transportSequence, now / 10);
                    return;
                }
                sequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(payload);
                payload = payload[2..];
                publisher.Counters.RetransmissionsReceivedCount++;
                Counters.RetransmissionsReceivedCount++;
            }
            else
            {
                if (packet.PayloadType != producer.Track.PayloadType)
                {
                    Counters.UnknownStreamDroppedCount++;
                    if (hasTransportSequence)
                        publisher.TransportCc.OnPacketReceived(transportSequence, now / 10);
                    return;
                }
                sequenceNumber = packet.SequenceNumber;
            }

            if (_stages.Length > 0)
            {
                var view = new MediaPathPacket(publisher.Id, publisher.Slot, null, producer.Kind, producer.Source, stream.Ssrc, sequenceNumber, packet.Timestamp, packet.Marker, route.IsRtx, payload);
                foreach (var stage in _stages)
                {
                    if (!stage.OnPacketFromPublisher(view))
                    {
                        Counters.StageDroppedCount++;
                        publisher.Counters.StageDroppedCount++;
                        return;
                    }
                }
            }

            if (hasTransportSequence)
                publisher.TransportCc.OnPacketReceived(transportSequence, now / 10);

            stream.LastPacketTicks = now;
            if (!route.IsRtx)
            {
                stream.Statistics.OnPacket(sequenceNumber, packet.Timestamp, now, producer.Track.ClockRate);
                if (producer.Source == MediaSource.Mic)
                    producer.Speech.OnPacket(now);
            }
            if (producer.Kind == MediaKind.Video)
            {
                var missing = stream.Nacks.OnPacket(sequenceNumber);
                if (missing > 0)
                {
                    publisher.Counters.PacketsLostCount += missing;
                    Counters.PacketsLostCount += missing;
                    // NACK at once (as libwebrtc does): waiting for the timer adds up to an interval to every repair.
                    SendNacks(publisher, stream, now);
                }
                else if (missing < 0)
                {
                    RequestKeyFrame(stream, now);
                }
            }

            var media = new IncomingMedia
            {
                Stream = stream,
                Ssrc = stream.Ssrc,
                SequenceNumber = sequenceNumber,
                Timestamp = packet.Timestamp,
                Marker = packet.Marker,
                Payload = payload,
                NowTicks = now,
            };
            if (producer.Kind == MediaKind.Video)
            {
                // Only the VP8 payload descriptor and the frame's clear first bytes are read (DESIGN.md §5).
                if (!Vp8PayloadDescriptor.TryParse(payload, out var descriptor, out var consumed))
                {
                    Counters.MalformedDroppedCount++;
                    return;
                }
                var frame = payload[consumed..];
                var keyFrameStart = descriptor.IsFirstPacketOfFrame && Vp8PayloadHeader.IsKeyFrame(frame);
                if (keyFrameStart && Vp8PayloadHeader.TryGetKeyFrameSize(frame, out var width, out var height))
                {
                    stream.Width = width;
                    stream.Height = height;
                }
                var temporalLayer = descriptor.TemporalLayerId ?? 0;
                if (!route.IsRtx)
                    stream.Bitrate.OnPacket(temporalLayer, datagram.Length);
                media = media with
                {
                    IsKeyFrameStart = keyFrameStart,
                    IsFrameStart = descriptor.IsFirstPacketOfFrame,
                    HasTemporalLayer = descriptor.TemporalLayerId.HasValue,
                    TemporalLayer = temporalLayer,
                    LayerSync = descriptor.LayerSync,
                    HasPictureId = descriptor.PictureId.HasValue,
                    PictureId = descriptor.PictureId ?? 0,
                    HasTl0PicIdx = descriptor.Tl0PicIdx.HasValue,
                    Tl0PicIdx = descriptor.Tl0PicIdx ?? 0,
                };
            }

            else if (!route.IsRtx)
            {
                stream.Bitrate.OnPacket(0, datagram.Length);
            }

            foreach (var consumer in producer.Consumers)
                consumer.Forward(media, this, _scratch);
        }
    }

    /// <summary>RTCP from a publisher: its sender reports (for our RRs and the subscribers' SRs).</summary>
    internal void OnPublisherRtcp(SfuParticipant publisher, ReadOnlySpan<byte> datagram)
    {
        var now = SfuClock.NowTicks();
        lock (_gate)
        {
            if (publisher.IsClosed)
                return;
            var reader = new RtcpCompoundReader(datagram);
            foreach (var rtcp in reader)
            {
                if (rtcp.PacketType != RtcpPacketType.SenderReport || !SenderReport.TryParse(rtcp.Packet, out var report))
                    continue;
                if (!publisher.TryGetRoute(report.Ssrc, out var route) || route.IsRtx)
                    continue;
                var stream = route.Stream;
                stream.SenderReportNtp = report.NtpTimestamp;
                stream.SenderReportRtp = report.RtpTimestamp;
                stream.HasSenderReport = true;
                stream.Statistics.OnSenderReport(report.NtpTimestamp, now);
                foreach (var consumer in stream.Producer.Consumers)
                    consumer.OnSenderReport(stream, this, _rtcpScratch);
            }
        }
    }

    /// <summary>RTCP from a subscriber: NACKs answered with RTX, PLI/FIR turned into rate-limited key-frame requests.</summary>
    internal void OnSubscriberRtcp(SfuParticipant subscriber, ReadOnlySpan<byte> datagram)
    {
        var now = SfuClock.NowTicks();
        lock (_gate)
        {
            if (subscriber.IsClosed)
                return;
            var reader = new RtcpCompoundReader(datagram);
            foreach (var rtcp in reader)
            {
                if (rtcp.PacketType == RtcpPacketType.TransportLayerFeedback && rtcp.Count == RtcpFeedbackFormat.TransportWideCc)
                {
                    if (!TransportWideCcFeedback.TryParse(rtcp.Packet, out var feedback))
                        continue;
                    subscriber.Counters.TransportCcFeedbacksReceivedCount++;
                    Counters.TransportCcFeedbacksReceivedCount++;
                    subscriber.Downlink.OnFeedback(feedback, now / 10);
                }
                else if (rtcp.PacketType == RtcpPacketType.TransportLayerFeedback && rtcp.Count == RtcpFeedbackFormat.GenericNack)
                {
                    if (!GenericNack.TryParse(rtcp.Packet, out var nack) || !subscriber.ConsumersBySsrc.TryGetValue(nack.MediaSsrc, out var consumer))
                        continue;
                    subscriber.Counters.NacksReceivedCount++;
                    Counters.NacksReceivedCount++;
                    foreach (var lost in nack.EnumerateLostSequenceNumbers())
                        consumer.Retransmit(lost, this, _scratch, _rtxPayload);
                }
                else if (rtcp.PacketType == RtcpPacketType.PayloadSpecificFeedback && rtcp.Count == RtcpFeedbackFormat.PictureLossIndication)
                {
                    if (PictureLossIndication.TryParse(rtcp.Packet, out var pli))
                        OnKeyFrameWanted(subscriber, pli.MediaSsrc, now);
                }
                else if (rtcp.PacketType == RtcpPacketType.PayloadSpecificFeedback && rtcp.Count == RtcpFeedbackFormat.FullIntraRequest)
                {
                    if (FullIntraRequest.TryParse(rtcp.Packet, out var fir))
                    {
                        foreach (var entry in fir.Entries)
                            OnKeyFrameWanted(subscriber, entry.Ssrc, now);
                    }
                }
            }
        }
    }

    private void OnKeyFrameWanted(SfuParticipant subscriber, uint mediaSsrc, long now)
    {
        if (!subscriber.ConsumersBySsrc.TryGetValue(mediaSsrc, out var consumer) || consumer.Kind != MediaKind.Video)
            return;
        subscriber.Counters.PlisReceivedCount++;
        Counters.PlisReceivedCount++;
        var stream = consumer.CurrentStream ?? consumer.ResolveTarget(now, _inactivityTicks);
        if (stream is not null)
            RequestKeyFrame(stream, now);
    }

    /// <summary>Asks the publisher for a key frame on <paramref name="stream"/> (RFC 4585 §6.3.1 PLI), at most once per interval.</summary>
    internal void RequestKeyFrame(ProducerStream stream, long now)
    {
        if (!stream.HasSsrc || now - stream.LastKeyFrameRequestTicks < _options.KeyFrameRequestInterval.Ticks)
            return;
        var publisher = stream.Producer.Owner;
        if (!publisher.IsPublishConnected)
            return;
        stream.LastKeyFrameRequestTicks = now;
        if (new PictureLossIndication(publisher.RtcpSsrc, stream.Ssrc).TryWrite(_rtcpScratch, out var written)
            && publisher.SendPublisherRtcp(_rtcpScratch.AsSpan(0, written)))
        {
            publisher.Counters.PlisSentCount++;
            Counters.PlisSentCount++;
        }
    }

    internal bool PassesDownstreamStages(scoped in MediaPathPacket packet, SfuParticipant subscriber)
    {
        foreach (var stage in _stages)
        {
            if (!stage.OnPacketToSubscriber(packet))
            {
                Counters.StageDroppedCount++;
                subscriber.Counters.StageDroppedCount++;
                return false;
            }
        }
        return true;
    }

    // ---- RTCP timer ----------------------------------------------------------------------------

    /// <summary>Every feedback interval: transport-cc feedback and NACKs to publishers; every report interval: receiver reports.</summary>
    internal void OnTick()
    {
        var now = SfuClock.NowTicks();
        List<Action>? events = null;
        lock (_gate)
        {
            if (_disposed)
                return;
            if (now >= _nextAllocationTicks)
            {
                _nextAllocationTicks = now + _options.AllocationInterval.Ticks;
                events = Adapt(now);
                TrimRetransmissions(now - _options.RetransmissionHistory.Ticks);
            }
            SendProbes(now);
            var reports = now >= _nextReportTicks;
            if (reports)
                _nextReportTicks = now + _options.ReportInterval.Ticks;
            foreach (var publisher in _participants.Values)
            {
                if (!publisher.IsPublishConnected)
                    continue;
                SendTransportCcFeedback(publisher);
                SendNacks(publisher, now);
                if (reports)
                    SendReceiverReport(publisher, now);
            }
        }
        if (events is not null)
        {
            foreach (var send in events)
                Signal(send);
        }
    }

    /// <summary>Gives back retransmission buffers older than the history a NACK can use (each call walks only what expired since the last).</summary>
    private void TrimRetransmissions(long oldestKeptTicks)
    {
        foreach (var subscriber in _participants.Values)
        {
            foreach (var slot in subscriber.Slots) // each consumer once (ConsumersBySsrc also lists it under its RTX SSRC)
                slot.Consumer?.TrimRetransmissions(oldestKeptTicks);
        }
        Buffers.Settle();
    }

    /// <summary>Runs a signaling callback outside the lock; a participant going away at the same time must not break the timer.</summary>
    private static void Signal(Action send)
    {
        try
        {
            send();
        }
        catch (Exception exception) when (exception is InvalidOperationException or ObjectDisposedException)
        {
        }
    }

    private void SendTransportCcFeedback(SfuParticipant publisher)
    {
        var builder = publisher.TransportCc;
        foreach (var producer in publisher.Producers)
        {
            if (producer.Streams[0].HasSsrc)
            {
                builder.MediaSsrc = producer.Streams[0].Ssrc;
                break;
            }
        }
        while (builder.PendingCount > 0 && builder.TryWriteFeedback(_rtcpScratch, out var written))
        {
            if (!publisher.SendPublisherRtcp(_rtcpScratch.AsSpan(0, written)))
                break;
            publisher.Counters.TransportCcFeedbacksSentCount++;
            Counters.TransportCcFeedbacksSentCount++;
        }
    }

    private void SendNacks(SfuParticipant publisher, long now)
    {
        foreach (var producer in publisher.Producers)
        {
            if (producer.Kind != MediaKind.Video)
                continue;
            foreach (var stream in producer.Streams)
                SendNacks(publisher, stream, now);
        }
    }

    /// <summary>One generic NACK (RFC 4585 §6.2.1) with the stream's missing packets that are due.</summary>
    private void SendNacks(SfuParticipant publisher, ProducerStream stream, long now)
    {
        if (stream.Nacks.MissingCount == 0 || !stream.HasSsrc || !publisher.IsPublishConnected)
            return;
        var due = stream.Nacks.CollectDue(now, _options.NackRetryInterval.Ticks, _options.NackMaxRetries, _nackScratch);
        if (due == 0)
            return;
        var items = NackGenerator.Pack(_nackScratch.AsSpan(0, Math.Min(due, MaxNackItems)), _nackItems);
        if (items == 0)
            return;
        if (new GenericNack(publisher.RtcpSsrc, stream.Ssrc, _nackItems.AsSpan(0, items)).TryWrite(_rtcpScratch, out var written)
            && publisher.SendPublisherRtcp(_rtcpScratch.AsSpan(0, written)))
        {
            publisher.Counters.NacksSentCount++;
            Counters.NacksSentCount++;
        }
    }

    private void SendReceiverReport(SfuParticipant publisher, long now)
    {
        var count = 0;
        foreach (var producer in publisher.Producers)
        {
            foreach (var stream in producer.Streams)
            {
                if (stream.HasSsrc && stream.Statistics.HasPackets && count < MaxReportBlocks)
                    _reportBlocks[count++] = stream.Statistics.CreateReportBlock(stream.Ssrc, now);
            }
        }
        if (count == 0)
            return;
        if (new ReceiverReport(publisher.RtcpSsrc, _reportBlocks.AsSpan(0, count)).TryWrite(_rtcpScratch, out var written)
            && publisher.SendPublisherRtcp(_rtcpScratch.AsSpan(0, written)))
        {
            publisher.Counters.ReceiverReportsSentCount++;
            Counters.ReceiverReportsSentCount++;
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    internal void OnTransportClosed(SfuParticipant participant, WebRtcTransport transport, WebRtcTransportCloseReason reason)
    {
        bool ours;
        lock (_gate)
            ours = !participant.IsClosed && (participant.PublishTransport == transport || participant.SubscribeTransport == transport);
        if (!ours)
            return;
        Remove(participant, reason == WebRtcTransportCloseReason.ConsentExpired ? SfuCloseReason.ConsentExpired : SfuCloseReason.TransportFailed);
    }

    internal bool IsEmpty
    {
        get
        {
            lock (_gate)
                return _participants.Count == 0;
        }
    }

    public void Dispose()
    {
        List<SfuParticipant> remaining;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            remaining = [.. _participants.Values];
        }
        _timer.Dispose();
        foreach (var participant in remaining)
            Remove(participant, SfuCloseReason.Left);
        lock (_gate)
            Buffers.ReleaseSpares();
    }

    internal bool TryMarkDisposedIfEmpty()
    {
        lock (_gate)
        {
            if (_participants.Count != 0 || _disposed)
                return false;
            _disposed = true;
            Buffers.ReleaseSpares();
        }
        _timer.Dispose();
        return true;
    }

    private int Sum(Func<SfuParticipant, int> selector)
    {
        lock (_gate)
            return _participants.Values.Sum(selector);
    }

    /// <summary>Connects a transport's callbacks to this router (a narrow listener, mediasoup style).</summary>
    private sealed class TransportListener(Router router, SfuParticipant participant, bool publish) : IWebRtcTransportListener
    {
        public void OnConnected(WebRtcTransport transport)
        {
        }

        public void OnRtp(WebRtcTransport transport, Span<byte> packet)
        {
            if (publish)
                router.OnPublisherRtp(participant, packet);
        }

        public void OnRtcp(WebRtcTransport transport, Span<byte> packet)
        {
            if (publish)
                router.OnPublisherRtcp(participant, packet);
            else
                router.OnSubscriberRtcp(participant, packet);
        }

        public void OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error) =>
            router.OnTransportClosed(participant, transport, reason);
    }
}
