using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Sotto.Rtc.Codecs.Vp8;
using Sotto.Rtc.Rtcp;
using Sotto.Rtc.Rtp;
using Sotto.Rtc.Rtp.Extensions;
using Sotto.Sfu.Adaptation;
using Sotto.Sfu.Negotiation;
using Sotto.Sfu.Rtp;
using Sotto.Sfu.Stages;

namespace Sotto.Sfu;

/// <summary>
/// One remote track as one subscriber receives it (mediasoup's Consumer). It rewrites SSRC,
/// sequence number, timestamp, payload type and the VP8 picture id / TL0PICIDX so the outgoing
/// stream stays one continuous stream when its source changes (a simulcast layer switch, always at
/// a key frame), keeps what it sent for RTX answers to NACKs, and translates the publisher's
/// sender reports onto its own timestamps (lip sync). For video it forwards only the layer the
/// allocator chose (<see cref="TargetLayer"/>): the spatial layer changes at a key frame, the temporal
/// layer drops at any frame and steps up at a TL0 or layer-sync frame; frames left out close their
/// gap in sequence numbers and picture ids (<see cref="OffsetHistory"/>). Touched only under the router's lock.
/// </summary>
internal sealed class Consumer : IDisposable
{
    private const ushort PictureIdModulus = 0x8000;

    /// <summary>Padding per probe packet: the most RFC 3550's 8-bit padding count allows.</summary>
    private const byte PaddingPacketBytes = 255;

    // Passed by argument.
    private readonly SfuOptions _options;

    // Allocated by this.
    private readonly RetransmissionBuffer? _retransmissions;
    private readonly byte[] _midBytes;
    private readonly ReadOnlyMemory<byte> _cname;

    // Rewriting state.
    private ProducerStream? _current;
    private uint _currentSsrc;
    private bool _started;
    private OffsetHistory _sequenceOffsets = new(16);
    private OffsetHistory _pictureIdOffsets = new(15);
    private uint _timestampOffset;
    private ushort _lastSequence;
    private uint _lastTimestamp;
    private long _lastSentTicks;
    private ushort _sourceFirstSequence;
    private ushort _sourceHighestSequence;
    private bool _hasPictureId;
    private ushort _lastPictureId;
    private ushort _sourceHighestPictureId;
    private int _currentTemporal;
    private bool _hasTl0;
    private byte _tl0Offset;
    private byte _lastTl0;
    private ushort _rtxSequence;
    private uint _packetsSent;
    private uint _octetsSent;

    public Consumer(Producer producer, SfuParticipant subscriber, string mid, SfuOptions options, RetransmissionSlotPool buffers)
    {
        Producer = producer;
        Subscriber = subscriber;
        Mid = mid;
        _options = options;
        Ssrc = RandomSsrc();
        _midBytes = Encoding.ASCII.GetBytes(mid);
        _cname = Encoding.ASCII.GetBytes(producer.Owner.MediaToken);
        _lastSequence = (ushort)RandomNumberGenerator.GetInt32(0, 0x8000);
        _lastTimestamp = (uint)RandomNumberGenerator.GetInt32(0, int.MaxValue);
        _rtxSequence = (ushort)RandomNumberGenerator.GetInt32(0, 0x8000);
        if (producer.Kind == MediaKind.Video)
        {
            RtxSsrc = RandomSsrc();
            _retransmissions = new RetransmissionBuffer(options.RetransmissionBufferPackets, buffers);
        }
    }

    public Producer Producer { get; }

    public SfuParticipant Subscriber { get; }

    /// <summary>The subscribe offer's m-line this consumer sends on.</summary>
    public string Mid { get; }

    public uint Ssrc { get; }

    public uint? RtxSsrc { get; }

    public MediaKind Kind => Producer.Kind;

    public ProducerStream? CurrentStream => _current;

    /// <summary>What the allocator chose for this subscriber (video); <see cref="VideoLayer.Best"/> until the first allocation.</summary>
    public VideoLayer TargetLayer { get; set; } = VideoLayer.Best;

    /// <summary>The subscriber's wish for this track (docs/protocol.md <c>media-settings</c>): displayed size, or hidden.</summary>
    public TrackView View { get; set; } = TrackView.Unknown;

