namespace Sotto.Server.Options;

/// <summary>Configuration section <c>Sotto</c> (environment: <c>Sotto__Name</c>). Every timer is configurable.</summary>
public sealed class SottoOptions
{
    public const string SectionName = "Sotto";

    /// <summary>Folder of the web client; default: <c>web/</c> beside the binaries.</summary>
    public string? WebRoot { get; set; }

    /// <summary>Origins allowed to open /ws besides the server's own (e.g. "https://calls.example.org").</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Refuse WebSocket requests that carry no Origin header (non-browser clients send none).</summary>
    public bool RequireOrigin { get; set; }

    /// <summary>Proxies (IP or CIDR) whose X-Forwarded-For / X-Forwarded-Proto are believed. Empty: none.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Opt-in for abuse handling: log client addresses. Off by default (DESIGN.md §1.3).</summary>
    public bool LogClientAddresses { get; set; }

    /// <summary>Largest signaling message; a 96 KiB blob plus its envelope fits.</summary>
    public int MaxMessageBytes { get; set; } = 112 * 1024;

    /// <summary>Messages one connection may send per <see cref="MessageRateWindow"/>.</summary>
    public int MessageRateLimit { get; set; } = 200;

    public TimeSpan MessageRateWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Bad messages (malformed, unknown, oversize, over rate) tolerated before the connection is closed.</summary>
    public int MaxViolations { get; set; } = 20;

    /// <summary>Join attempts per client address per <see cref="JoinWindow"/> (stops room-name enumeration).</summary>
    public int JoinLimit { get; set; } = 30;

    public TimeSpan JoinWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Lobby knocks per client address per <see cref="KnockWindow"/>.</summary>
    public int KnockLimit { get; set; } = 10;

    public TimeSpan KnockWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wrong passwords per client address before backoff starts.</summary>
    public int PasswordFreeAttempts { get; set; } = 3;

    /// <summary>First backoff after the free attempts; doubles with every further failure.</summary>
    public TimeSpan PasswordBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan PasswordBackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failures older than this are forgotten.</summary>
    public TimeSpan PasswordFailureMemory { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Events queued for one connection before it counts as too slow and is dropped.</summary>
    public int SendQueueCapacity { get; set; } = 1024;

    /// <summary>
    /// Approximate bytes of room events queued for one connection before it counts as too slow and is
    /// dropped: e2ee blobs are up to 96 KiB, so the event count alone would let one slow reader pin
    /// ~100 MiB (E2EE-SPEC §S12: bounded buffering).
    /// </summary>
    public long SendQueueBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>WebSocket ping interval; a peer silent for as long again is considered gone.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for a client's close reply before dropping the TCP connection.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
