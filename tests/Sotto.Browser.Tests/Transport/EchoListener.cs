using System.Buffers.Binary;
using Sotto.Transport;

namespace Sotto.Browser.Tests.Transport;

/// <summary>
/// Sends Chromium's own Opus back to it as a new stream (our SSRC, no header extensions, our
/// sequence numbers) and answers its audio with receiver reports: proves our SRTP and SRTCP
/// protect side against Chromium.
/// </summary>
internal sealed class EchoListener(uint sourceSsrc, uint echoSsrc, byte opusPayloadType) : IWebRtcTransportListener
{
    private const int FixedHeaderLength = 12;
    private readonly byte[] _packet = new byte[1500];
    private readonly byte[] _report = new byte[32];
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ushort _sequence = 1000;
    private int _echoed;

    public int Echoed => Volatile.Read(ref _echoed);

    public Task Connected => _connected.Task;

    public void OnConnected(WebRtcTransport transport) => _connected.TrySetResult();

    public void OnRtp(WebRtcTransport transport, Span<byte> packet)
    {
        if (packet.Length < FixedHeaderLength || BinaryPrimitives.ReadUInt32BigEndian(packet[8..]) != sourceSsrc)
            return;

        // RFC 3550 §5.1: skip CSRCs and the header extension (RFC 3550 §5.3.1) to find the payload.
        int offset = FixedHeaderLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < offset + 4)
                return;
            offset += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]));
        }

        int padding = (packet[0] & 0x20) != 0 ? packet[^1] : 0;
        int payloadLength = packet.Length - offset - padding;
        if (payloadLength <= 0)
            return;

        Span<byte> echo = _packet;
        echo[0] = 0x80; // V=2, no padding, no extension, no CSRC
        echo[1] = (byte)((packet[1] & 0x80) | opusPayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(echo[2..], _sequence++);
        packet.Slice(4, 4).CopyTo(echo[4..]); // same timestamp
        BinaryPrimitives.WriteUInt32BigEndian(echo[8..], echoSsrc);
        packet.Slice(offset, payloadLength).CopyTo(echo[FixedHeaderLength..]);
        if (transport.SendRtp(echo[..(FixedHeaderLength + payloadLength)]))
            Interlocked.Increment(ref _echoed);

        if (_sequence % 25 == 0)
            transport.SendRtcp(ReceiverReport(BinaryPrimitives.ReadUInt16BigEndian(packet[2..])));
    }

    /// <summary>RFC 3550 §6.4.2: one report block about Chromium's audio, no loss, no LSR.</summary>
    private ReadOnlySpan<byte> ReceiverReport(ushort highestSequence)
    {
        Span<byte> rr = _report;
        rr.Clear();
        rr[0] = 0x81; // V=2, RC=1
        rr[1] = 201; // RR
        BinaryPrimitives.WriteUInt16BigEndian(rr[2..], 7); // 8 words - 1
        BinaryPrimitives.WriteUInt32BigEndian(rr[4..], echoSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(rr[8..], sourceSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(rr[16..], highestSequence);
        return rr;
    }

    public void OnRtcp(WebRtcTransport transport, Span<byte> packet)
    {
    }

    public void OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error)
        => _connected.TrySetException(error ?? new InvalidOperationException(reason.ToString()));
}