    /// <summary>The temporal layer now forwarded (−1 when paused).</summary>
    public int CurrentTemporal => _current is null ? -1 : _currentTemporal;

    /// <summary>Bytes sent since the last allocation (for the subscriber's probing budget).</summary>
    public long BytesSinceAllocation { get; set; }

    /// <summary>True once the subscriber answered the offer that contains this consumer's m-line.</summary>
    public bool IsNegotiated { get; set; }

    public bool IsClosed { get; private set; }

    public SubscribeOfferWriter.SlotSender ToSlotSender()
    {
        var owner = Producer.Owner;
        var stream = Producer.Source is MediaSource.Screen or MediaSource.ScreenAudio ? owner.MediaToken + "-screen" : owner.MediaToken;
        return new SubscribeOfferWriter.SlotSender(stream, owner.MediaToken + "-" + Producer.Source.ToWire(), owner.MediaToken, Ssrc, RtxSsrc);
    }

    /// <summary>
    /// The stream to be on: the allocator's spatial layer if it is sending, else the nearest lower one
    /// sending, else the lowest sending; null when paused.
    /// </summary>
    public ProducerStream? ResolveTarget(long nowTicks, long inactivityTicks)
    {
        var streams = Producer.Streams;
        if (Kind == MediaKind.Audio)
            return streams[0];
        var layer = TargetLayer;
        if (layer.IsNone)
            return null;
        ProducerStream? below = null, above = null;
        foreach (var stream in streams)
        {
            if (!stream.IsActive(nowTicks, inactivityTicks))
                continue;
            if (stream.Index <= layer.Spatial)
                below = stream; // streams are in index order: the last one wins
            else
                above ??= stream;
        }
        return below ?? above;
    }

    /// <summary>Forwards one publisher packet if it belongs to the layer this subscriber gets.</summary>
    public void Forward(scoped in IncomingMedia packet, Router router, Span<byte> scratch)
    {
        if (IsClosed || !IsNegotiated || !Subscriber.IsSubscribeConnected)
            return;

        var isVideo = Kind == MediaKind.Video;
        var target = ResolveTarget(packet.NowTicks, router.InactivityTicks);
        if (target is null)
        {
            // Paused: the next layer starts at a key frame again.
            _current = null;
            return;
        }

        if (!ReferenceEquals(packet.Stream, _current) || packet.Ssrc != _currentSsrc)
        {
            if (!ReferenceEquals(packet.Stream, target))
                return;
            if (isVideo && !packet.IsKeyFrameStart)
            {
                // Not decodable from here: ask the publisher for a key frame on the layer we want.
                router.RequestKeyFrame(packet.Stream, packet.NowTicks);
                return;
            }
            SwitchTo(packet);
        }
        else if (IsBeforeSwitch(packet.SequenceNumber))
        {
            return;
        }

        var isNewest = (short)(packet.SequenceNumber - _sourceHighestSequence) > 0;
        if (isNewest)
            _sourceHighestSequence = packet.SequenceNumber;
        if (isVideo && packet.HasTemporalLayer && !PassesTemporalFilter(packet, isNewest))
            return;

        if (!_sequenceOffsets.TryGet(packet.SequenceNumber, out var sequenceOffset))
            return; // older than any offset we remember: not worth a wrong guess
        var sequenceNumber = (ushort)(packet.SequenceNumber + sequenceOffset);
        // Never send one sequence number twice (a spurious RTX, a duplicate): SRTP would reuse
        // its index with different bytes, an AES-GCM nonce reuse (RFC 7714 §8).
        if (_retransmissions is not null ? _retransmissions.Contains(sequenceNumber) : _started && (short)(sequenceNumber - _lastSequence) <= 0)
            return;
        var timestamp = packet.Timestamp + _timestampOffset;
        var buffer = _retransmissions is null ? scratch : _retransmissions.Reserve(sequenceNumber);
        var payloadType = (byte)(Kind == MediaKind.Audio ? SubscribeOfferWriter.OpusPayloadType : SubscribeOfferWriter.Vp8PayloadType);
        if (!TryWritePacket(buffer, new RtpHeader(payloadType, sequenceNumber, timestamp, Ssrc, packet.Marker), packet.Payload, 0, out var length, out var payloadOffset))
            return;
        var payload = buffer.Slice(payloadOffset, length - payloadOffset);
        if (isVideo && !RewriteVp8(payload, packet))
            return;
        _retransmissions?.Commit(sequenceNumber, length, payloadOffset, packet.NowTicks);

        if ((short)(sequenceNumber - _lastSequence) > 0 || !_started)
        {
            _lastSequence = sequenceNumber;
            _lastTimestamp = timestamp;
            _lastSentTicks = packet.NowTicks;
        }
        _started = true;
        _packetsSent++;
        _octetsSent += (uint)payload.Length;

        var view = new MediaPathPacket(Producer.Owner.Id, Producer.Owner.Slot, Subscriber.Id, Kind, Producer.Source, Ssrc, sequenceNumber, timestamp, packet.Marker, isRetransmission: false, payload, length);
        if (!router.PassesDownstreamStages(view, Subscriber))
            return;
        if (Subscriber.SendRtp(buffer[..length]))
        {
            BytesSinceAllocation += length;
            Subscriber.Counters.PacketsForwardedCount++;
            Subscriber.Counters.BytesForwardedCount += length;
            router.Counters.PacketsForwardedCount++;
            router.Counters.BytesForwardedCount += length;
        }
    }

