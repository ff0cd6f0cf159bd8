using BenchmarkDotNet.Attributes;
using Sotto.Rtc.Rtp;
using Sotto.Rtc.Rtp.Extensions;

namespace Sotto.Benchmarks;

/// <summary>
/// The SFU's per-forwarded-packet header work on a 1,200-byte Chromium-shaped VP8 packet with
/// one-byte extensions (abs-send-time, transport-wide-cc, mid, rid): parse, read mid/rid and the
/// transport sequence number, rewrite SSRC, sequence number, timestamp and the transport sequence
/// number in place. Must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class RtpBenchmarks
{
    private const int PacketLength = 1200;
    private const byte TransportCcId = 3;
    private const byte MidId = 4;
    private const byte RidId = 10;
    private readonly byte[] _packet = new byte[PacketLength];
    private ushort _sequenceNumber;

    [GlobalSetup]
    public void Setup()
    {
        RtpPacketWriter.TryCreate(_packet, new RtpHeader(96, 4321, 0x12345678, 0x1A2B3C4D), [], RtpExtensionProfile.OneByte, out var writer);
        writer.TryAddAbsSendTime(2, 0x123456);
        writer.TryAddTransportSequenceNumber(TransportCcId, 0x0102);
        writer.TryAddExtension(MidId, "1"u8);
        writer.TryAddExtension(RidId, "h"u8);
        var payload = new byte[PacketLength - 28];
        new Random(1).NextBytes(payload);
        writer.TryWritePayload(payload);
        writer.TryComplete(0, out var written);
        if (written != PacketLength || ParseAndRewrite() == 0)
        {
            throw new InvalidOperationException("benchmark packet is not as intended");
        }
    }

    [Benchmark(Description = "RTP parse (1,200 B, 4 one-byte extensions)")]
    public int Parse() =>
        RtpPacket.TryParse(_packet, out var packet) ? packet.Payload.Length + packet.SequenceNumber : 0;

    [Benchmark(Description = "RTP parse + mid/rid/twcc read + SSRC/seq/timestamp/twcc rewrite (1,200 B)")]
    public uint ParseAndRewrite()
    {
        if (!MutableRtpPacket.TryParse(_packet, out var packet))
        {
            return 0;
        }
        var view = packet.View;
        if (!view.TryGetExtension(MidId, out var mid) || !view.TryGetExtension(RidId, out var rid)
            || !view.TryGetExtension(TransportCcId, out var twccValue) || !TransportSequenceNumber.TryRead(twccValue, out var twcc))
        {
            return 0;
        }
        packet.Ssrc = 0xCAFEBABE;
        packet.SequenceNumber = ++_sequenceNumber;
        packet.Timestamp = view.Timestamp + 3000;
        if (packet.TryGetExtension(TransportCcId, out var twccWritable))
        {
            TransportSequenceNumber.TryOverwrite(twccWritable, _sequenceNumber);
        }
        return (uint)(mid.Length + rid.Length + twcc) + packet.Ssrc;
    }
}
