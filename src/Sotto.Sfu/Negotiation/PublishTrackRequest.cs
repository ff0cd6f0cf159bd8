namespace Sotto.Sfu.Negotiation;

/// <summary>One entry of <c>publish.tracks</c>: which m-line carries which source.</summary>
public sealed record PublishTrackRequest(string Mid, MediaSource Source);
