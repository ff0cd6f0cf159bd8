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
}

/// <summary>Why a participant's media ended.</summary>
public enum SfuCloseReason
{
    Left,
    ConsentExpired,
    TransportFailed,
}
