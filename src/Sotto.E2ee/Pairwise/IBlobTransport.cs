namespace Sotto.E2ee.Pairwise;

/// <summary>
/// Where the channel sends blobs: the signaling connection wraps each in
/// {"type":"e2ee","to":ID,"blob":b64u} (§S4.2). Injected so the protocol code does no I/O.
/// </summary>
internal interface IBlobTransport
{
    void Send(string peerId, byte[] blob);
}
