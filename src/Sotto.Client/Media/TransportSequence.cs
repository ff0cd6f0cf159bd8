namespace Sotto.Client.Media;

/// <summary>
/// The transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2):
/// one counter per transport, shared by every stream on it, so the receiver's feedback covers them all.
/// </summary>
internal sealed class TransportSequence
{
    private int _next = Random.Shared.Next(0, ushort.MaxValue);

    public ushort Next() => (ushort)Interlocked.Increment(ref _next);
}
