namespace Sotto.E2ee.Frames;

/// <summary>
/// All frame keys of one participant (§S6/§S7): my own sending key (one <see cref="SenderFrameKey"/>,
/// hence one counter, per KID) and each peer's receiving keys (≤ 3 epochs per sender, one
/// <see cref="ReceiverFrameKey"/> and replay window per (KID, key)). There is no pass-through and no
/// trial decryption: a frame that cannot be sealed or authenticated is dropped with a reason.
/// Per frame the paths allocate nothing: the caller passes the destination span.
/// </summary>
internal sealed class FrameKeyring : IDisposable
{
    public const int MaxEpochsPerSender = 3;
    /// <summary>§S6: 2 s after the first good frame under epoch e, older epochs of that sender go.</summary>
    public static readonly TimeSpan EpochRetention = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time;

    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, SenderFrameKey> _senderKeys = [];
    private readonly Dictionary<ushort, List<PeerEpoch>> _peers = [];
    private byte[]? _sendingBaseKey;
    private uint _sendingEpoch;

    public FrameKeyring(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public ushort OwnSlot { get; private set; }

    public void SetOwnSlot(ushort slot)
    {
        lock (_lock)
            OwnSlot = slot;
    }

    /// <summary>
    /// Activates my key for <paramref name="epoch"/>. The old sending keys are dropped; re-setting
    /// the same epoch keeps its counters (a re-created transform continues the sequence).
    /// </summary>
    public void SetSendingKey(uint epoch, ReadOnlySpan<byte> baseKey)
    {
        lock (_lock)
        {
            if (_sendingBaseKey is not null && _sendingEpoch == epoch && baseKey.SequenceEqual(_sendingBaseKey))
                return;
            foreach (SenderFrameKey key in _senderKeys.Values)
                key.Dispose();
            _senderKeys.Clear();
            _sendingBaseKey = baseKey.ToArray();
            _sendingEpoch = epoch;
        }
    }

    /// <summary>Installs a peer's key for decryption only; keeps the newest 3 epochs of that sender.</summary>
    public void AddReceivingKey(ushort slot, uint epoch, ReadOnlySpan<byte> baseKey)
    {
        lock (_lock)
        {
            if (!_peers.TryGetValue(slot, out List<PeerEpoch>? epochs))
                _peers[slot] = epochs = [];
            epochs.RemoveAll(e => e.Epoch == epoch || (byte)e.Epoch == (byte)epoch);
            epochs.Add(new PeerEpoch(epoch, baseKey.ToArray()));
            epochs.Sort((a, b) => a.Epoch.CompareTo(b.Epoch));
            while (epochs.Count > MaxEpochsPerSender)
            {
                epochs[0].Dispose();
                epochs.RemoveAt(0);
            }
        }
    }

    /// <summary>Deletes a sender's epochs older than <paramref name="epoch"/> (§S6: 2 s after the first good frame).</summary>
    public void RemoveReceivingKeysBefore(ushort slot, uint epoch)
    {
        lock (_lock)
        {
            if (!_peers.TryGetValue(slot, out List<PeerEpoch>? epochs))
                return;
            foreach (PeerEpoch old in epochs.Where(e => e.Epoch < epoch))
                old.Dispose();
            epochs.RemoveAll(e => e.Epoch < epoch);
        }
    }

    public void RemoveSender(ushort slot)
    {
        lock (_lock)
        {
            if (_peers.Remove(slot, out List<PeerEpoch>? epochs))
                epochs.ForEach(e => e.Dispose());
        }
    }

    /// <summary>
    /// Whether my key of <paramref name="epoch"/> has encrypted any frame: §S6 never gives a key
    /// that encrypted anything to a newcomer.
    /// </summary>
    public bool SendingKeyUsed(uint epoch)
    {
        lock (_lock)
            return _sendingBaseKey is not null && _sendingEpoch == epoch && _senderKeys.Values.Any(k => k.NextCounter > 0);
    }

    /// <summary>The sender key of my KID for a stream (tests read its counter), or null without a key.</summary>
    public SenderFrameKey? SenderKeyFor(MediaStream stream)
    {
        lock (_lock)
            return GetSenderKey(stream);
    }

    public ReceiverFrameKey? ReceiverKeyFor(ulong kid)
    {
        if (!Kid.TrySplit(kid, out Kid parts))
            return null;
        lock (_lock)
            return FindReceiverKey(parts, kid, out _);
    }

    /// <summary>Encrypts one frame of my own <paramref name="stream"/> into <paramref name="destination"/>.</summary>
    public bool TryEncrypt(FrameCodec codec, MediaStream stream, ReadOnlySpan<byte> frame, Span<byte> destination, out int written, out FrameDropReason reason)
    {
        written = 0;
        if (!ClearPrefix.Matches(codec, stream))
        {
            reason = FrameDropReason.CodecStreamMismatch;
            return false;
        }
        if (!ClearPrefix.TryGetLength(codec, frame, out int prefixLength, out reason))
            return false;
        // Sealed under the lock: a key rotation (SetSendingKey) disposes the old key, and a frame
        // being sealed on another thread must not use it after that.
        lock (_lock)
        {
            SenderFrameKey? key = GetSenderKey(stream);
            if (key is null)
            {
                reason = FrameDropReason.NoKey;
                return false;
            }
            return key.TrySeal(frame, prefixLength, destination, out written, out _, out reason);
        }
    }

    /// <summary>
    /// Authenticates and decrypts one frame that arrived on the track of <paramref name="ownerSlot"/>'s
    /// <paramref name="stream"/> (as the SFU signalled it). Output: prefix ‖ plaintext.
    /// </summary>
    public bool TryDecrypt(FrameCodec codec, ushort ownerSlot, MediaStream stream, ReadOnlySpan<byte> frame, Span<byte> destination, out int written, out FrameDropReason reason)
    {
        written = 0;
        if (!ClearPrefix.Matches(codec, stream))
        {
            reason = FrameDropReason.CodecStreamMismatch;
            return false;
        }
        if (!ClearPrefix.TryGetLength(codec, frame, out int prefixLength, out reason))
            return false;
        ReadOnlySpan<byte> afterPrefix = frame[prefixLength..];
        if (!SFrameHeader.TryParse(afterPrefix, out SFrameHeader header) || afterPrefix.Length - header.Length < SFrameKeyMaterial.TagLength)
        {
            reason = FrameDropReason.Malformed;
            return false;
        }
        if (!Kid.TrySplit(header.Kid, out Kid parts))
        {
            reason = FrameDropReason.UnknownKid;
            return false;
        }
        // Opened under the lock: pruning and RemoveReceivingKeysBefore dispose old epochs' keys.
        lock (_lock)
        {
            if (parts.Slot != ownerSlot || parts.Slot == OwnSlot)
            {
                reason = FrameDropReason.WrongOwner;
                return false;
            }
            if (parts.Stream != stream)
            {
                reason = FrameDropReason.WrongStream;
                return false;
            }
            PruneOldEpochs(parts.Slot);
            ReceiverFrameKey? key = FindReceiverKey(parts, header.Kid, out PeerEpoch? epochOfKey);
            if (key is null)
            {
                reason = FrameDropReason.UnknownKid;
                return false;
            }
            ReadOnlySpan<byte> sealedPart = afterPrefix[header.Length..];
            int plaintextLength = sealedPart.Length - SFrameKeyMaterial.TagLength;
            if (destination.Length < prefixLength + plaintextLength)
            {
                reason = FrameDropReason.BufferTooSmall;
                return false;
            }
            ReadOnlySpan<byte> prefix = frame[..prefixLength];
            if (!key.TryOpen(header.Counter, afterPrefix[..header.Length], prefix, sealedPart, destination[prefixLength..], out reason))
                return false;
            prefix.CopyTo(destination);
            written = prefixLength + plaintextLength;
            epochOfKey!.FirstGoodFrame ??= _time.GetUtcNow();
            return true;
        }
    }

    private SenderFrameKey? GetSenderKey(MediaStream stream)
    {
        if (_sendingBaseKey is null || OwnSlot == 0)
            return null;
        ulong kid = Kid.Make(OwnSlot, stream, _sendingEpoch);
        if (!_senderKeys.TryGetValue(kid, out SenderFrameKey? key))
            _senderKeys[kid] = key = new SenderFrameKey(_sendingBaseKey, kid);
        return key;
    }

    private ReceiverFrameKey? FindReceiverKey(Kid parts, ulong kid, out PeerEpoch? found)
    {
        found = null;
        if (!_peers.TryGetValue(parts.Slot, out List<PeerEpoch>? epochs))
            return null;
        foreach (PeerEpoch epoch in epochs)
        {
            if ((byte)epoch.Epoch == parts.EpochByte)
            {
                found = epoch;
                return epoch.KeyFor(kid);
            }
        }
        return null;
    }

    /// <summary>Drops a sender's epochs older than the newest one that has decrypted a frame at least 2 s ago.</summary>
    private void PruneOldEpochs(ushort slot)
    {
        if (!_peers.TryGetValue(slot, out List<PeerEpoch>? epochs) || epochs.Count < 2)
            return;
        DateTimeOffset now = _time.GetUtcNow();
        for (int i = epochs.Count - 1; i > 0; i--)
        {
            if (epochs[i].FirstGoodFrame is { } first && now - first >= EpochRetention)
            {
                for (int j = 0; j < i; j++)
                    epochs[j].Dispose();
                epochs.RemoveRange(0, i);
                return;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (SenderFrameKey key in _senderKeys.Values)
                key.Dispose();
            _senderKeys.Clear();
            foreach (List<PeerEpoch> epochs in _peers.Values)
                epochs.ForEach(e => e.Dispose());
            _peers.Clear();
        }
    }

    /// <summary>One epoch of one peer: its base key and the per-KID receiver keys made from it.</summary>
    private sealed class PeerEpoch(uint epoch, byte[] baseKey) : IDisposable
    {
        private readonly Dictionary<ulong, ReceiverFrameKey> _keys = [];

        public uint Epoch { get; } = epoch;

        public DateTimeOffset? FirstGoodFrame { get; set; }

        public ReceiverFrameKey KeyFor(ulong kid)
        {
            if (!_keys.TryGetValue(kid, out ReceiverFrameKey? key))
                _keys[kid] = key = new ReceiverFrameKey(baseKey, kid);
            return key;
        }

        public void Dispose()
        {
            foreach (ReceiverFrameKey key in _keys.Values)
                key.Dispose();
            _keys.Clear();
        }
    }
}
