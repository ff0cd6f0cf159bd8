using System.Security.Cryptography;
using System.Text;
using Sotto.Rtc.Rtcp;
using Sotto.Rtc.Rtp;
using Sotto.Rtc.Rtp.Extensions;
using Sotto.Sfu.Adaptation;
using Sotto.Sfu.Adaptation.Estimation;
using Sotto.Sfu.Negotiation;
using Sotto.Transport;

namespace Sotto.Sfu;

/// <summary>
/// One participant's media in a room: a publish transport (the browser offers, we answer), a
/// subscribe transport (we offer, the browser answers), the tracks it publishes and the
/// consumers of everyone else's tracks. State changes run under the room's lock.
/// </summary>
public sealed class SfuParticipant
{
    // Passed by argument.
    private readonly Router _router;

    // Allocated by this: publish side.
    private readonly Dictionary<uint, SsrcRoute> _routes = [];
    private readonly Dictionary<string, Producer> _producers = new(StringComparer.Ordinal);

    // Allocated by this: subscribe side.
    private readonly List<SubscribeSlot> _slots = [];
    private readonly Dictionary<uint, Consumer> _consumersBySsrc = [];
    private ushort _transportSequence;

    internal SfuParticipant(Router router, string id, int slot, ISfuSignal signal, long initialDownlinkBitsPerSecond = 2_500_000)
    {
        Downlink = new DownlinkEstimator(initialDownlinkBitsPerSecond);
        _router = router;
        Id = id;
        Slot = slot;
        Signal = signal;
        MediaToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        RtcpSsrc = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
        TransportCc = new TransportCcFeedbackBuilder(RtcpSsrc);
        SessionId = (ulong)RandomNumberGenerator.GetInt32(1, int.MaxValue);
    }

    /// <summary>The participant id from Rooms (opaque; the E2EE layer checks it).</summary>
    public string Id { get; }

    /// <summary>The participant's seat number in the room, signalled with its tracks (E2EE KID).</summary>
    public int Slot { get; }

    /// <summary>Per-participant counters (in process, for tests and diagnostics).</summary>
    public MediaCounters Counters { get; } = new();

    internal ISfuSignal Signal { get; }

    /// <summary>A random token naming this participant in SDP (msid, CNAME): never the participant id itself.</summary>
    internal string MediaToken { get; }

    internal uint RtcpSsrc { get; }

    internal ulong SessionId { get; }

    internal TransportCcFeedbackBuilder TransportCc { get; }

    internal RtpExtensionIds PublishExtensions { get; set; }

    internal WebRtcTransport? PublishTransport { get; set; }

    internal WebRtcTransport? SubscribeTransport { get; set; }

    internal LocalTransportDescription? PublishLocal { get; set; }

    internal LocalTransportDescription? SubscribeLocal { get; set; }

    internal RemoteTransportDescription? PublishRemote { get; set; }

    internal int PublishVersion { get; set; }

    internal bool IsClosed { get; set; }

    internal bool IsSubscribeConnected => SubscribeTransport?.State == WebRtcTransportState.Connected;

    internal bool IsPublishConnected => PublishTransport?.State == WebRtcTransportState.Connected;

    internal IReadOnlyCollection<Producer> Producers => _producers.Values;

    internal Dictionary<string, Producer> ProducersByMid => _producers;

    internal List<SubscribeSlot> Slots => _slots;

    internal Dictionary<uint, Consumer> ConsumersBySsrc => _consumersBySsrc;

    // Subscribe negotiation (serialized: offer V+1 only after answer V).
    internal int OfferedVersion { get; set; }

    internal int AnsweredVersion { get; set; }

    internal bool AwaitingAnswer { get; set; }

    internal bool AwaitingAnswerForTests
    {
        get
        {
            lock (_router.Gate)
                return AwaitingAnswer || SubscriptionsChanged;
        }
    }

    internal int OfferedSlotCount { get; set; }

    // Adaptation (subscribe side).

    /// <summary>This subscriber's downlink bandwidth estimate (transport-cc feedback on the subscribe transport).</summary>
    internal DownlinkEstimator Downlink { get; }

    /// <summary>This participant's downlink estimate in bits per second (diagnostics, tests).</summary>
    public long DownlinkEstimate => Downlink.BitsPerSecond;

