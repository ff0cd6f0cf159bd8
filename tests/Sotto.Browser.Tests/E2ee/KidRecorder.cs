using System.Collections.Concurrent;
using System.Diagnostics;
using Sotto.Rtc.Codecs.Vp8;
using Sotto.Sfu;
using Sotto.Sfu.Stages;

namespace Sotto.Browser.Tests.E2ee;

/// <summary>
/// A test-only SFU stage that records, for every frame a publisher sends (Opus packets and the first
/// packet of each VP8 frame, RTX excluded), the publisher's slot and the SFrame KID's epoch byte
/// (E2EE-SPEC §S7: KID = slot &lt;&lt; 16 | stream &lt;&lt; 8 | epoch mod 256), with the time the SFU saw it.
/// It never drops anything.
/// </summary>
internal sealed class KidRecorder : IMediaPathStage
{
    private readonly ConcurrentQueue<(int Slot, int Stream, int EpochByte, TimeSpan At)> _frames = new();

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public IReadOnlyCollection<(int Slot, int Stream, int EpochByte, TimeSpan At)> Frames => _frames;

    /// <summary>Frames whose SFrame header could not be read (there must be none).</summary>
    public int Unreadable;

    public bool OnPacketFromPublisher(scoped in MediaPathPacket packet)
    {
        if (packet.IsRetransmission)
            return true;
        var payload = packet.Payload;
        var prefix = 0;
        if (packet.Kind == MediaKind.Video)
        {
            if (!Vp8PayloadDescriptor.TryParse(payload, out var descriptor, out var consumed) || !descriptor.IsFirstPacketOfFrame)
                return true;
            payload = payload[consumed..];
            prefix = payload.Length > 0 && (payload[0] & 1) == 0 ? Vp8PayloadHeader.KeyFrameHeaderLength : 1;
        }
        if (!TryReadKid(payload[Math.Min(prefix, payload.Length)..], out var kid))
        {
            Interlocked.Increment(ref Unreadable);
            return true;
        }
        _frames.Enqueue(((int)(kid >> 16), (int)((kid >> 8) & 0xFF), (int)(kid & 0xFF), Clock.Elapsed));
        return true;
    }

    public bool OnPacketToSubscriber(scoped in MediaPathPacket packet) => true;

    /// <summary>RFC 9605 §4.3: config byte X|K|Y|C, then the KID bytes when X is set.</summary>
    private static bool TryReadKid(ReadOnlySpan<byte> frame, out ulong kid)
    {
        kid = 0;
        if (frame.IsEmpty)
            return false;
        var config = frame[0];
        var extendedKid = (config & 0x80) != 0;
        var k = (config >> 4) & 0x07;
        if (!extendedKid)
        {
            kid = (ulong)k;
            return true;
        }
        var kidLength = k + 1;
        if (frame.Length < 1 + kidLength)
            return false;
        for (var i = 0; i < kidLength; i++)
            kid = kid << 8 | frame[1 + i];
        return true;
    }
}
