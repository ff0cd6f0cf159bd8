using Sotto.E2ee.Frames;
using Sotto.E2ee.Messages;

namespace Sotto.E2ee.SenderKeys;

/// <summary>Why a peer's <c>key</c> message was refused (§S6 receivers).</summary>
internal enum KeyRejection
{
    None,
    /// <summary>The epoch is not above every earlier epoch from this sender.</summary>
    OldEpoch,
    /// <summary>The slot is not the sender's slot (as the server announced it).</summary>
    WrongSlot,
    /// <summary>The resulting KIDs would belong to me or to another peer.</summary>
    ForeignKid,
}

/// <summary>
/// Installs peers' sender keys (§S6 receivers): accept <c>key</c> from P only if its epoch is above
/// every earlier epoch from P, its slot is P's slot and no resulting KID belongs to another peer or
/// to me; install it decrypt-only, then answer <c>key_ack</c>. The keyring keeps ≤ 3 epochs per sender.
/// </summary>
internal sealed class SenderKeyReceiver(FrameKeyring keyring)
{
    private readonly Dictionary<string, uint> _highestEpoch = [];
    private readonly Dictionary<string, ushort> _slots = [];

    /// <summary>The server announced <paramref name="peerId"/> with <paramref name="slot"/>.</summary>
    public void SetSlot(string peerId, ushort slot) => _slots[peerId] = slot;

    /// <summary>Checks and installs a key; on success returns the key_ack JSON to send back.</summary>
    public KeyRejection Accept(string peerId, KeyMessage key, out byte[] keyAck)
    {
        keyAck = [];
        if (!_slots.TryGetValue(peerId, out ushort slot) || key.Slot != slot)
            return KeyRejection.WrongSlot;
        if (slot == keyring.OwnSlot || _slots.Any(other => other.Key != peerId && other.Value == slot))
            return KeyRejection.ForeignKid;
        if (_highestEpoch.TryGetValue(peerId, out uint highest) && key.Epoch <= highest)
            return KeyRejection.OldEpoch;
        _highestEpoch[peerId] = key.Epoch;
        keyring.AddReceivingKey(slot, key.Epoch, key.Key);
        keyAck = AppMessage.KeyAck(key.Epoch);
        return KeyRejection.None;
    }

    /// <summary>The peer departed: its keys go.</summary>
    public void Remove(string peerId)
    {
        if (_slots.Remove(peerId, out ushort slot))
            keyring.RemoveSender(slot);
        _highestEpoch.Remove(peerId);
    }
}