    /// <summary>The estimator's state in one line (diagnostics, tests; no identifiers).</summary>
    public string DownlinkSummary
    {
        get
        {
            var d = Downlink;
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{VideoSummary()}; estimate {d.BitsPerSecond / 1000} kbit/s (delay {d.DelayBasedBitsPerSecond / 1000}, loss {d.LossBasedBitsPerSecond / 1000}), acked {d.AckedBitsPerSecond / 1000}, allocated {AllocatedBitsPerSecond / 1000}, {d.Usage}, lost {d.LossFraction:0.00}, probes {d.ProbesSucceeded} ok / {d.ProbesFailed} failed, low {LowBandwidth}");
        }
    }

    private string VideoSummary()
    {
        lock (_router.Gate)
        {
            return string.Join(" ", _slots.Select(s => s.Consumer).OfType<Consumer>().Where(c => c.Kind == MediaKind.Video).Select(c =>
                $"{c.Mid}:{c.TargetLayer}@{c.CurrentStream?.Rid ?? "-"}T{c.CurrentTemporal} [{string.Join(",", c.Producer.Streams.Select(s => $"{s.Rid}={s.Bitrate.BitrateUpTo(0) / 1000}/{s.Bitrate.BitrateUpTo(3) / 1000}"))}]"));
        }
    }

    /// <summary>The person chose audio only: no video is forwarded to them.</summary>
    internal bool AudioOnly { get; set; }

    /// <summary>Participants this subscriber pinned: their video is always forwarded (last-N exception).</summary>
    internal HashSet<string> Pinned { get; } = new(StringComparer.Ordinal);

    /// <summary>What the client last said about its own microphone (null: it never did; DTX flow alone decides).</summary>
    internal bool? ReportedSpeaking { get; set; }

    /// <summary>The last low-bandwidth state sent (docs/protocol.md <c>bandwidth</c>).</summary>
    internal bool LowBandwidth { get; set; }

    internal string[] PausedMids { get; set; } = [];

    internal long NextProbeTicks { get; set; }

    internal long ProbeBackoffTicks { get; set; }

    internal long ProbeUntilTicks { get; set; }

    internal long ProbeBitsPerSecond { get; set; }

    internal int ProbesFailedSeen { get; set; }

    /// <summary>The rate the last allocation chose for this subscriber (media it is being sent).</summary>
    internal long AllocatedBitsPerSecond { get; set; }

    internal bool SubscriptionsChanged { get; set; }

    /// <summary>Producers, consumers and transports this participant holds (for leak checks).</summary>
    public int LiveProducers => _producers.Count;

    public int LiveConsumers => _slots.Count(s => s.Consumer is not null);

    public int LiveTransports => (PublishTransport is null ? 0 : 1) + (SubscribeTransport is null ? 0 : 1);

    /// <summary>The router of this participant's room.</summary>
    internal Router Router => _router;

    // ---- API for the signaling layer -------------------------------------------------------

    /// <summary>Answers a publish offer (docs/protocol.md <c>publish</c>); throws <see cref="SfuNegotiationException"/> on a refused offer.</summary>
    public string Publish(string offerSdp, IReadOnlyList<PublishTrackRequest> tracks) => _router.Publish(this, offerSdp, tracks);

    /// <summary>Applies the browser's answer to subscribe offer <paramref name="version"/>; throws <see cref="SfuNegotiationException"/>.</summary>
    public void ApplySubscribeAnswer(int version, string answerSdp) => _router.ApplySubscribeAnswer(this, version, answerSdp);

    /// <summary>Removes this participant's media: transports closed, producers and consumers freed, others renegotiated.</summary>
    public void Leave() => _router.Remove(this, SfuCloseReason.Left);

    // ---- hot path helpers (under the router's lock) ----------------------------------------

    internal ushort NextTransportSequenceNumber() => _transportSequence++;

    /// <summary>A packet with transport-wide sequence <paramref name="transportSequence"/> goes to this subscriber (sent or dropped on the way: both count for the estimate).</summary>
    internal void OnTransportPacket(ushort transportSequence, int length) =>
        Downlink.OnPacketSent(transportSequence, length, SfuClock.NowTicks() / 10);

    /// <summary>What the client wants (docs/protocol.md <c>media-settings</c>); null leaves a setting as it is. Unknown mids are ignored.</summary>
    public void SetMediaSettings(bool? audioOnly, IReadOnlyList<string>? pinned, IReadOnlyList<(string Mid, TrackView View)>? views) =>
        _router.SetMediaSettings(this, audioOnly, pinned, views, null);

