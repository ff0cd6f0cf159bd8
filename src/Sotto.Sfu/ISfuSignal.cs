using Sotto.Sfu.Negotiation;

namespace Sotto.Sfu;

/// <summary>
/// How the SFU talks back to one participant's signaling connection (implemented by the server).
/// Called outside the SFU's locks; implementations queue the message and return.
/// </summary>
public interface ISfuSignal
{
    /// <summary>A new subscribe offer to send as <c>subscribe-offer</c>.</summary>
    void OnSubscribeOffer(SubscribeOfferMessage offer);

    /// <summary>The participant's media is gone without a leave: a transport closed (consent expired, DTLS failed or closed).</summary>
    void OnMediaClosed(SfuCloseReason reason);

    /// <summary>The room's dominant speaker changed (sent as <c>dominant-speaker</c>).</summary>
    void OnDominantSpeaker(string participantId)
    {
    }

    /// <summary>
    /// This subscriber's downlink cannot carry even the lowest layer of some videos it shows: those
    /// m-lines (<paramref name="pausedMids"/>) are paused, audio keeps flowing (sent as <c>bandwidth</c>).
    /// Sent when the state changes.
    /// </summary>
    void OnBandwidthState(bool low, IReadOnlyList<string> pausedMids)
    {
    }

    /// <summary>Nobody needs the layers of <paramref name="mid"/> not in <paramref name="activeRids"/>: the browser may stop encoding them (sent as <c>publish-layers</c>).</summary>
    void OnPublishLayers(string mid, IReadOnlyList<string> activeRids)
    {
    }
}

/// <summary>Why a participant's media ended.</summary>
public enum SfuCloseReason
{
    Left,
    ConsentExpired,
    TransportFailed,
}
