using System.Buffers.Binary;

namespace Sotto.Load.Peers;

internal enum RelayRole : byte
{
    Publisher = 1,
    Subscriber = 2,

    /// <summary>Forget every registration (between ramp steps: old sockets are closed).</summary>
    Reset = 3,
}

/// <summary>
/// The relay floor's only control message, sent once per socket before media:
/// <code>
///  0xFF | 'R' | role (1 = publisher, 2 = subscriber, 3 = reset) | room (32) | participant (32)
/// </code>
/// 0xFF cannot start an RTP datagram (RFC 7983: RTP/RTCP start with 128–191).
/// </summary>
internal static class RelayProtocol
{
    public const int HelloLength = 11;
    private const byte Marker0 = 0xFF;
    private const byte Marker1 = (byte)'R';
    private const int RoleOffset = 2;
    private const int RoomOffset = 3;
    private const int ParticipantOffset = 7;

    public static void WriteHello(Span<byte> destination, RelayRole role, uint room, uint participant)
    {
        destination[0] = Marker0;
        destination[1] = Marker1;
        destination[RoleOffset] = (byte)role;
        BinaryPrimitives.WriteUInt32BigEndian(destination[RoomOffset..], room);
        BinaryPrimitives.WriteUInt32BigEndian(destination[ParticipantOffset..], participant);
    }

    public static bool TryReadHello(ReadOnlySpan<byte> datagram, out RelayRole role, out uint room, out uint participant)
    {
        role = default;
        room = participant = 0;
        if (datagram.Length != HelloLength || datagram[0] != Marker0 || datagram[1] != Marker1)
            return false;
        role = (RelayRole)datagram[RoleOffset];
        if (role is not (RelayRole.Publisher or RelayRole.Subscriber or RelayRole.Reset))
            return false;
        room = BinaryPrimitives.ReadUInt32BigEndian(datagram[RoomOffset..]);
        participant = BinaryPrimitives.ReadUInt32BigEndian(datagram[ParticipantOffset..]);
        return true;
    }
}
