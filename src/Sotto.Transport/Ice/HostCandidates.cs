using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Sotto.Rtc.Sdp;

namespace Sotto.Transport.Ice;

/// <summary>
/// The host candidates (RFC 8445 §5.1.1.1) of a mux's socket, for our SDP: the announced address
/// when one is configured (the SFU behind NAT or in a container: one candidate), otherwise every
/// usable local address the socket can receive on (our C# participant on a wildcard socket).
/// </summary>
public static class HostCandidates
{
    /// <summary>RFC 8445 §5.1.2.2: recommended type preference of host candidates.</summary>
    public const int HostTypePreference = 126;

    /// <summary>
    /// RFC 8445 §5.1.2.1: priority = 2^24 × type preference + 2^8 × local preference + (256 − component).
    /// </summary>
    public static uint Priority(int typePreference, int localPreference, int component)
        => ((uint)typePreference << 24) | ((uint)localPreference << 8) | (uint)(256 - component);

    /// <summary>The candidates to announce for <paramref name="mux"/>, best first (component 1: rtcp-mux).</summary>
    public static IReadOnlyList<IceCandidate> For(UdpMux mux)
    {
        ArgumentNullException.ThrowIfNull(mux);
        IPEndPoint announced = mux.AnnouncedEndPoint;
        List<IPAddress> addresses = IsWildcard(announced.Address)
            ? LocalAddresses(announced.Address.AddressFamily == AddressFamily.InterNetworkV6)
            : [announced.Address];

        var candidates = new List<IceCandidate>(addresses.Count);
        for (int i = 0; i < addresses.Count; i++)
        {
            // Distinct base addresses need distinct foundations (RFC 8445 §5.1.1.3); local
            // preference keeps the order stable.
            candidates.Add(new IceCandidate(
                Foundation: (i + 1).ToString(CultureInfo.InvariantCulture),
                Component: 1,
                Transport: "udp",
                Priority: Priority(HostTypePreference, 65535 - i, component: 1),
                Address: addresses[i].ToString(),
                Port: announced.Port,
                Type: IceCandidate.Host));
        }

        return candidates;
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static List<IPAddress> LocalAddresses(bool includeIPv6)
    {
        var addresses = new List<IPAddress>();
        foreach (NetworkInterface network in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (network.OperationalStatus != OperationalStatus.Up || network.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                continue;

            foreach (UnicastIPAddressInformation unicast in network.GetIPProperties().UnicastAddresses)
            {
                IPAddress address = unicast.Address;
                // Link-local IPv6 needs a scope id a peer cannot use; IPv4 first, it works behind more NATs.
                if (address.AddressFamily == AddressFamily.InterNetwork
                    || (includeIPv6 && address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv6LinkLocal))
                {
                    addresses.Add(address);
                }
            }
        }

        addresses.Sort((a, b) => a.AddressFamily.CompareTo(b.AddressFamily));
        return addresses;
    }
}
