using System.Globalization;
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

    /// <summary>
    /// Members per room the SFU forwards media for (fan-out grows with the square of it). The room takes
    /// no more members than this, whatever <c>Rooms:MaxParticipantsPerRoom</c> says: a member beyond it
    /// would be seated without media, so the join is refused with <c>room-full</c> instead.
    /// </summary>
    public int MaxParticipantsPerRoom { get; set; } = 64;

    /// <summary>How long each sent video packet is kept to answer a NACK (memory per subscribed video follows its bitrate × this).</summary>
    public TimeSpan RetransmissionHistory { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Refuses settings the SFU cannot honour, naming the setting (called at startup).</summary>
    public void Validate()
    {
        if (MaxParticipantsPerRoom < 1)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{SectionName}:{nameof(MaxParticipantsPerRoom)} must be at least 1 (got {MaxParticipantsPerRoom})."));
        }

        if (ReceiveLoops is < 0 or > 64)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{SectionName}:{nameof(ReceiveLoops)} must be 0 (one per core) to 64 (got {ReceiveLoops})."));
        }

        if (RetransmissionHistory < TimeSpan.FromMilliseconds(100) || RetransmissionHistory > TimeSpan.FromSeconds(10))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{SectionName}:{nameof(RetransmissionHistory)} must be from 00:00:00.1 to 00:00:10 (got {RetransmissionHistory})."));
        }
    }

    /// <summary>Threads receiving and forwarding media, each on its own SO_REUSEPORT socket of the one port (Linux); 0: one per core the process may use.</summary>
    public int ReceiveLoops { get; set; }

    public SfuOptions ToSfuOptions() => new()
    {
        ReceiveLoops = ReceiveLoops,
        LastN = LastN,
        MaxParticipantsPerRoom = MaxParticipantsPerRoom,
        Port = Port,
        BindAddress = IPAddress.Parse(BindAddress),
        AnnouncedAddress = string.IsNullOrWhiteSpace(AnnouncedAddress) ? null : IPAddress.Parse(AnnouncedAddress),
        ConsentTimeout = ConsentTimeout,
        KeyFrameRequestInterval = KeyFrameRequestInterval,
        RetransmissionHistory = RetransmissionHistory,
    };
}
