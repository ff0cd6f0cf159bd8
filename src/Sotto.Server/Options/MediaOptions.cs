using System.Net;
using Sotto.Sfu;

namespace Sotto.Server.Options;

/// <summary>
/// Configuration section <c>Sotto:Media</c> (environment: <c>Sotto__Media__Port</c>): the SFU's UDP
/// port and the address announced in its ICE candidate (the public IP behind NAT).
/// </summary>
public sealed class MediaOptions
{
    public const string SectionName = "Sotto:Media";

    /// <summary>The one UDP port for all media (DESIGN.md §3); 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 10000;

    /// <summary>The local address to bind; default the dual-stack wildcard.</summary>
    public string BindAddress { get; set; } = "::";

    /// <summary>The address browsers are told to send media to. Unset: 127.0.0.1 for a wildcard bind (one machine only).</summary>
    public string? AnnouncedAddress { get; set; }

    /// <summary>A participant whose browser stops answering consent checks for this long loses its media (RFC 7675).</summary>
    public TimeSpan ConsentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Least time between key-frame requests to one publisher stream.</summary>
    public TimeSpan KeyFrameRequestInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Video only for the N most recent speakers (plus pinned and screen shares); 0: everyone's video (docs/media.md "Last-N").</summary>
    public int LastN { get; set; }

    /// <summary>Threads receiving and forwarding media, each on its own SO_REUSEPORT socket of the one port (Linux); 0: one per core the process may use.</summary>
    public int ReceiveLoops { get; set; }

    public SfuOptions ToSfuOptions() => new()
    {
        ReceiveLoops = ReceiveLoops is >= 0 and <= 64 ? ReceiveLoops
            : throw new InvalidOperationException($"Sotto:Media:ReceiveLoops must be 0 (one per core) to 64; it is {ReceiveLoops}."),
        LastN = LastN,
        Port = Port,
        BindAddress = IPAddress.Parse(BindAddress),
        AnnouncedAddress = string.IsNullOrWhiteSpace(AnnouncedAddress) ? null : IPAddress.Parse(AnnouncedAddress),
        ConsentTimeout = ConsentTimeout,
        KeyFrameRequestInterval = KeyFrameRequestInterval,
    };
}
