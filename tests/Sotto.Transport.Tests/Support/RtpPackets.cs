using System.Buffers.Binary;

namespace Sotto.Transport.Tests.Support;

/// <summary>Minimal RTP and RTCP packets for transport tests (the wire types live in Sotto.Rtc).</summary>
internal static class RtpPackets
{
    /// <summary>V=2, PT=<paramref name="payloadType"/>, 12-byte header, then a recognizable payload.</summary>
    public static byte[] Rtp(byte payloadType, ushort sequence, uint ssrc, int payloadLength = 100)
    {
        var packet = new byte[12 + payloadLength];
        packet[0] = 0x80;
        packet[1] = payloadType;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 960u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (int i = 12; i < packet.Length; i++)
            packet[i] = (byte)(i + sequence);
        return packet;
    }

    /// <summary>An RTCP receiver report with no report blocks (V=2, PT=201, length=1).</summary>
    public static byte[] ReceiverReport(uint ssrc)
    {
        var packet = new byte[8];
        packet[0] = 0x80;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        return packet;
    }
}
