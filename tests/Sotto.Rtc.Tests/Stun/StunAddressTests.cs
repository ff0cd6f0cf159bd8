using System.Net;
using System.Net.Sockets;
using Sotto.Rtc.Stun;

namespace Sotto.Rtc.Tests.Stun;

public sealed class StunAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", 50123, "127.0.0.1")]
    [InlineData("203.0.113.9", 1, "203.0.113.9")]
    [InlineData("::1", 65535, "::1")]
    [InlineData("2001:db8::7", 3478, "2001:db8::7")]
    [InlineData("::ffff:192.0.2.7", 9, "192.0.2.7")]
    public void Socket_addresses_convert_without_an_endpoint(string ip, int port, string expected)
    {
        var socketAddress = new IPEndPoint(IPAddress.Parse(ip), port).Serialize();
        Assert.True(StunAddress.TryFromSocketAddress(socketAddress, out var address));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(expected), port), address.ToEndPoint());
    }

    [Fact]
    public void A_socket_address_from_a_real_receive_converts()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        receiver.ReceiveTimeout = 5000; // loopback does not drop, but never hang a test run
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        sender.SendTo([1, 2, 3], receiver.LocalEndPoint!);

        var buffer = new byte[16];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        var received = receiver.ReceiveFrom(buffer, SocketFlags.None, from);
        Assert.Equal(3, received);
        Assert.True(StunAddress.TryFromSocketAddress(from, out var address));
        Assert.Equal(sender.LocalEndPoint, address.ToEndPoint());
    }

    [Fact]
    public void Other_families_are_refused()
    {
        Assert.False(StunAddress.TryFromSocketAddress(new SocketAddress(AddressFamily.Unix, 16), out _));
    }
}
