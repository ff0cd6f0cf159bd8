namespace Sotto.E2ee.Frames;

/// <summary>The receiving half of one (KID, base key), with its own replay window (§S7).</summary>
internal sealed class ReceiverFrameKey : IDisposable
{
    private readonly SFrameKeyMaterial _material;
    private readonly ReplayWindow _window = new();
    private readonly Lock _lock = new();

    public ReceiverFrameKey(ReadOnlySpan<byte> baseKey, ulong kid)
    {
        Kid = kid;
        _material = new SFrameKeyMaterial(baseKey, kid);
    }

    public ulong Kid { get; }

    /// <summary>The highest counter accepted so far, or null: tests check a drop never moves it.</summary>
    public ulong? HighestCounter
    {
        get
        {
            lock (_lock)
                return _window.HasAccepted ? _window.Highest : null;
        }
    }

    /// <summary>
    /// Opens ciphertext ‖ tag into <paramref name="destination"/> after the replay check; marks the
    /// window only after a successful decryption.
    /// </summary>
    public bool TryOpen(ulong counter, ReadOnlySpan<byte> header, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> ciphertextAndTag, Span<byte> destination, out FrameDropReason reason)
    {
        lock (_lock)
        {
            reason = _window.Check(counter);
            if (reason != FrameDropReason.None)
                return false;
            if (!_material.TryOpen(counter, header, prefix, ciphertextAndTag, destination))
            {
                reason = FrameDropReason.AuthFailed;
                return false;
            }
            _window.Mark(counter);
            return true;
        }
    }

    public void Dispose() => _material.Dispose();
}
