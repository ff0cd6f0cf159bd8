using System.Text.Json;
using Sotto.Server.Signaling.Protocol;
using Sotto.Sfu;
using Sotto.Sfu.Negotiation;

namespace Sotto.Server.Media;

/// <summary>
/// One seat's media, living as long as the seat (not the WebSocket): a resumed connection re-attaches
/// and gets any subscribe offer still waiting for its answer. The SFU calls it outside its locks.
/// </summary>
internal sealed class MediaSession : ISfuSignal
{
    private readonly object _sync = new();
    private readonly MediaSessions _owner;
    private Action<byte[]>? _send;
    private SubscribeOfferMessage? _unanswered;

    public MediaSession(MediaSessions owner, string participantId)
    {
        _owner = owner;
        ParticipantId = participantId;
    }

    public string ParticipantId { get; }

    public SfuParticipant Media { get; set; } = null!;

    /// <summary>Routes SFU messages to <paramref name="send"/> (the seat's current connection).</summary>
    public void Attach(Action<byte[]> send)
    {
        lock (_sync)
        {
            _send = send;
            if (_unanswered is { } offer)
                send(Serialize(offer));
        }
    }

    public void Detach(Action<byte[]> send)
    {
        lock (_sync)
        {
            if (_send == send)
                _send = null;
        }
    }

    public void ApplyAnswer(int version, string sdp)
    {
        Media.ApplySubscribeAnswer(version, sdp);
        lock (_sync)
        {
            if (_unanswered?.Version == version)
                _unanswered = null;
        }
    }

    public void OnSubscribeOffer(SubscribeOfferMessage offer)
    {
        lock (_sync)
        {
            _unanswered = offer;
            _send?.Invoke(Serialize(offer));
        }
    }

    public void OnMediaClosed(SfuCloseReason reason)
    {
        _owner.Forget(this);
        Action<byte[]>? send;
        lock (_sync)
            send = _send;
        var wire = reason == SfuCloseReason.ConsentExpired ? "consent-expired" : "transport-failed";
        send?.Invoke(JsonSerializer.SerializeToUtf8Bytes(new MediaClosedMessage(wire), SignalingJsonContext.Default.MediaClosedMessage));
    }

    public void OnDominantSpeaker(string participantId) =>
        Send(JsonSerializer.SerializeToUtf8Bytes(new DominantSpeakerMessage(participantId), SignalingJsonContext.Default.DominantSpeakerMessage));

    public void OnBandwidthState(bool low, IReadOnlyList<string> pausedMids) =>
        Send(JsonSerializer.SerializeToUtf8Bytes(new BandwidthMessage(low, [.. pausedMids]), SignalingJsonContext.Default.BandwidthMessage));

    public void OnPublishLayers(string mid, IReadOnlyList<string> activeRids) =>
        Send(JsonSerializer.SerializeToUtf8Bytes(new PublishLayersMessage(mid, [.. activeRids]), SignalingJsonContext.Default.PublishLayersMessage));

    /// <summary>Events are not kept for a later connection: the next one brings the current state.</summary>
    private void Send(byte[] message)
    {
        lock (_sync)
            _send?.Invoke(message);
    }

    private static byte[] Serialize(SubscribeOfferMessage offer) => JsonSerializer.SerializeToUtf8Bytes(
        new SubscribeOfferWire(offer.Version, offer.Sdp,
            [.. offer.Tracks.Select(t => new SubscribeTrackDto(t.Mid, t.Owner, t.Slot, t.Source.ToWire(), t.Kind.ToWire()))]),
        SignalingJsonContext.Default.SubscribeOfferWire);
}
