using System.Collections.Concurrent;
using Sotto.Rooms;
using Sotto.Sfu;
using Sotto.Sfu.Negotiation;

namespace Sotto.Server.Media;

/// <summary>The media sessions of this node by participant id: signaling connections come and go (resume), media stays with the seat.</summary>
internal sealed class MediaSessions(SfuHost sfu)
{
    private const string RoomFull = "room-full";

    private readonly ConcurrentDictionary<string, MediaSession> _sessions = new(StringComparer.Ordinal);

    // Seats gone from their room whose media has not been ended yet (the end runs off the room's lock).
    private readonly ConcurrentQueue<string> _endsDue = new();

    public SfuHost Sfu => sfu;

    public int Count => _sessions.Count;

    /// <summary>
    /// The seat's media session, joining the SFU on first use (the room is named by its log id, never its
    /// name). The room admitted this seat, so it has a place: if the SFU still counts a member whose seat
    /// is already gone (its end is due but not run yet), that end runs now and the join is tried again.
    /// </summary>
    public MediaSession GetOrJoin(Participant participant)
    {
        try
        {
            return GetOrJoinOnce(participant);
        }
        catch (SfuNegotiationException ex) when (ex.Code == RoomFull && !_endsDue.IsEmpty)
        {
            EndDue();
            return GetOrJoinOnce(participant);
        }
    }

    private MediaSession GetOrJoinOnce(Participant participant)
    {
        var info = participant.Info;
        return _sessions.GetOrAdd(info.Id, static (id, state) =>
        {
            var (owner, participant) = state;
            var session = new MediaSession(owner, id);
            session.Media = owner.Sfu.Join(participant.Room.LogId, id, participant.Info.Slot, session);
            return session;
        }, (this, participant));
    }

    public MediaSession? Find(string participantId) => _sessions.GetValueOrDefault(participantId);

    /// <summary>Ends a seat's media (leave, removal, resume expiry): the others are renegotiated. Idempotent.</summary>
    public void End(string participantId)
    {
        if (_sessions.TryRemove(participantId, out var session))
            session.Media.Leave();
    }

    /// <summary>
    /// Ends a seat's media on the thread pool: for room events, which arrive under the room's lock where no
    /// SFU work may run. Until it has run, a join refused by the SFU as full runs it first (<see cref="GetOrJoin"/>).
    /// </summary>
    public void EndSoon(string participantId)
    {
        MarkEndDue(participantId);
        ThreadPool.UnsafeQueueUserWorkItem(static sessions => sessions.EndDue(), this, preferLocal: false);
    }

    /// <summary>Records that a seat's media must end (the first half of <see cref="EndSoon"/>).</summary>
    internal void MarkEndDue(string participantId) => _endsDue.Enqueue(participantId);

    private void EndDue()
    {
        while (_endsDue.TryDequeue(out var participantId))
            End(participantId);
    }

    /// <summary>The SFU already ended this session's media (consent expiry, transport failure).</summary>
    public void Forget(MediaSession session) =>
        _sessions.TryRemove(new KeyValuePair<string, MediaSession>(session.ParticipantId, session));
}
