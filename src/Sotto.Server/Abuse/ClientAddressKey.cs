using System.Net;
using System.Net.Sockets;

namespace Sotto.Server.Abuse;

/// <summary>The key per-address limits count under: an IPv4 address, or an IPv6 /64 (one subscriber's prefix).</summary>
internal static class ClientAddressKey
{
    public static string For(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out _);
            bytes[8..].Clear();
            return new IPAddress(bytes).ToString() + "/64";
        }
        return address.ToString();
    }
}
