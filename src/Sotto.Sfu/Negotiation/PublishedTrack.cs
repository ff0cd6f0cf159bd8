namespace Sotto.Sfu.Negotiation;

/// <summary>
/// One m-line of a publish offer as the SFU accepted it: the track's source, its codec payload
/// types (the offer's), its simulcast rids (low to high, in a=simulcast order) and any SSRCs the
/// offer announced (rid simulcast offers announce none: they are learned from header extensions).
/// </summary>
internal sealed record PublishedTrack(
    string Mid,
    MediaKind Kind,
    MediaSource Source,
    int PayloadType,
    int? RtxPayloadType,
    int ClockRate,
    IReadOnlyList<string> Rids,
    IReadOnlyList<uint> Ssrcs,
    IReadOnlyDictionary<uint, uint> RtxSsrcs);
