namespace Sotto.Rooms;

/// <summary>Configuration section <c>Rooms</c>. Every timer is here so tests can run them in seconds.</summary>
public sealed class RoomsOptions
{
    public const string SectionName = "Rooms";

    /// <summary>Members per room (lobby not counted).</summary>
    public int MaxParticipantsPerRoom { get; set; } = 50;

    /// <summary>People waiting in one room's lobby at once.</summary>
    public int MaxLobbyPerRoom { get; set; } = 20;

    /// <summary>Rooms on this node.</summary>
    public int MaxRooms { get; set; } = 1000;

    /// <summary>Refuse names the strength estimate calls weak (<see cref="Names.RoomNameStrength"/>).</summary>
    public bool RequireStrongNames { get; set; }

    /// <summary>How long a dropped connection keeps its seat for a resume.</summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long someone may wait in a lobby before being turned away.</summary>
    public TimeSpan LobbyWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Events held for a seat while it has no connection; beyond this the seat is released.</summary>
    public int ResumeBufferMessages { get; set; } = 2048;

    /// <summary>Bytes (mostly E2EE blobs) held for a seat without a connection.</summary>
    public long ResumeBufferBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>PBKDF2-SHA256 iterations for room passwords.</summary>
    public int PasswordIterations { get; set; } = 100_000;

    internal void Validate()
    {
        if (MaxParticipantsPerRoom < 1 || MaxLobbyPerRoom < 0 || MaxRooms < 1)
            throw new InvalidOperationException("Rooms limits must be positive.");
        if (ResumeWindow < TimeSpan.Zero || LobbyWait <= TimeSpan.Zero)
            throw new InvalidOperationException("Rooms timers must not be negative.");
        if (PasswordIterations < 1)
            throw new InvalidOperationException("Rooms:PasswordIterations must be positive.");
    }
}
