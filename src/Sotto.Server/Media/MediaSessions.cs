using System.Collections.Concurrent;
using Sotto.Rooms;
using Sotto.Sfu;

namespace Sotto.Server.Media;

/// <summary>The media sessions of this node by participant id: signaling connections come and go (resume), media stays with the seat.</summary>
internal sealed class MediaSessions(SfuHost sfu)
{
    private readonly ConcurrentDictionary<string, MediaSession> _sessions = new(StringComparer.Ordinal);

    public SfuHost Sfu => sfu;

    public int Count => _sessions.Count;

    /// <summary>The seat's media session, joining the SFU on first use (the room is named by its log id, never its name).</summary>
    public MediaSession GetOrJoin(Participant participant)
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

    /// <summary>The SFU already ended this session's media (consent expiry, transport failure).</summary>
    public void Forget(MediaSession session) =>
        _sessions.TryRemove(new KeyValuePair<string, MediaSession>(session.ParticipantId, session));
}
