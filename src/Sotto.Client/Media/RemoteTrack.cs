using System.Buffers;
using System.Diagnostics;
using Sotto.E2ee.Frames;
using Sotto.Rtc.Rtcp;

namespace Sotto.Client.Media;

/// <summary>A decrypted frame of a remote track; <see cref="Frame"/> is valid only during the callback.</summary>
internal readonly ref struct ReceivedFrame(RemoteTrack track, ReadOnlySpan<byte> frame, uint rtpTimestamp, bool keyFrame)
{
    public RemoteTrack Track { get; } = track;
    public ReadOnlySpan<byte> Frame { get; } = frame;
    public uint RtpTimestamp { get; } = rtpTimestamp;
    public bool KeyFrame { get; } = keyFrame;
}

/// <summary>
/// One track the SFU forwards to us (one active m-line of the subscribe offer): frame assembly,
/// SFrame decryption with the owner's keys (the slot we know for the owner id, never the one the
/// SFU claims, §S7), structure checks, and the receiver state RTCP needs — RFC 3550 A.1/A.3
/// sequence accounting for the report block, and the lost sequence numbers for NACK.
/// </summary>
internal sealed class RemoteTrack
{
    private const int MaxNackAge = 100;

    private readonly Vp8FrameAssembler _assembler = new();
    private readonly Dictionary<long, int> _missing = [];
    private bool _started;
    private long _highest;
    private long _base;
    private long _expectedPrior;
    private long _receivedPrior;

    public RemoteTrack(string mid, string ownerId, ushort ownerSlot, string source, string kind, uint ssrc, uint? rtxSsrc)
    {
        Mid = mid;
        OwnerId = ownerId;
        OwnerSlot = ownerSlot;
        Source = source;
        Kind = kind;
        Ssrc = ssrc;
        RtxSsrc = rtxSsrc;
        Stream = source switch
        {
            "mic" => MediaStream.Mic,
            "camera" => MediaStream.Camera,
            "screen" => MediaStream.ScreenVideo,
            _ => MediaStream.ScreenAudio,
        };
    }

    public string Mid { get; }
    public string OwnerId { get; }
    public ushort OwnerSlot { get; }
    public string Source { get; }
    public string Kind { get; }
    public uint Ssrc { get; }
    public uint? RtxSsrc { get; }
    public MediaStream Stream { get; }
    public bool IsVideo => Kind == "video";

    public long PacketsReceived { get; private set; }
    public long RetransmissionsReceived { get; private set; }
    public long FramesDecrypted { get; private set; }
    public long KeyFramesDecrypted { get; private set; }
    /// <summary>Decrypted Opus frames with no bytes (sent around DTX): neither content nor malformed.</summary>
    public long EmptyFrames { get; private set; }
    /// <summary>Decrypted frames whose VP8/Opus structure is valid.</summary>
    public long FramesValid { get; private set; }
    public long FramesDropped { get; private set; }
    public FrameDropReason LastDropReason { get; private set; }
    /// <summary>The start of the first decrypted frame that failed the structure check (diagnostics), or null.</summary>
    public string? FirstInvalidFrame { get; private set; }
    public int Width { get; private set; }
    public int Height { get; private set; }
    public long IncompleteFrames => _assembler.IncompleteFrames;
    /// <summary>True until a key frame decrypted: PLIs are sent meanwhile.</summary>
    public bool NeedsKeyFrame { get; private set; } = true;

    /// <summary>One media packet (RTX already unwrapped). Returns the sequence numbers to NACK now, if a gap opened.</summary>
    public void OnPacket(ushort sequence, uint timestamp, bool marker, ReadOnlySpan<byte> payload, bool retransmission, FrameKeyring keyring, FrameSink sink, List<ushort> nackNow)
    {
        PacketsReceived++;
        if (retransmission)
            RetransmissionsReceived++;
        long extended = Extend(sequence, nackNow);
        if (IsVideo)
        {
            if (_assembler.TryAdd(extended, timestamp, marker, payload, out ReadOnlySpan<byte> frame))
                Decrypt(FrameCodec.Vp8, frame, timestamp, keyring, sink);
        }
        else
        {
            Decrypt(FrameCodec.Opus, payload, timestamp, keyring, sink);
        }
    }