    /// <summary>
    /// VP8 temporal scalability (RFC 7741 §4.2, TID/Y): going down is possible at any frame, going up
    /// only at a frame every higher-layer frame after it may reference — a TL0 frame or one with the
    /// layer-sync bit. A frame above the current layer is dropped and its sequence numbers and picture
    /// id are closed up, so the receiver sees no loss.
    /// </summary>
    private bool PassesTemporalFilter(scoped in IncomingMedia packet, bool isNewest)
    {
        var wanted = Math.Min(TargetLayer.Temporal, LayerBitrate.MaxTemporalLayers - 1);
        if (packet.IsFrameStart && isNewest && wanted != _currentTemporal)
        {
            if (wanted < _currentTemporal || packet.TemporalLayer == 0 || packet.LayerSync)
                _currentTemporal = wanted;
        }
        if (packet.TemporalLayer <= _currentTemporal)
            return true;
        if (isNewest)
        {
            _sequenceOffsets.DropAt(packet.SequenceNumber);
            if (packet.HasPictureId && _pictureIdOffsets.Distance(_sourceHighestPictureId, packet.PictureId) > 0)
            {
                _sourceHighestPictureId = packet.PictureId;
                _pictureIdOffsets.DropAt(packet.PictureId);
            }
        }
        return false;
    }

    /// <summary>
    /// Probing (docs/media.md "Bandwidth estimation"): padding-only RTX packets (RFC 3550 §5.1 P bit,
    /// RFC 4588 stream) that carry nothing but a transport-wide sequence number, so the subscriber's
    /// transport-cc feedback shows whether the link has room for more. Never a media SSRC or index.
    /// </summary>
    public int SendPadding(int bytes, Router router, Span<byte> scratch)
    {
        if (RtxSsrc is not uint rtxSsrc || !_started || IsClosed || !IsNegotiated)
            return 0;
        var sent = 0;
        while (sent < bytes)
        {
            var rtxSequence = _rtxSequence++;
            if (!TryWritePacket(scratch, new RtpHeader(SubscribeOfferWriter.RtxPayloadType, rtxSequence, _lastTimestamp, rtxSsrc, false), default, PaddingPacketBytes, out var length, out _))
                return sent;
            var view = new MediaPathPacket(Producer.Owner.Id, Producer.Owner.Slot, Subscriber.Id, Kind, Producer.Source, rtxSsrc, rtxSequence, _lastTimestamp, false, isRetransmission: true, scratch[..0], length);
            if (router.PassesDownstreamStages(view, Subscriber) && Subscriber.SendRtp(scratch[..length]))
            {
                Subscriber.Counters.PaddingSentCount++;
                router.Counters.PaddingSentCount++;
            }
            sent += length;
        }
        return sent;
    }

