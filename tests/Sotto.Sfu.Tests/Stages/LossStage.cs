using Sotto.Sfu.Stages;

namespace Sotto.Sfu.Tests.Stages;

/// <summary>A test-only stage that drops chosen packets upstream (publisher → SFU) or downstream (SFU → subscriber).</summary>
internal sealed class LossStage : IMediaPathStage
{
    public Func<MediaKind, ushort, bool> DropUpstream { get; set; } = (_, _) => false;

    public Func<string, MediaKind, ushort, bool, bool> DropDownstream { get; set; } = (_, _, _, _) => false;

    public bool OnPacketFromPublisher(scoped in MediaPathPacket packet) => !DropUpstream(packet.Kind, packet.SequenceNumber);

    public bool OnPacketToSubscriber(scoped in MediaPathPacket packet) =>
        !DropDownstream(packet.SubscriberId!, packet.Kind, packet.SequenceNumber, packet.IsRetransmission);
}
