using System.Net;

namespace Sotto.Transport.Tests;

public sealed class SocketAddressExtensionsTests
{
    [Theory]
    [InlineData("192.0.2.1", 5000, "192.0.2.1")]
    [InlineData("2001:db8::7", 6000, "2001:db8::7")]
    [InlineData("::ffff:192.0.2.9", 7000, "192.0.2.9")] // what a dual-stack socket reports for an IPv4 peer
    public void Reads_address_and_port_without_an_IPEndPoint(string address, int port, string expected)
    {
        var socketAddress = new IPEndPoint(IPAddress.Parse(address), port).Serialize();
        Span<byte> ip = stackalloc byte[16];

        Assert.True(socketAddress.TryGetAddress(ip, out int length, out ushort readPort));
        Assert.Equal(IPAddress.Parse(expected), new IPAddress(ip[..length]));
        Assert.Equal(port, readPort);
    }

    [Fact]
    public void A_clone_is_equal_and_independent()
    {
        var original = new IPEndPoint(IPAddress.Loopback, 1234).Serialize();
        var clone = original.Clone();
        Assert.Equal(original, clone);
        Assert.Equal(original.GetHashCode(), clone.GetHashCode());

        original.Buffer.Span[3] ^= 0xFF; // change the port in the original
        Assert.NotEqual(original, clone);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 1234), clone.ToIPEndPoint());
    }

    [Fact]
    public void Classifies_by_the_RFC_7983_first_byte_ranges()
    {
        Assert.Equal(DatagramKind.Stun, DatagramClassifier.Classify([0]));
        Assert.Equal(DatagramKind.Stun, DatagramClassifier.Classify([3]));
        Assert.Equal(DatagramKind.Unknown, DatagramClassifier.Classify([4]));
        Assert.Equal(DatagramKind.Unknown, DatagramClassifier.Classify([19])); // ZRTP
        Assert.Equal(DatagramKind.Dtls, DatagramClassifier.Classify([20]));
        Assert.Equal(DatagramKind.Dtls, DatagramClassifier.Classify([63]));
        Assert.Equal(DatagramKind.Unknown, DatagramClassifier.Classify([64])); // TURN channel
        Assert.Equal(DatagramKind.Unknown, DatagramClassifier.Classify([127]));
        Assert.Equal(DatagramKind.Rtp, DatagramClassifier.Classify([128]));
        Assert.Equal(DatagramKind.Rtp, DatagramClassifier.Classify([191]));
        Assert.Equal(DatagramKind.Unknown, DatagramClassifier.Classify([192]));
        Assert.Equal(DatagramKind.Unknown, DatagramClassifier.Classify([]));
    }
}
