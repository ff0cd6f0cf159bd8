using System.Net;
using Sotto.Rtc.Sdp;
using Sotto.Transport.Ice;

namespace Sotto.Transport.Tests.Ice;

public sealed class HostCandidatesTests
{
    [Fact]
    public void Priority_follows_RFC_8445_formula()
    {
        // 126 << 24 | 65535 << 8 | 255: the value Chromium puts on its best host candidate.
        Assert.Equal(2130706431u, HostCandidates.Priority(126, 65535, 1));
        Assert.Equal(2122194687u, HostCandidates.Priority(126, 32286, 1)); // from a captured Chromium offer
    }

    [Fact]
    public async Task A_mux_with_an_announced_address_has_exactly_that_candidate()
    {
        await using var mux = new UdpMux(new UdpMuxOptions { BindAddress = IPAddress.Loopback, AnnouncedAddress = IPAddress.Parse("203.0.113.5") });
        var candidate = Assert.Single(HostCandidates.For(mux));
        Assert.Equal($"1 1 udp 2130706431 203.0.113.5 {mux.LocalEndPoint.Port} typ host", candidate.ToString()); // after "a=candidate:"
        Assert.True(IceCandidate.TryParse(candidate.ToString(), out var parsed, out _));
        Assert.Equal(candidate, parsed);
    }

    [Fact]
    public async Task A_wildcard_mux_announces_its_interface_addresses_never_the_wildcard()
    {
        await using var mux = new UdpMux(new UdpMuxOptions { BindAddress = IPAddress.IPv6Any });
        var candidates = HostCandidates.For(mux);
        Assert.All(candidates, c =>
        {
            var address = IPAddress.Parse(c.Address);
            Assert.False(address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal);
            Assert.Equal(mux.LocalEndPoint.Port, c.Port);
        });
        Assert.Equal(candidates.Count, candidates.Select(c => c.Foundation).Distinct().Count());
        Assert.Equal(candidates.OrderByDescending(c => c.Priority), candidates);
    }
}