    /// <summary>Answers a subscriber's NACK: each packet still held goes out again as RTX (RFC 4588), never under its original SRTP index.</summary>
    public void Retransmit(ushort sequenceNumber, Router router, Span<byte> scratch, Span<byte> rtxPayload)
    {
        if (_retransmissions is null || RtxSsrc is not uint rtxSsrc || !_retransmissions.TryGet(sequenceNumber, out var original, out var payloadOffset))
            return;
        var originalPayload = original[payloadOffset..];
        // RFC 4588 §4: the RTX payload is the original sequence number, then the original payload.
        BinaryPrimitives.WriteUInt16BigEndian(rtxPayload, sequenceNumber);
        originalPayload.CopyTo(rtxPayload[2..]);
        var timestamp = BinaryPrimitives.ReadUInt32BigEndian(original[4..]);
        var marker = (original[1] & 0x80) != 0;
        var rtxSequence = _rtxSequence++;
        if (!TryWritePacket(scratch, new RtpHeader(SubscribeOfferWriter.RtxPayloadType, rtxSequence, timestamp, rtxSsrc, marker), rtxPayload[..(originalPayload.Length + 2)], 0, out var length, out var rtxOffset))
            return;
        var view = new MediaPathPacket(Producer.Owner.Id, Producer.Owner.Slot, Subscriber.Id, Kind, Producer.Source, rtxSsrc, rtxSequence, timestamp, marker, isRetransmission: true, scratch[rtxOffset..length], length);
        if (!router.PassesDownstreamStages(view, Subscriber))
            return;
        if (Subscriber.SendRtp(scratch[..length]))
        {
            Subscriber.Counters.RetransmissionsSentCount++;
            router.Counters.RetransmissionsSentCount++;
        }
    }

    /// <summary>
    /// The publisher sent an SR for <paramref name="stream"/>: if it is our source, send ours with the
    /// same NTP time and the RTP timestamp moved by our offset, so audio and video of one publisher
    /// keep one clock at the receiver (RFC 3550 §6.4.1; DESIGN.md §9 lip sync).
    /// </summary>
    public void OnSenderReport(ProducerStream stream, Router router, Span<byte> scratch)
    {
        if (!_started || !ReferenceEquals(stream, _current) || stream.Ssrc != _currentSsrc || !Subscriber.IsSubscribeConnected)
            return;
        var writer = new RtcpCompoundWriter(scratch);
        Span<SdesEntry> cname = [new SdesEntry(Ssrc, SdesItemType.Cname, _cname)];
        if (!writer.TryAdd(new SenderReport(Ssrc, stream.SenderReportNtp, stream.SenderReportRtp + _timestampOffset, _packetsSent, _octetsSent))
            || !writer.TryAdd(new SourceDescription(cname)))
            return;
        if (Subscriber.SendRtcp(writer.Written))
        {
            Subscriber.Counters.SenderReportsSentCount++;
            router.Counters.SenderReportsSentCount++;
        }
    }

    /// <summary>Gives back the retransmission buffers of packets sent before <paramref name="oldestKeptTicks"/> (<see cref="SfuOptions.RetransmissionHistory"/>).</summary>
    public void TrimRetransmissions(long oldestKeptTicks) => _retransmissions?.Trim(oldestKeptTicks);

    public void Dispose()
    {
        IsClosed = true;
        _retransmissions?.Dispose();
    }

    private bool TryWritePacket(Span<byte> buffer, RtpHeader header, ReadOnlySpan<byte> payload, byte padding, out int length, out int payloadOffset)
    {
        length = 0;
        payloadOffset = 0;
        var ids = RtpExtensionIds.Subscribe;
        var transportSequence = Subscriber.NextTransportSequenceNumber();
        if (!RtpPacketWriter.TryCreate(buffer, header, default, RtpExtensionProfile.OneByte, out var writer)
            || !writer.TryAddExtension(ids.Mid, _midBytes)
            || !writer.TryAddAbsSendTime(ids.AbsSendTime, AbsSendTime.FromTimeSpan(TimeSpan.FromTicks(Environment.TickCount64 * TimeSpan.TicksPerMillisecond)))
            || !writer.TryAddTransportSequenceNumber(ids.TransportCc, transportSequence)
            || (!payload.IsEmpty && !writer.TryWritePayload(payload))
            || !writer.TryComplete(padding, out length))
            return false;
        payloadOffset = length - padding - payload.Length;
        Subscriber.OnTransportPacket(transportSequence, length);
        return true;
    }

