using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Sotto.Load.Harness;

/// <summary>
/// The benchmark's own network namespace, joined to ours by a veth pair with addresses from
/// 198.18.0.0/15 (RFC 2544's range for benchmarking network devices): the servers run inside on
/// <see cref="ServerAddress"/>, the generator stays outside on <see cref="HostAddress"/>. Janus
/// never gathers loopback candidates (DESIGN.md §9), so this is how it gets a usable address;
/// Sotto and the relay run in it too, so every target sees the same path. Needs root and iproute2.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private NetworkNamespace(string name, string hostLink, string innerLink, IPAddress host, IPAddress server)
    {
        Name = name;
        HostLink = hostLink;
        InnerLink = innerLink;
        HostAddress = host;
        ServerAddress = server;
    }

    public string Name { get; }

    public string HostLink { get; }

    /// <summary>The veth end inside the namespace (Janus's ICE interface).</summary>
    public string InnerLink { get; }

    public IPAddress HostAddress { get; }

    public IPAddress ServerAddress { get; }

    /// <summary>True when this process may create namespaces (root with iproute2).</summary>
    public static bool IsSupported => Environment.UserName == "root" && (File.Exists("/usr/sbin/ip") || File.Exists("/sbin/ip") || File.Exists("/usr/bin/ip"));

    private static int _created;

    /// <summary>Creates namespace "sotto-load-&lt;n&gt;" (n from the process id and a counter) with its own /30 in 198.18.0.0/15.</summary>
    public static NetworkNamespace Create()
    {
        int id = (Environment.ProcessId % 1000) * 16 + (Interlocked.Increment(ref _created) % 16);
        string name = "sotto-load-" + id.ToString(CultureInfo.InvariantCulture);
        string hostLink = "vsl" + id.ToString(CultureInfo.InvariantCulture) + "h";
        string innerLink = "vsl" + id.ToString(CultureInfo.InvariantCulture) + "n";
        // id < 16,000: 198.18.0.0/15 has 32,768 /30s; the third and fourth octets spread them.
        int subnet = id * 4;
        var host = IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"198.{18 + subnet / 65536}.{subnet / 256 % 256}.{subnet % 256 + 1}"));
        var server = IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"198.{18 + subnet / 65536}.{subnet / 256 % 256}.{subnet % 256 + 2}"));
        Ip(true, "netns", "del", name);
        Ip(true, "link", "del", hostLink);
        Run("netns", "add", name);
        var ns = new NetworkNamespace(name, hostLink, innerLink, host, server);
        try
        {
            Run("link", "add", hostLink, "type", "veth", "peer", "name", innerLink, "netns", name);
            Run("addr", "add", host + "/30", "dev", hostLink);
            Run("link", "set", hostLink, "up");
            Run("-n", name, "addr", "add", server + "/30", "dev", innerLink);
            Run("-n", name, "link", "set", innerLink, "up");
            Run("-n", name, "link", "set", "lo", "up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }
        return ns;
    }

    /// <summary>
    /// Receive packet steering (RPS) on both veth ends: a datagram's receive path (IP, UDP, the socket
    /// queue, waking the reader) runs on the receiver's core instead of inside the sender's sendmsg.
    /// Without it a veth charges the server's process for its clients' receive work, which a real
    /// NIC never does (the clients are other machines); with it each side pays for its own receiving.
    /// </summary>
    public void SteerReceiveTo(int generatorCore, int serverCore)
    {
        File.WriteAllText($"/sys/class/net/{HostLink}/queues/rx-0/rps_cpus", CpuMask(generatorCore));
        // The inner end's sysfs is visible only from inside the namespace.
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "netns", "exec", Name, "sh", "-c", $"echo {CpuMask(serverCore)} > /sys/class/net/{InnerLink}/queues/rx-0/rps_cpus" })
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"setting RPS inside {Name} failed: {error.Trim()}");
    }

    private static string CpuMask(int core) => (1L << core).ToString("x", CultureInfo.InvariantCulture);

    private static void Run(params string[] arguments) => Ip(false, arguments);

    private static void Ip(bool allowFailure, params string[] arguments)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && !allowFailure)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {error.Trim()}");
    }

    public void Dispose()
    {
        // Deleting the namespace deletes its veth end, which deletes the pair.
        Ip(true, "netns", "del", Name);
        Ip(true, "link", "del", HostLink);
    }
}
