using System.Net;

namespace Sotto.Transport;

/// <summary>Where the shared UDP port listens and what it tells peers.</summary>
public sealed class UdpMuxOptions
{
    /// <summary>
    /// The local address to bind. <see cref="IPAddress.IPv6Any"/> (the default) makes a dual-stack
    /// socket that also receives IPv4; tests bind <see cref="IPAddress.Loopback"/>.
    /// </summary>
    public IPAddress BindAddress { get; init; } = IPAddress.IPv6Any;

    /// <summary>The port (DESIGN.md §3: 10000 in production; 0 = any, for tests).</summary>
    public int Port { get; init; }

    /// <summary>
    /// The address put into our ICE candidate: the public IP behind NAT or in a container. When
    /// null, the bound address is announced (wildcards are not announceable: set this).
    /// </summary>
    public IPAddress? AnnouncedAddress { get; init; }

    /// <summary>Receive buffer per loop; larger datagrams are truncated by the kernel and dropped.</summary>
    public int ReceiveBufferSize { get; init; } = 2048;

    /// <summary>Kernel socket buffer sizes (SO_RCVBUF/SO_SNDBUF); bursts of video need more than the default.</summary>
    public int SocketBufferSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Datagrams per recvmmsg/sendmmsg call on 64-bit Linux (1 = one system call per datagram, as
    /// on other platforms). Larger batches save system calls under load; an idle port still wakes
    /// for each datagram.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// Receive loops — threads, each with its own socket bound to the one port with SO_REUSEPORT — on
    /// Linux (elsewhere always 1). 0 means one per core this process may run on
    /// (<see cref="Environment.ProcessorCount"/>, which honours CPU affinity and container limits): the
    /// server's choice. A client's mux talks to one address and keeps the default, 1.
    /// </summary>
    public int ReceiveLoops { get; init; } = 1;

    /// <summary>How often sessions are asked to check their consent and handshake deadlines.</summary>
    public TimeSpan HousekeepingInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