    private void SwitchTo(scoped in IncomingMedia packet)
    {
        _sequenceOffsets.Reset(packet.SequenceNumber, _lastSequence + 1 - packet.SequenceNumber);
        if (!_started)
        {
            _timestampOffset = _lastTimestamp - packet.Timestamp;
        }
        else
        {
            var outTimestamp = EstimateTimestamp(packet);
            if ((int)(outTimestamp - _lastTimestamp) <= 0)
                outTimestamp = _lastTimestamp + 1;
            _timestampOffset = outTimestamp - packet.Timestamp;
        }
        if (packet.HasPictureId)
        {
            _pictureIdOffsets.Reset(packet.PictureId, _hasPictureId ? _lastPictureId + 1 - packet.PictureId : 0);
            _sourceHighestPictureId = packet.PictureId;
        }
        if (packet.HasTl0PicIdx)
        {
            _tl0Offset = _hasTl0 ? (byte)(_lastTl0 + 1 - packet.Tl0PicIdx) : (byte)0;
        }
        _current = packet.Stream;
        _currentSsrc = packet.Ssrc;
        _sourceFirstSequence = packet.SequenceNumber;
        _sourceHighestSequence = (ushort)(packet.SequenceNumber - 1);
        _currentTemporal = Math.Min(TargetLayer.Temporal, LayerBitrate.MaxTemporalLayers - 1);
    }

    /// <summary>
    /// The outgoing timestamp for the first packet of a new source: mapped through both layers'
    /// sender reports when we have them (each SSRC has its own random RTP offset, DESIGN.md §9),
    /// else the wall-clock time since the last packet sent.
    /// </summary>
    private uint EstimateTimestamp(scoped in IncomingMedia packet)
    {
        var clockRate = Producer.Track.ClockRate;
        var previous = _current;
        var next = packet.Stream;
        if (previous is not null && previous.HasSenderReport && next.HasSenderReport && previous.Ssrc == _currentSsrc && next.Ssrc == packet.Ssrc)
        {
            var ntpDifference = (long)(next.SenderReportNtp - previous.SenderReportNtp);
            var inPreviousTimeline = previous.SenderReportRtp + (packet.Timestamp - next.SenderReportRtp) + (uint)NtpTime.ToRtpTicks(ntpDifference, clockRate);
            return inPreviousTimeline + _timestampOffset;
        }
        var elapsed = Math.Max(0, packet.NowTicks - _lastSentTicks);
        return _lastTimestamp + (uint)Math.Max(1, elapsed * clockRate / TimeSpan.TicksPerSecond);
    }

    private bool IsBeforeSwitch(ushort sequenceNumber) =>
        (short)(sequenceNumber - _sourceFirstSequence) < 0 && (ushort)(_sourceHighestSequence - _sourceFirstSequence) < 0x4000;

    private bool RewriteVp8(Span<byte> payload, scoped in IncomingMedia packet)
    {
        if (packet.HasPictureId)
        {
            if (!_pictureIdOffsets.TryGet(packet.PictureId, out var offset))
                return false;
            if (_pictureIdOffsets.Distance(_sourceHighestPictureId, packet.PictureId) > 0)
                _sourceHighestPictureId = packet.PictureId;
            var pictureId = (ushort)((packet.PictureId + offset) & (PictureIdModulus - 1));
            Vp8PayloadDescriptor.TrySetPictureId(payload, pictureId);
            if (!_hasPictureId || (short)((pictureId - _lastPictureId) << 1) > 0)
                _lastPictureId = pictureId;
            _hasPictureId = true;
        }
        if (packet.HasTl0PicIdx)
        {
            var tl0 = (byte)(packet.Tl0PicIdx + _tl0Offset);
            Vp8PayloadDescriptor.TrySetTl0PicIdx(payload, tl0);
            if (!_hasTl0 || (sbyte)(tl0 - _lastTl0) > 0)
                _lastTl0 = tl0;
            _hasTl0 = true;
        }
        return true;
    }

    private static uint RandomSsrc() => (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
}
