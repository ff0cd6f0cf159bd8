using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Sotto.Client.Negotiation;
using Sotto.Rtc.Codecs.Vp8;
using Sotto.Rtc.Rtcp;
using Sotto.Rtc.Rtp;
using Sotto.Rtc.Rtp.Extensions;

namespace Sotto.Client.Media;

/// <summary>
/// One published RTP stream: packetizes already SFrame-encrypted frames — Opus one frame per
/// packet (RFC 7587 §4.2), VP8 with a payload descriptor carrying a 15-bit picture id, S=1 on the
/// first packet and the marker on the last (RFC 7741 §4.2, §4.4) — adds mid, abs-send-time and the
/// transport-wide sequence number, keeps the last 512 video packets to answer NACKs as RTX
/// (RFC 4588 §4: OSN ‖ original payload; re-sending the same SRTP index would reuse the GCM IV,
/// DESIGN.md §9), and writes its sender report. Thread-safe: frames come from the playback task,
/// NACKs from the mux receive loop.
/// </summary>
internal sealed class RtpStreamSender
{
    /// <summary>RTP payload bytes per packet: 1,200-byte packets leave room for SRTP and any tunnel.</summary>
    public const int MaxPayloadPerPacket = 1_100;
    private const int HistorySize = 512;
    private const int PacketBufferSize = 1_500;

