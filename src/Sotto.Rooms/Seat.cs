namespace Sotto.Rooms;

/// <summary>One participant's place in a room, guarded by the room's lock.</summary>
internal sealed class Seat
{
    public Seat(string id, ushort slot)
    {
        Info = new ParticipantInfo(id, slot);
    }

    public ParticipantInfo Info { get; }

    public string Id => Info.Id;

    public bool InLobby { get; set; }

    /// <summary>Order of admission among members: the earliest member inherits the moderator role.</summary>
    public long MemberOrder { get; set; }

    /// <summary>The connection, or null while the seat waits for a resume.</summary>
    public IParticipantSink? Sink { get; set; }

    /// <summary>Changes on every attach and detach, so a stale timer can tell it lost the race.</summary>
    public int Epoch { get; set; }

    public bool Gone { get; set; }

    /// <summary>Marked when a delivery failed; the room evicts it once the current operation ends.</summary>
    public bool Overflowed { get; set; }

    public string? ResumeTokenHash { get; set; }

    // Events held while detached, bounded by count and bytes (RoomsOptions.ResumeBuffer*).
    public Queue<RoomEvent> Pending { get; } = new();

    public long PendingBytes { get; set; }

    public ITimer? ResumeTimer { get; set; }

    public ITimer? LobbyTimer { get; set; }

    public void DisposeTimers()
    {
        ResumeTimer?.Dispose();
        ResumeTimer = null;
        LobbyTimer?.Dispose();
        LobbyTimer = null;
    }
}
