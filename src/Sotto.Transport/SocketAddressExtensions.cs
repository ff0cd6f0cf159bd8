using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sotto.Transport;

/// <summary>Reads a <see cref="SocketAddress"/> without materializing an <see cref="IPEndPoint"/> per packet.</summary>
internal static class SocketAddressExtensions
{
    // Linux/BSD sockaddr_in: family(2) port(2, network order) addr(4); sockaddr_in6: family(2) port(2) flowinfo(4) addr(16) scope(4).
    private const int PortOffset = 2;
    private const int IPv4AddressOffset = 4;
    private const int IPv6AddressOffset = 8;

    private static ReadOnlySpan<byte> MappedIPv4Prefix => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF];

    /// <summary>A copy the caller may keep (the receive loop reuses its instance).</summary>
    public static SocketAddress Clone(this SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }

    /// <summary>
    /// The IP address bytes (4 or 16; an IPv4-mapped IPv6 address comes back as its IPv4 form, as
    /// a peer on IPv4 expects to see it in XOR-MAPPED-ADDRESS) and the port.
    /// </summary>
    public static bool TryGetAddress(this SocketAddress address, Span<byte> destination, out int addressLength, out ushort port)
    {
        ReadOnlySpan<byte> raw = address.Buffer.Span[..address.Size];
        addressLength = 0;
        port = 0;
        if (raw.Length < PortOffset + 2)
            return false;

        port = BinaryPrimitives.ReadUInt16BigEndian(raw[PortOffset..]);
        ReadOnlySpan<byte> ip;
        if (address.Family == AddressFamily.InterNetwork && raw.Length >= IPv4AddressOffset + 4)
        {
            ip = raw.Slice(IPv4AddressOffset, 4);
        }
        else if (address.Family == AddressFamily.InterNetworkV6 && raw.Length >= IPv6AddressOffset + 16)
        {
            ip = raw.Slice(IPv6AddressOffset, 16);
            if (ip.StartsWith(MappedIPv4Prefix))
                ip = ip[12..];
        }
        else
        {
            return false;
        }

        if (destination.Length < ip.Length)
            return false;
        ip.CopyTo(destination);
        addressLength = ip.Length;
        return true;
    }

    /// <summary>For logs and tests only (allocates).</summary>
    public static IPEndPoint ToIPEndPoint(this SocketAddress address)
    {
        Span<byte> ip = stackalloc byte[16];
        return address.TryGetAddress(ip, out int length, out ushort port)
            ? new IPEndPoint(new IPAddress(ip[..length]), port)
            : throw new ArgumentException("Not an IP socket address.", nameof(address));
    }
}
