namespace Sotto.E2ee.Messages;

/// <summary>
/// state {mic?, cam?, hand?} (§S5, docs/e2ee.md C14): in-call state that is content travels only
/// inside TRANSPORT. Each field is optional; a null field was never set (or not in this message).
/// </summary>
internal sealed record CallState(bool? Mic, bool? Cam, bool? Hand)
{
    public static readonly CallState Empty = new(null, null, null);

    public bool IsEmpty => Mic is null && Cam is null && Hand is null;

    /// <summary>This state with the fields <paramref name="change"/> sets replaced (participant.js merges the same way).</summary>
    public CallState With(CallState change) => new(change.Mic ?? Mic, change.Cam ?? Cam, change.Hand ?? Hand);
}
