using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sotto.Rtc.Stun;

/// <summary>
/// A transport address as carried by MAPPED-ADDRESS and XOR-MAPPED-ADDRESS (RFC 8489 §14.1, §14.2),
/// held by value so reading one allocates nothing.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |         (X-)Port              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 (X-)Address (32 bits or 128 bits)             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// XOR-MAPPED-ADDRESS XORs the port with the top 16 bits of the magic cookie, an IPv4 address with
/// the magic cookie, and an IPv6 address with the magic cookie followed by the transaction id, so
/// that NATs rewriting addresses in payloads leave it alone.
/// </summary>
public readonly record struct StunAddress
{
    private const int FamilyOffset = 1;
    private const int PortOffset = 2;
    private const int AddressOffset = 4;
    public const int IPv4Length = 4;
    public const int IPv6Length = 16;

    // The address, big-endian, as two 64-bit halves; IPv4 sits in the top 32 bits of _high.
    private readonly ulong _high;
    private readonly ulong _low;

    /// <summary>Creates an address from its 4 (IPv4) or 16 (IPv6) network-order bytes.</summary>
    public StunAddress(ReadOnlySpan<byte> address, ushort port)
    {
        Port = port;
        switch (address.Length)
        {
            case IPv4Length:
                Family = StunAddressFamily.IPv4;
                _high = (ulong)BinaryPrimitives.ReadUInt32BigEndian(address) << 32;
                break;
            case IPv6Length:
                Family = StunAddressFamily.IPv6;
                _high = BinaryPrimitives.ReadUInt64BigEndian(address);
                _low = BinaryPrimitives.ReadUInt64BigEndian(address[8..]);
                break;
            default:
                throw new ArgumentException("An IP address is 4 or 16 bytes.", nameof(address));
        }
    }

    public StunAddressFamily Family { get; }

    public ushort Port { get; }

    /// <summary>4 for IPv4, 16 for IPv6.</summary>
    public int AddressLength => Family == StunAddressFamily.IPv6 ? IPv6Length : IPv4Length;

    /// <summary>Length of the attribute value: 8 for IPv4, 20 for IPv6.</summary>
    public int GetSerializedLength() => AddressOffset + AddressLength;

    public static StunAddress FromEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        Span<byte> bytes = stackalloc byte[IPv6Length];
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException("Unsupported address.", nameof(endPoint));
        }
        return new StunAddress(bytes[..written], (ushort)endPoint.Port);
    }

    /// <summary>
    /// Reads a <see cref="SocketAddress"/> as filled by <c>Socket.ReceiveFromAsync(Memory, SocketFlags,
    /// SocketAddress)</c> without allocating, so the ICE agent can answer a check with the source's
    /// XOR-MAPPED-ADDRESS per packet. The layout is the platform's sockaddr_in / sockaddr_in6: port at
    /// bytes 2–3 in network order; IPv4 address at 4–7, IPv6 address at 8–23. IPv4-mapped IPv6
    /// addresses (dual-stack sockets) become IPv4.
    /// </summary>
    public static bool TryFromSocketAddress(SocketAddress socketAddress, out StunAddress address)
    {
        ArgumentNullException.ThrowIfNull(socketAddress);
        address = default;
        var bytes = socketAddress.Buffer.Span[..socketAddress.Size];
        switch (socketAddress.Family)
        {
            case AddressFamily.InterNetwork when bytes.Length >= SockAddrIPv4AddressOffset + IPv4Length:
                address = new StunAddress(bytes.Slice(SockAddrIPv4AddressOffset, IPv4Length), BinaryPrimitives.ReadUInt16BigEndian(bytes[SockAddrPortOffset..]));
                return true;
            case AddressFamily.InterNetworkV6 when bytes.Length >= SockAddrIPv6AddressOffset + IPv6Length:
                var ip = bytes.Slice(SockAddrIPv6AddressOffset, IPv6Length);
                var port = BinaryPrimitives.ReadUInt16BigEndian(bytes[SockAddrPortOffset..]);
                address = ip[..12].SequenceEqual(IPv4MappedPrefix) ? new StunAddress(ip[12..], port) : new StunAddress(ip, port);
                return true;
            default:
                return false;
        }
    }

    private const int SockAddrPortOffset = 2;
    private const int SockAddrIPv4AddressOffset = 4;
    private const int SockAddrIPv6AddressOffset = 8;
    private static ReadOnlySpan<byte> IPv4MappedPrefix => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF];

    /// <summary>Writes the network-order address bytes (4 or 16).</summary>
    public bool TryWriteAddress(Span<byte> destination, out int written)
    {
        written = AddressLength;
        if (destination.Length < written)
        {
            written = 0;
            return false;
        }
        if (Family == StunAddressFamily.IPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)(_high >> 32));
        }
        else
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
            BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
        }
        return true;
    }

    /// <summary>Allocates an <see cref="IPEndPoint"/>; for the control path, not per packet.</summary>
    public IPEndPoint ToEndPoint()
    {
        Span<byte> bytes = stackalloc byte[IPv6Length];
        TryWriteAddress(bytes, out var written);
        return new IPEndPoint(new IPAddress(bytes[..written]), Port);
    }

    public override string ToString() => ToEndPoint().ToString();

    /// <summary>Reads a MAPPED-ADDRESS value.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out StunAddress address) => TryRead(value, default, xor: false, out address);

    /// <summary>Reads an XOR-MAPPED-ADDRESS value; <paramref name="transactionId"/> is the message's.</summary>
    public static bool TryReadXor(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId, out StunAddress address) =>
        TryRead(value, transactionId, xor: true, out address);

    /// <summary>Writes a MAPPED-ADDRESS value.</summary>
    public bool TryWrite(Span<byte> destination, out int written) => TryWrite(destination, default, xor: false, out written);

    /// <summary>Writes an XOR-MAPPED-ADDRESS value for a message with <paramref name="transactionId"/>.</summary>
    public bool TryWriteXor(Span<byte> destination, ReadOnlySpan<byte> transactionId, out int written) =>
        TryWrite(destination, transactionId, xor: true, out written);

    private static bool TryRead(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId, bool xor, out StunAddress address)
    {
        address = default;
        if (value.Length < AddressOffset || (xor && transactionId.Length != StunMessage.TransactionIdLength))
        {
            return false;
        }
        var family = (StunAddressFamily)value[FamilyOffset];
        var expectedLength = family switch
        {
            StunAddressFamily.IPv4 => AddressOffset + IPv4Length,
            StunAddressFamily.IPv6 => AddressOffset + IPv6Length,
            _ => -1,
        };
        if (value.Length != expectedLength)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[IPv6Length];
        var addressBytes = bytes[..(expectedLength - AddressOffset)];
        value[AddressOffset..].CopyTo(addressBytes);
        var port = BinaryPrimitives.ReadUInt16BigEndian(value[PortOffset..]);
        if (xor)
        {
            port ^= (ushort)(StunMessage.MagicCookie >> 16);
            XorWithCookieAndTransactionId(addressBytes, transactionId);
        }
        address = new StunAddress(addressBytes, port);
        return true;
    }

    private bool TryWrite(Span<byte> destination, ReadOnlySpan<byte> transactionId, bool xor, out int written)
    {
        written = 0;
        var length = GetSerializedLength();
        if (destination.Length < length || (xor && transactionId.Length != StunMessage.TransactionIdLength))
        {
            return false;
        }
        destination[0] = 0;
        destination[FamilyOffset] = (byte)Family;
        var port = xor ? (ushort)(Port ^ (StunMessage.MagicCookie >> 16)) : Port;
        BinaryPrimitives.WriteUInt16BigEndian(destination[PortOffset..], port);
        var addressBytes = destination[AddressOffset..length];
        TryWriteAddress(addressBytes, out _);
        if (xor)
        {
            XorWithCookieAndTransactionId(addressBytes, transactionId);
        }
        written = length;
        return true;
    }

    private static void XorWithCookieAndTransactionId(Span<byte> address, ReadOnlySpan<byte> transactionId)
    {
        Span<byte> mask = stackalloc byte[IPv6Length];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessage.MagicCookie);
        transactionId.CopyTo(mask[4..]);
        for (var i = 0; i < address.Length; i++)
        {
            address[i] ^= mask[i];
        }
    }
}
