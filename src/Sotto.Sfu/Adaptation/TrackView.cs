namespace Sotto.Sfu.Adaptation;

/// <summary>
/// How a subscriber shows one remote video track (docs/protocol.md <c>media-settings</c>): the size of
/// its tile in device pixels, or hidden. Unknown (never reported) means "as large as the publisher sends".
/// </summary>
public readonly record struct TrackView(int Width, int Height, bool Hidden)
{
    public static readonly TrackView Unknown = new(0, 0, false);

    public static readonly TrackView HiddenView = new(0, 0, true);

    public bool IsKnown => Hidden || Height > 0;
}