    private readonly MediaConnection _connection;
    private readonly TransportSequence _transportSequence;
    private readonly byte[] _mid;
    private readonly Lock _lock = new();
    private readonly byte[] _buffer = new byte[PacketBufferSize];
    private readonly byte[]?[] _history;
    private readonly long _start = Stopwatch.GetTimestamp();
    private ushort _sequence = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue);
    private ushort _rtxSequence = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue);
    private ushort _pictureId = (ushort)RandomNumberGenerator.GetInt32(Vp8PayloadDescriptor.MaxPictureId);
    private readonly uint _timestampOffset = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
    private uint _lastTimestamp;
    private long _lastTimestampAt;
    private uint _packetCount;
    private uint _octetCount;

    public RtpStreamSender(MediaConnection connection, TransportSequence transportSequence, PublishedTrackSpec spec)
    {
        _connection = connection;
        _transportSequence = transportSequence;
        Spec = spec;
        _mid = Encoding.ASCII.GetBytes(spec.Mid);
        IsVideo = spec.Kind == "video";
        _history = IsVideo ? new byte[HistorySize][] : [];
    }

    public PublishedTrackSpec Spec { get; }

    public bool IsVideo { get; }

    public long FramesSent { get; private set; }

    public long PacketsSent => _packetCount;

    public long RetransmissionsSent { get; private set; }

    /// <summary>Sends one encrypted frame, <paramref name="timestamp"/> in the codec's clock from the stream's start.</summary>
    public bool SendFrame(ReadOnlySpan<byte> frame, uint timestamp)
    {
        lock (_lock)
        {
            uint rtpTimestamp = unchecked(_timestampOffset + timestamp);
            _lastTimestamp = rtpTimestamp;
            _lastTimestampAt = Stopwatch.GetTimestamp();
            bool ok = IsVideo ? SendVp8(frame, rtpTimestamp) : SendPacket(frame, default, rtpTimestamp, marker: false);
            FramesSent++;
            return ok;
        }
    }

    private bool SendVp8(ReadOnlySpan<byte> frame, uint rtpTimestamp)
    {
        _pictureId = (ushort)((_pictureId + 1) & Vp8PayloadDescriptor.MaxPictureId);
        bool ok = true;
        Span<byte> descriptorBytes = stackalloc byte[8];
        for (int offset = 0; offset < frame.Length || offset == 0; offset += MaxPayloadPerPacket)
        {
            int length = Math.Min(MaxPayloadPerPacket, frame.Length - offset);
            var descriptor = new Vp8PayloadDescriptor { StartOfPartition = offset == 0, PictureId = _pictureId, LongPictureId = true };
            descriptor.TryWrite(descriptorBytes, out int descriptorLength);
            ok &= SendPacket(frame.Slice(offset, length), descriptorBytes[..descriptorLength], rtpTimestamp, marker: offset + length >= frame.Length);
            if (frame.Length == 0)
                break;
        }
        return ok;
    }

    private bool SendPacket(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> descriptor, uint rtpTimestamp, bool marker)
    {
        ushort sequence = _sequence++;
        byte payloadType = IsVideo ? RtpNumbers.Vp8PayloadType : RtpNumbers.OpusPayloadType;
        if (!TryWrite(new RtpHeader(payloadType, sequence, rtpTimestamp, Spec.Ssrc, marker), descriptor, payload, out int length))
            return false;
        if (IsVideo)
            _history[sequence % HistorySize] = _buffer.AsSpan(0, length).ToArray();
        _packetCount++;
        _octetCount += (uint)(descriptor.Length + payload.Length);
        return _connection.SendRtp(_buffer.AsSpan(0, length));
    }

    private bool TryWrite(RtpHeader header, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> payload, out int length)
    {
        length = 0;
        if (!RtpPacketWriter.TryCreate(_buffer, header, [], RtpExtensionProfile.OneByte, out RtpPacketWriter writer)
            || !writer.TryAddExtension(RtpNumbers.MidExtensionId, _mid)
            || !writer.TryAddAbsSendTime(RtpNumbers.AbsSendTimeExtensionId, AbsSendTime.FromTimeSpan(Stopwatch.GetElapsedTime(_start)))
            || !writer.TryAddTransportSequenceNumber(RtpNumbers.TransportCcExtensionId, _transportSequence.Next()))
        {
            return false;
        }
        Span<byte> body = stackalloc byte[prefix.Length + payload.Length];
        prefix.CopyTo(body);
        payload.CopyTo(body[prefix.Length..]);
        return writer.TryWritePayload(body) && writer.TryComplete(0, out length);
    }

    /// <summary>Answers a NACK (RFC 4585 §6.2.1) with RTX packets for the lost packets we still hold.</summary>
    public void Retransmit(ReadOnlySpan<ushort> lost)
    {
        if (!IsVideo || Spec.RtxSsrc is not { } rtxSsrc)
            return;
        Span<byte> rtxPayload = stackalloc byte[PacketBufferSize];
        lock (_lock)
        {
            foreach (ushort sequence in lost)
            {
                if (_history[sequence % HistorySize] is not { } original || !RtpPacket.TryParse(original, out RtpPacket packet) || packet.SequenceNumber != sequence)
                    continue;
                BinaryPrimitives.WriteUInt16BigEndian(rtxPayload, sequence);
                packet.Payload.CopyTo(rtxPayload[2..]);
                var header = new RtpHeader(RtpNumbers.RtxPayloadType, _rtxSequence++, packet.Timestamp, rtxSsrc, packet.Marker);
                if (TryWrite(header, [], rtxPayload[..(2 + packet.Payload.Length)], out int length) && _connection.SendRtp(_buffer.AsSpan(0, length)))
                    RetransmissionsSent++;
            }
        }
    }

    /// <summary>Adds this stream's sender report (RFC 3550 §6.4.1) to a compound packet; the RTP time is extrapolated to now.</summary>
    public bool TryAddSenderReport(ref RtcpCompoundWriter writer, TimeProvider time)
    {
        lock (_lock)
        {
            if (_packetCount == 0)
                return true;
            uint clockRate = IsVideo ? RtpNumbers.VideoClockRate : RtpNumbers.OpusClockRate;
            uint rtpNow = unchecked(_lastTimestamp + (uint)(Stopwatch.GetElapsedTime(_lastTimestampAt).TotalSeconds * clockRate));
            return writer.TryAdd(new SenderReport(Spec.Ssrc, NtpClock.Now(time), rtpNow, _packetCount, _octetCount));
        }
    }
}