    /// <summary>The client says whether its microphone carries speech (docs/protocol.md <c>media-settings.speaking</c>).</summary>
    public void ReportSpeaking(bool speaking) => _router.SetMediaSettings(this, null, null, null, speaking);

    internal bool SendRtp(ReadOnlySpan<byte> packet) => SubscribeTransport is { } transport && transport.SendRtp(packet);

    internal bool SendRtcp(ReadOnlySpan<byte> packet) => SubscribeTransport is { } transport && transport.SendRtcp(packet);

    internal bool SendPublisherRtcp(ReadOnlySpan<byte> packet) => PublishTransport is { } transport && transport.SendRtcp(packet);

    /// <summary>
    /// The stream an incoming SSRC belongs to. Unknown SSRCs are tied to a track by the mid header
    /// extension and to a layer by rid (media) or repaired-rid (RTX), as rid simulcast offers carry
    /// no a=ssrc (RFC 8852; DESIGN.md §9). Allocates only when a new SSRC is learned.
    /// </summary>
    internal bool TryResolve(RtpPacket packet, out SsrcRoute route)
    {
        if (_routes.TryGetValue(packet.Ssrc, out route))
            return true;
        var ids = PublishExtensions;
        if (ids.Mid == 0 || !packet.TryGetExtension(ids.Mid, out var midValue) || !RtpStreamId.TryRead(midValue, out var mid))
            return false;
        Producer? producer = null;
        foreach (var candidate in _producers.Values)
        {
            if (mid.SequenceEqual(candidate.MidBytes))
            {
                producer = candidate;
                break;
            }
        }
        if (producer is null)
            return false;

        ProducerStream? stream = null;
        var isRtx = producer.Track.RtxPayloadType == packet.PayloadType;
        if (ids.RepairedRid != 0 && packet.TryGetExtension(ids.RepairedRid, out var repaired) && RtpStreamId.TryRead(repaired, out var repairedRid))
        {
            stream = producer.FindRid(repairedRid);
            isRtx = true;
        }
        else if (ids.Rid != 0 && packet.TryGetExtension(ids.Rid, out var ridValue) && RtpStreamId.TryRead(ridValue, out var rid))
        {
            stream = producer.FindRid(rid);
        }
        else if (producer.Streams.Length == 1)
        {
            stream = producer.Streams[0];
        }
        if (stream is null)
            return false;
        if (isRtx)
        {
            stream.RtxSsrc = packet.Ssrc;
            stream.HasRtxSsrc = true;
        }
        else
        {
            if (stream.HasSsrc)
                _routes.Remove(stream.Ssrc); // the sender restarted the layer with a new SSRC
            stream.Ssrc = packet.Ssrc;
            stream.HasSsrc = true;
        }
        route = new SsrcRoute(stream, isRtx);
        _routes[packet.Ssrc] = route;
        return true;
    }

    internal bool TryGetRoute(uint ssrc, out SsrcRoute route) => _routes.TryGetValue(ssrc, out route);

    internal void AddAnnouncedRoutes(Producer producer)
    {
        foreach (var stream in producer.Streams)
        {
            if (stream.HasSsrc)
                _routes[stream.Ssrc] = new SsrcRoute(stream, false);
            if (stream.HasRtxSsrc)
                _routes[stream.RtxSsrc] = new SsrcRoute(stream, true);
        }
    }

    internal void RemoveRoutes(Producer producer)
    {
        List<uint>? stale = null;
        foreach (var (ssrc, route) in _routes)
        {
            if (route.Stream.Producer == producer)
                (stale ??= []).Add(ssrc);
        }
        foreach (var ssrc in stale ?? [])
            _routes.Remove(ssrc);
    }
}

/// <summary>Where an incoming SSRC goes: its stream, and whether it is that stream's RTX.</summary>
internal readonly record struct SsrcRoute(ProducerStream Stream, bool IsRtx);

/// <summary>An m-line of a participant's subscribe offer.</summary>
internal sealed class SubscribeSlot(string mid, MediaKind kind)
{
    public string Mid { get; } = mid;

    public MediaKind Kind { get; } = kind;

    public Consumer? Consumer { get; set; }

    /// <summary>The offer version that first showed this slot inactive; reusable once that offer is answered.</summary>
    public int FreedInVersion { get; set; }

    /// <summary>The offer version that first carried the current consumer.</summary>
    public int OfferedInVersion { get; set; }
}