    private long Extend(ushort sequence, List<ushort> nackNow)
    {
        if (!_started)
        {
            _started = true;
            _highest = _base = sequence;
            return sequence;
        }
        long candidate = (_highest & ~0xFFFFL) | sequence;
        if (candidate < _highest - 0x8000)
            candidate += 0x10000;
        else if (candidate > _highest + 0x8000)
            candidate -= 0x10000;
        if (candidate > _highest)
        {
            // RFC 4585 §6.2.1: report the gap at once; OnRtcpTick repeats it a few times.
            for (long s = Math.Max(_highest + 1, candidate - MaxNackAge); s < candidate; s++)
            {
                _missing[s] = 1;
                nackNow.Add((ushort)s);
            }
            _highest = candidate;
        }
        else
        {
            _missing.Remove(candidate);
        }
        return candidate;
    }

    private void Decrypt(FrameCodec codec, ReadOnlySpan<byte> frame, uint timestamp, FrameKeyring keyring, FrameSink sink)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(frame.Length);
        try
        {
            if (!keyring.TryDecrypt(codec, OwnerSlot, Stream, frame, buffer, out int written, out FrameDropReason reason))
            {
                FramesDropped++;
                LastDropReason = reason;
                return;
            }
            FramesDecrypted++;
            ReadOnlySpan<byte> plain = buffer.AsSpan(0, written);
            if (plain.IsEmpty && codec == FrameCodec.Opus)
            {
                // Chromium sends empty Opus frames around DTX; the decoder treats them as a missing
                // packet (RFC 6716 §4.4: concealment), so they are not content, and not malformed.
                EmptyFrames++;
                return;
            }
            bool keyFrame = false;
            bool valid = codec == FrameCodec.Opus ? CodecChecks.IsValidOpusPacket(plain) : CodecChecks.IsValidVp8Frame(plain, out keyFrame, out int width, out int height) && SetSize(width, height, keyFrame);
            if (keyFrame)
            {
                KeyFramesDecrypted++;
                NeedsKeyFrame = false;
            }
            if (valid)
            {
                FramesValid++;
                sink(new ReceivedFrame(this, plain, timestamp, keyFrame));
            }
            else
            {
                FirstInvalidFrame ??= Convert.ToHexString(plain[..Math.Min(plain.Length, 24)]) + $" ({plain.Length} bytes)";
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool SetSize(int width, int height, bool keyFrame)
    {
        if (keyFrame)
        {
            Width = width;
            Height = height;
        }
        return true;
    }

    /// <summary>The lost packets still worth asking for (each at most 3 times), oldest first.</summary>
    public void CollectNacks(List<ushort> lost)
    {
        foreach (long s in _missing.Keys.ToArray())
        {
            if (s < _highest - MaxNackAge || _missing[s] >= 3)
            {
                _missing.Remove(s);
                continue;
            }
            _missing[s]++;
            lost.Add((ushort)s);
        }
    }

    /// <summary>The report block of our receiver report (RFC 3550 §6.4.1, A.3 for the loss fields); jitter is not computed.</summary>
    public ReportBlock? GetReportBlock()
    {
        if (!_started)
            return null;
        long expected = _highest - _base + 1;
        long received = PacketsReceived - RetransmissionsReceived;
        long expectedInterval = expected - _expectedPrior;
        long receivedInterval = received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        byte fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
        return new ReportBlock
        {
            Ssrc = Ssrc,
            FractionLost = fraction,
            CumulativeLost = (int)Math.Clamp(expected - received, ReportBlock.MinCumulativeLost, ReportBlock.MaxCumulativeLost),
            ExtendedHighestSequenceNumber = (uint)_highest,
        };
    }

    public override string ToString() => $"{OwnerId}/{Source} ssrc {Ssrc}: {FramesDecrypted} decrypted, {FramesDropped} dropped";

    internal static long Now() => Stopwatch.GetTimestamp();
}

/// <summary>Where decrypted, checked frames go (a recorder, a test); called on the mux receive loop.</summary>
internal delegate void FrameSink(ReceivedFrame frame);
