namespace Sotto.Sfu.Negotiation;

/// <summary>
/// One entry of <c>subscribe-offer.tracks</c>: an active m-line of the subscribe offer, the
/// participant who owns it (the E2EE layer picks the sender key by <see cref="Slot"/> and
/// <see cref="Source"/>), and what it carries.
/// </summary>
public sealed record SubscribeTrack(string Mid, string Owner, int Slot, MediaSource Source, MediaKind Kind);

/// <summary>A subscribe offer to deliver to one participant (docs/protocol.md <c>subscribe-offer</c>).</summary>
public sealed record SubscribeOfferMessage(int Version, string Sdp, IReadOnlyList<SubscribeTrack> Tracks);
