namespace Sotto.Sfu.Stages;

/// <summary>
/// A test-only hook on the media path (DESIGN.md §7): a ciphertext tap, loss injection upstream or
/// downstream. Implemented only in test projects and handed to <see cref="SfuHost"/> through its
/// constructor (DI); nothing in configuration turns one on, so a release deployment has none.
/// Called on the room's forwarding path under its lock: look, decide, return — never block, never
/// keep the span.
/// </summary>
public interface IMediaPathStage
{
    /// <summary>
    /// A media packet from a publisher, after SRTP, padding termination and RTX unwrapping, before
    /// transport-cc feedback, statistics and NACK generation (so a dropped packet is a real upstream loss to
    /// the SFU and to the sender, whose transport-cc feedback reports it lost).
    /// Return false to drop it.
    /// </summary>
    bool OnPacketFromPublisher(scoped in MediaPathPacket packet);

    /// <summary>
    /// A packet about to be protected and sent to a subscriber, after rewriting and after it was
    /// put into the retransmission cache (so a dropped packet is a real downstream loss that the
    /// subscriber can NACK). Return false to drop it.
    /// </summary>
    bool OnPacketToSubscriber(scoped in MediaPathPacket packet);
}
